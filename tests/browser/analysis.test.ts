import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack } from '$lib/core/album/model';
import { createProject, saveAlbum } from '$lib/web/store/projects';
import { importAudioFile } from '$lib/web/files/import';
import { analyzeInWorker } from '$lib/web/analysis-client';
import { freshDb, wavFile } from './util';

const R = 48_000;

function tone(sec: number, dbfs: number): Float32Array[] {
  const a = Math.pow(10, dbfs / 20);
  const x = new Float32Array(sec * R).map((_, i) => a * Math.sin((2 * Math.PI * 1000 * i) / R));
  return [x, x];
}

describe('analysis worker', () => {
  it('measures files and tracks from IndexedDB, gates the album together, and keeps the results', async () => {
    const db = freshDb();
    const id = await createProject(db, 'Measured');
    const a = await importAudioFile(wavFile('a.wav', tone(10, -23), R, 's24le'), id, db.name, () => {});
    const b = await importAudioFile(wavFile('b.wav', tone(10, -20), R, 's24le'), id, db.name, () => {});
    const album = createAlbum({
      rateHz: R,
      tracks: [
        createTrack(R, { title: 'A', clips: [createClip({ assetId: a.id, lengthSamples: a.frames })] }),
        createTrack(R, { title: 'B', clips: [createClip({ assetId: b.id, lengthSamples: b.frames, gainDb: -3 })] })
      ]
    });
    await saveAlbum(db, id, album);
    const labels: string[] = [];
    const result = await analyzeInWorker(db.name, id, (_f, label) => labels.push(label));
    // The files were measured as they were imported: only the tracks and the master are left.
    expect(labels.some((l) => l.startsWith('Measuring a.wav'))).toBe(false);
    expect(labels.some((l) => l.startsWith('Measuring track 1'))).toBe(true);
    const [ta, tb] = result.tracks;
    expect(Math.abs((ta.analysis?.integratedLufs ?? 0) + 23)).toBeLessThanOrEqual(0.1);
    // B's clip gain of -3 dB applies as the album plays it.
    expect(Math.abs((tb.analysis?.integratedLufs ?? 0) + 23)).toBeLessThanOrEqual(0.1);
    expect(Math.abs((result.album.integratedLufs ?? 0) + 23)).toBeLessThanOrEqual(0.1);
    expect(tb.sourceChecks[0]).toMatchObject({ asset: 'b.wav' });
    expect(ta.analysis?.shortTermSeries.length).toBeGreaterThan(50);
    // Kept: the file measurements and the track measurements.
    expect(await db.analyses.count()).toBe(4);
    const again: string[] = [];
    await analyzeInWorker(db.name, id, (_f, label) => again.push(label));
    expect(again).toEqual([]);
    expect(await db.analyses.count()).toBe(4);
    db.close();
  });
});
