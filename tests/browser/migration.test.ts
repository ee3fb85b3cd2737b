import { describe, expect, it } from 'vitest';
import { LatheDb } from '$lib/web/store/db';
import { CURRENT_SCHEMA_VERSION, SCHEMA_VERSIONS } from '$lib/web/store/schema';
import { listProjects, loadProject } from '$lib/web/store/projects';

describe('schema migration', () => {
  it('opens a version 1 database and upgrades it to the current version without losing data', async () => {
    const name = `lathe-migrate-${crypto.randomUUID()}`;
    const v1 = new LatheDb(name, 1);
    await v1.open();
    expect(v1.verno).toBe(1);
    await v1.table('projects').add({
      id: 'p1', name: 'Old project', createdAt: 1_700_000_000_000,
      album: { id: 'a', title: 'Old', artist: '', upc: '', catalog: '', rateHz: 44_100, masterChain: [] }
    });
    await v1.table('tracks').add({
      id: 't1', projectId: 'p1', order: 0, title: 'Kept', performer: '', songwriter: '', composer: '', arranger: '', message: '',
      isrc: '', gapBeforeSamples: 88_200, overlapSamples: 0, indexMarksSamples: [], flags: { preEmphasis: false, copyPermitted: false }, chain: []
    });
    v1.close();

    const current = new LatheDb(name);
    await current.open();
    expect(current.verno).toBe(CURRENT_SCHEMA_VERSION);
    expect(CURRENT_SCHEMA_VERSION).toBe(SCHEMA_VERSIONS.length);
    const row = await current.projects.get('p1');
    expect(row?.updatedAt).toBe(1_700_000_000_000);
    expect((await listProjects(current)).map((p) => [p.name, p.tracks])).toEqual([['Old project', 1]]);
    expect((await loadProject(current, 'p1')).album.tracks[0].title).toBe('Kept');
    current.close();
  });
});
