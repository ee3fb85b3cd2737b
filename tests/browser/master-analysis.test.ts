import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack } from '$lib/core/album/model';
import { Analyzer } from '$lib/core/analysis/analyzer';
import { albumLoudness } from '$lib/core/analysis/album';
import { createProject, saveAlbum } from '$lib/web/store/projects';
import { importAudioFile } from '$lib/web/files/import';
import { analyzeInWorker } from '$lib/web/analysis-client';
import { renderCdZip } from '$lib/web/delivery/client';
import { seededRandom } from '$lib/core/audio/synth';
import { freshDb, wavFile } from './util';

const R = 44_100;

/** Deterministic programme-like stereo: filtered noise with a level change. */
function programme(sec: number, seed: number, levelDb: number): Float32Array[] {
  const rand = seededRandom(seed);
  const n = sec * R;
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    a = 0.98 * a + 0.1 * (rand() * 2 - 1);
    b = 0.98 * b + 0.1 * (rand() * 2 - 1);
    const g = Math.pow(10, (levelDb + (i > n / 2 ? 6 : 0)) / 20);
    l[i] = Math.round(g * a * 8_388_607) / 8_388_608;
    r[i] = Math.round(g * (0.6 * a + 0.4 * b) * 8_388_607) / 8_388_608;
  }
  return [l, r];
}

describe('the analysis shows the master as delivered', () => {
  it('mix and master per track and album; the master figures are those the CD render writes; the album is gated as the CLI gates it', async () => {
    const db = freshDb();
    const id = await createProject(db, 'Mastered');
    const sa = programme(8, 1, -18);
    const sb = programme(7, 2, -20);
    const a = await importAudioFile(wavFile('a.wav', sa, R, 's24le'), id, db.name, () => {});
    const b = await importAudioFile(wavFile('b.wav', sb, R, 's24le'), id, db.name, () => {});
    const album = createAlbum({
      rateHz: R,
      tracks: [
        createTrack(R, { title: 'A', clips: [createClip({ assetId: a.id, lengthSamples: a.frames })] }),
        createTrack(R, { title: 'B', gapBeforeSamples: R, clips: [createClip({ assetId: b.id, lengthSamples: b.frames })] })
      ],
      masterChain: [{ plugin: 'lathe.limiter', params: { ceilingDbtp: -3, inputGainDb: 12, releaseMs: 60 }, bypass: false }]
    });
    await saveAlbum(db, id, album);
    const result = await analyzeInWorker(db.name, id, () => {});
    const [ta, tb] = result.tracks;
    expect(ta.master && tb.master && result.master).toBeTruthy();
    // +12 dB into the limiter: the master is louder than the mix and under -3 dBTP.
    expect(ta.master!.integratedLufs!).toBeGreaterThan(ta.analysis!.integratedLufs! + 6);
    expect(ta.master!.truePeakDbtp!).toBeLessThanOrEqual(-3);
    expect(result.master!.integratedLufs!).toBeGreaterThan(result.album.integratedLufs! + 6);

    // The same figures as the CD the render worker writes.
    const { report } = await renderCdZip(db.name, id, 'cd', { shaping: 'none', seed: 1 }, () => {});
    report.tracks.forEach((t, i) => {
      expect(t.integratedLufs).toBe(result.tracks[i].master!.integratedLufs);
      expect(t.truePeakDbtp).toBe(result.tracks[i].master!.truePeakDbtp);
    });

    // The album gated as the CLI gates it: an Analyzer per track over the same samples, albumLoudness.
    // Track A runs to B's INDEX 01: its audio, then B's 1 s pause.
    const aWithPause = sa.map((ch) => {
      const x = new Float32Array(ch.length + R);
      x.set(ch);
      return x;
    });
    const cli = [aWithPause, sb].map((x) => {
      const m = new Analyzer({ rateHz: R, channels: 2, bitDepth: 24, sampleFormat: 'int' }, { keepBlocks: true });
      m.process(x, x[0].length);
      return m.finish();
    });
    const gated = albumLoudness(cli);
    expect(Math.abs(result.album.integratedLufs! - gated.integratedLufs!)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(result.album.loudnessRangeLu! - gated.loudnessRangeLu!)).toBeLessThanOrEqual(0.01);
    // Measured once: a second run finds everything kept.
    const again: string[] = [];
    await analyzeInWorker(db.name, id, (_f, label) => again.push(label));
    expect(again).toEqual([]);
    db.close();
  });
});
