import { describe, expect, it } from 'vitest';
import { ProjectSession } from '$lib/ui/session.svelte';
import { LatheDb } from '$lib/web/store/db';
import { createProject, loadProject } from '$lib/web/store/projects';
import { moveTrack, setGap, setTrackMetadata } from '$lib/core/album/edits';
import { freshDb, sineChannels, wavFile } from './util';

const R = 44_100;

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || performance.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('autosave', () => {
  it('stores every edit within a second, and undo and redo too', async () => {
    const db = freshDb();
    const id = await createProject(db, 'Autosave');
    const session = await ProjectSession.open(db, id);
    await session.importFiles([wavFile('01 One.wav', sineChannels(5 * R, R), R), wavFile('02 Two.wav', sineChannels(6 * R, R, 2, 550), R)]);
    expect(session.album.tracks.map((t) => t.title)).toEqual(['One', 'Two']);

    // Another connection, as a reloaded page would open.
    const other = new LatheDb(db.name);
    const titles = () => loadProject(other, id).then((p) => p.album.tracks.map((t) => t.title).join(','));
    // `until` gives up after a second: the edit must be stored by then.
    session.edit((a) => moveTrack(a, a.tracks[1].id, 0));
    expect(await until(titles, (v) => v === 'Two,One', 1000)).toBe('Two,One');

    session.edit((a) => setGap(a, a.tracks[1].id, R / 2));
    session.edit((a) => setTrackMetadata(a, a.tracks[0].id, { title: 'Zwei' }));
    const state = () => loadProject(other, id).then((p) => `${p.album.tracks[0].title}/${p.album.tracks[1].gapBeforeSamples}`);
    expect(await until(state, (v) => v === `Zwei/${R / 2}`, 1000)).toBe(`Zwei/${R / 2}`);

    session.undo();
    expect(await until(state, (v) => v === `Two/${R / 2}`, 1000)).toBe(`Two/${R / 2}`);
    session.redo();
    expect(await until(state, (v) => v === `Zwei/${R / 2}`, 1000)).toBe(`Zwei/${R / 2}`);

    await session.close();
    const reopened = await ProjectSession.open(other, id);
    expect(reopened.album).toEqual(session.album);
    expect([...reopened.assets.keys()].sort()).toEqual([...session.assets.keys()].sort());
    expect(reopened.peaks.size).toBe(2);
    await reopened.close();
    other.close();
    db.close();
  });

  it('reports an import that fails without adding a track', async () => {
    const db = freshDb();
    const id = await createProject(db, 'Failing import');
    const session = await ProjectSession.open(db, id);
    await session.importFiles([new File(['not audio'], 'readme.wav')]);
    expect(session.album.tracks).toHaveLength(0);
    // The job names the file; its error says what is wrong with it, without naming it again.
    expect(session.imports[0]).toMatchObject({ name: 'readme.wav' });
    expect(session.imports[0].error).toMatch(/^this is not an audio file/);
    await session.close();
    db.close();
  });
});
