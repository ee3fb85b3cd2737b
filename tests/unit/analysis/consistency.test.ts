import { describe, expect, it } from 'vitest';
import { albumConsistency, type ConsistencyTrack } from '../../../src/lib/core/analysis/consistency';
import { Analyzer } from '../../../src/lib/core/analysis/analyzer';
import { programme } from '../../helpers/programme';

const R = 48_000;

/** Darker: a one-pole low-pass at 2 kHz, which takes several dB off the top octaves. */
function darken(ch: Float32Array[]): Float32Array[] {
  const a = Math.exp((-2 * Math.PI * 2000) / R);
  return ch.map((x) => {
    let y = 0;
    return x.map((v) => (y = (1 - a) * v + a * y));
  });
}

function measure(title: string, ch: Float32Array[]): ConsistencyTrack {
  const an = new Analyzer({ rateHz: R, channels: 2, bitDepth: 24, sampleFormat: 'float' }, { spectrum: true });
  an.process(ch, ch[0].length);
  const a = an.finish();
  return { title, integratedLufs: a.integratedLufs, maxShortTermLufs: a.maxShortTermLufs, loudnessRangeLu: a.loudnessRangeLu, plrDb: a.plrDb, octaveDb: a.spectrum!.octaveDb, widthDb: a.spectrum!.widthDb };
}

describe('album consistency', () => {
  const tracks = Array.from({ length: 6 }, (_, i) => programme({ rateHz: R, seconds: 12, seed: 10 + i, sectionsDb: [-2, 0, -1], width: 0.4 }));
  const gain = 10 ** (4 / 20);
  tracks[2] = tracks[2].map((x) => x.map((v) => v * gain));
  tracks[4] = darken(tracks[4]);
  const measured = tracks.map((t, i) => measure(`Track ${i + 1}`, t));
  const c = albumConsistency(measured);

  it('finds the track 4 dB louder and suggests about -4 dB', () => {
    const loud = c.findings.filter((f) => f.id === 'loudness');
    expect(loud.map((f) => f.track)).toContain(3);
    const f = loud.find((x) => x.track === 3)!;
    expect(Math.abs((f.gainDb as number) + 4)).toBeLessThanOrEqual(0.5);
    expect(f.message).toMatch(/^\+4\.\d LU against the album's other tracks/);
    expect(Math.abs((c.tracks[2].vsAlbum.loudnessLu as number) - 4)).toBeLessThan(0.5);
  });

  it('finds the darker track and suggests a high shelf up', () => {
    const tone = c.findings.filter((f) => f.id === 'tone' && f.track === 5);
    const shelf = tone.find((f) => f.eq?.type === 'high-shelf');
    expect(shelf, JSON.stringify(tone)).toBeDefined();
    expect(shelf!.message).toMatch(/^Darker than the album/);
    expect(shelf!.eq!.gainDb).toBeGreaterThan(2);
  });

  it('flags nothing else: the matched tracks are left alone', () => {
    const others = c.findings.filter((f) => f.track !== 3 && f.track !== 5 && (f.id === 'loudness' || f.id === 'tone'));
    expect(others).toEqual([]);
    // The loud track's tone is its own: loudness normalisation keeps it out of the tonal figures.
    expect(c.findings.filter((f) => f.track === 3 && f.id === 'tone')).toEqual([]);
    expect(c.albumOctaveDb).toHaveLength(10);
  });

  it('compares a track with its neighbours, and a one-track album with nothing', () => {
    expect(c.tracks[3].vsNeighbours.loudnessLu).toBeLessThan(-1.5);
    expect(albumConsistency([measured[0]]).findings).toEqual([]);
  });
});
