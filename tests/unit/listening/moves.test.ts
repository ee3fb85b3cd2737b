import { describe, expect, it } from 'vitest';
import { applyFinding, canApply } from '../../../src/lib/core/listening/moves';
import { createAlbum, createClip, createTrack } from '../../../src/lib/core/album/model';
import { eqResponseDb } from '../../../src/lib/core/dsp/eq';
import type { ConsistencyFinding } from '../../../src/lib/core/analysis/consistency';

const R = 48_000;
const album = createAlbum({ rateHz: R, tracks: [createTrack(R, { clips: [createClip({ assetId: 'a', lengthSamples: R, gainDb: -1 }), createClip({ assetId: 'b', lengthSamples: R })] })] });

describe('consistency moves', () => {
  it('applies a gain to every clip of the track', () => {
    const f: ConsistencyFinding = { id: 'loudness', track: 1, title: 'T', message: '', suggestion: '', gainDb: -4 };
    const next = applyFinding(album, f);
    expect(next.tracks[0].clips.map((c) => c.gainDb)).toEqual([-5, -4]);
  });

  it('puts a shelf on the track chain that does what the finding says', () => {
    const f: ConsistencyFinding = { id: 'tone', track: 1, title: 'T', message: '', suggestion: '', eq: { type: 'high-shelf', freqHz: 4000, gainDb: 3 } };
    const next = applyFinding(album, f);
    const slot = next.tracks[0].chain[0];
    expect(slot.plugin).toBe('lathe.eq');
    expect(eqResponseDb(slot.params, R, 16_000)).toBeCloseTo(3, 0);
    expect(Math.abs(eqResponseDb(slot.params, R, 200))).toBeLessThan(0.2);
  });

  it('leaves what it cannot do to the engineer', () => {
    const f: ConsistencyFinding = { id: 'width', track: 1, title: 'T', message: '', suggestion: '', gainDb: 2 };
    expect(canApply(f)).toBe(false);
    expect(applyFinding(album, f)).toBe(album);
  });
});
