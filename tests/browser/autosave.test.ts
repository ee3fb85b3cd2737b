import { describe, expect, it } from 'vitest';
import { AUTOSAVE_DELAY_MS, ProjectSession } from '$lib/ui/session.svelte';
import { LatheDb } from '$lib/web/store/db';
import { createProject, loadProject } from '$lib/web/store/projects';
import { moveTrack, setGap, setTrackMetadata } from '$lib/core/album/edits';
import { freshDb, sineChannels, waitFor, wavFile } from './util';

const R = 44_100;

/** What another connection reads once it shows `want` (polled; tests wait for states, not times). */
async function until(f: () => Promise<string>, want: string): Promise<string> {
  await waitFor(async () => (await f()) === want, `the store to hold ${want}`);
  return f();
}

describe('autosave', () => {
  it('stores every edit by itself, and undo and redo too, saving a quarter second after the last edit', async () => {
    // Saved within a second of an edit: the save is scheduled this long after it (and on pagehide).
    expect(AUTOSAVE_DELAY_MS).toBeLessThan(1000);
    const db = freshDb();
    const id = await createProject(db, 'Autosave');
    const session = await ProjectSession.open(db, id);
    await session.importFiles([wavFile('01 One.wav', sineChannels(5 * R, R), R), wavFile('02 Two.wav', sineChannels(6 * R, R, 2, 550), R)]);
    expect(session.album.tracks.map((t) => t.title)).toEqual(['One', 'Two']);

    // Another connection, as a reloaded page would open.
    const other = new LatheDb(db.name);
    const titles = () => loadProject(other, id).then((p) => p.album.tracks.map((t) => t.title).join(','));
    session.edit((a) => moveTrack(a, a.tracks[1].id, 0));
    expect(session.saveState).toBe('pending');
    expect(await until(titles, 'Two,One')).toBe('Two,One');

    session.edit((a) => setGap(a, a.tracks[1].id, R / 2));
    session.edit((a) => setTrackMetadata(a, a.tracks[0].id, { title: 'Zwei' }));
    const state = () => loadProject(other, id).then((p) => `${p.album.tracks[0].title}/${p.album.tracks[1].gapBeforeSamples}`);
    expect(await until(state, `Zwei/${R / 2}`)).toBe(`Zwei/${R / 2}`);

    session.undo();
    expect(await until(state, `Two/${R / 2}`)).toBe(`Two/${R / 2}`);
    session.redo();
    expect(await until(state, `Zwei/${R / 2}`)).toBe(`Zwei/${R / 2}`);
    await waitFor(() => session.saveState === 'saved', 'the session to say saved');

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
