import { describe, expect, it } from 'vitest';
import { referenceSpans, loopFrames, matchOffsetDb } from '../../../src/lib/core/listening/reference';
import { layoutAlbum } from '../../../src/lib/core/album/timeline';
import { createAlbum, createClip, createTrack } from '../../../src/lib/core/album/model';

const R = 48_000;
const album = createAlbum({
  rateHz: R,
  tracks: [
    createTrack(R, { clips: [createClip({ assetId: 'a', lengthSamples: 10 * R })] }),
    createTrack(R, { gapBeforeSamples: 2 * R, clips: [createClip({ assetId: 'b', lengthSamples: 10 * R })] })
  ]
});
const layout = layoutAlbum(album);

describe('reference placement for A/B', () => {
  it('plays from the same position into the playing track, starting again at each track', () => {
    const ref = { frames: 30 * R, rateHz: R, loop: null };
    const t2 = layout.tracks[1].index01Samples;
    const spans = referenceSpans(layout, R, t2 - R, t2 + R, ref, 0);
    expect(spans).toEqual([
      { albumStart: t2 - R, albumFrames: R, refStart: t2 - R - layout.tracks[0].index01Samples, refFrames: R },
      { albumStart: t2, albumFrames: R, refStart: 0, refFrames: R }
    ]);
  });

  it('wraps at the end of a short reference, and scales positions by the rate ratio', () => {
    const ref = { frames: 3 * R, rateHz: R, loop: null };
    const s0 = layout.tracks[0].index01Samples;
    const spans = referenceSpans(layout, R, s0 + 2 * R, s0 + 4 * R, ref, 0);
    expect(spans.map((s) => [s.refStart, s.albumFrames])).toEqual([[2 * R, R], [0, R]]);
    const hi = referenceSpans(layout, R, s0 + R, s0 + 2 * R, { frames: 60 * 96_000, rateHz: 96_000, loop: null }, 0);
    expect(hi).toEqual([{ albumStart: s0 + R, albumFrames: R, refStart: 96_000, refFrames: 96_000 }]);
  });

  it('goes round its own loop region from where play began', () => {
    const ref = { frames: 60 * R, rateHz: R, loop: { startSec: 10, endSec: 12 } };
    expect(loopFrames(ref)).toEqual([10 * R, 12 * R]);
    const spans = referenceSpans(layout, R, 5 * R, 8 * R, ref, 5 * R);
    expect(spans.map((s) => [s.albumStart, s.refStart, s.refFrames])).toEqual([[5 * R, 10 * R, 2 * R], [7 * R, 10 * R, R]]);
    // Every album sample is covered once.
    expect(spans.reduce((n, s) => n + s.albumFrames, 0)).toBe(3 * R);
    // A region of less than 100 ms, or outside the file, is no region.
    expect(loopFrames({ ...ref, loop: { startSec: 70, endSec: 80 } })).toBeNull();
  });

  it('matches loudness by the difference in LUFS', () => {
    expect(matchOffsetDb(-10, -20)).toBe(10);
    expect(matchOffsetDb(-14.2, -9.1)).toBe(-5.1);
    expect(matchOffsetDb(null, -9)).toBeNull();
  });
});
