import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack } from '$lib/core/album/model';
import { createProject, loadProject, saveAlbum } from '$lib/web/store/projects';
import { importAudioFile } from '$lib/web/files/import';
import { addReference, listReferences, removeReference, setReferenceLoop } from '$lib/web/store/references';
import { analyzeReferenceInWorker, analyzeInWorker } from '$lib/web/analysis-client';
import { SIXTH_OCTAVE_HZ } from '$lib/core/analysis/spectrum';
import { freshDb, wavFile } from './util';

const R = 48_000;
const tone = (sec: number, hz: number, amp: number) => {
  const x = new Float32Array(sec * R).map((_, i) => amp * Math.sin((2 * Math.PI * hz * i) / R));
  return [x, x];
};

describe('the reference shelf', () => {
  it('keeps references beside the album, measures them with their spectra, and deletes their audio with them', async () => {
    const db = freshDb();
    const id = await createProject(db, 'Shelf');
    const mix = await importAudioFile(wavFile('mix.wav', tone(6, 1000, 0.3), R, 's24le'), id, db.name, () => {});
    await saveAlbum(db, id, createAlbum({ rateHz: R, tracks: [createTrack(R, { clips: [createClip({ assetId: mix.id, lengthSamples: mix.frames })] })] }));
    const asset = await importAudioFile(wavFile('Ref.wav', tone(8, 250, 0.1), R, 's24le'), id, db.name, () => {});
    const ref = await addReference(db, id, asset);
    expect(ref).toMatchObject({ name: 'Ref', assetId: asset.id, loop: null });

    // An album save keeps the shelf (it lives on the project row, beside the album).
    const { album } = await loadProject(db, id);
    await saveAlbum(db, id, { ...album, title: 'Renamed' });
    expect(await listReferences(db, id)).toHaveLength(1);

    const m = await analyzeReferenceInWorker(db.name, id, ref.id, () => {});
    // A 250 Hz sine at -20 dBFS on both channels: -20 LUFS less the K-weighting at 250 Hz (about -0.8 dB).
    expect(Math.abs((m.integratedLufs as number) - -20.8)).toBeLessThan(0.3);
    const peak = m.spectrum!.bandsDb.indexOf(Math.max(...(m.spectrum!.bandsDb.filter((v) => v !== null) as number[])));
    expect(Math.abs(Math.log2(SIXTH_OCTAVE_HZ[peak] / 250))).toBeLessThan(1 / 12 + 1e-9);
    // The album's analysis knows nothing of it, and measures its tracks with spectra too.
    const project = await analyzeInWorker(db.name, id, () => {});
    expect(project.tracks).toHaveLength(1);
    expect(project.tracks[0].analysis?.spectrum?.octaveDb).toHaveLength(10);
    expect(project.tracks[0].master?.spectrum?.octaveDb).toHaveLength(10);

    await expect(setReferenceLoop(db, id, ref.id, { startSec: 7, endSec: 9 }, 8)).rejects.toThrow(/from 0 to 8\.0 s/);
    expect((await setReferenceLoop(db, id, ref.id, { startSec: 2, endSec: 4 }, 8))[0].loop).toEqual({ startSec: 2, endSec: 4 });

    expect(await removeReference(db, id, ref.id)).toEqual([]);
    expect(await db.assets.get(asset.id)).toBeUndefined();
    expect(await db.chunks.where('assetId').equals(asset.id).count()).toBe(0);
    expect(await db.assets.get(mix.id)).toBeDefined();
  }, 60_000);
});
