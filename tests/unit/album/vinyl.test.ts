import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack, type Album, type Chain } from '../../../src/lib/core/album/model';
import { autoSides, levelForLength, moveTrackToSide, vinylChain, vinylFormat, vinylSides, VINYL_FORMATS } from '../../../src/lib/core/album/vinyl';
import { VinylMeter } from '../../../src/lib/core/analysis/vinyl-checks';
import { sine } from '../../helpers/signals';

const R = 48_000;
function album(minutes: number[], gapSec = 2): Album {
  return createAlbum({ rateHz: R, tracks: minutes.map((m, i) => createTrack(R, { id: `t${i + 1}`, title: `T${i + 1}`, gapBeforeSamples: gapSec * R, clips: [createClip({ assetId: 'a', lengthSamples: Math.round(m * 60 * R) })] })) });
}

describe('vinyl sides', () => {
  it('has the formats and side times of the domain notes', () => {
    expect(VINYL_FORMATS.map((f) => [f.id, f.recommendedSec / 60, f.maxSec / 60])).toEqual([
      ['12-33', 23, 26], ['12-45', 15, 18], ['10-33', 13.5, 13.5], ['10-45', 10, 10], ['7-33', 6 + 40 / 60, 7], ['7-45', 5, 5]
    ]);
  });

  it('gives the level a 12" LP side carries at its length: the table, then 1 dB less a minute', () => {
    const lp = vinylFormat('12-33');
    expect(levelForLength(lp, 14 * 60)).toBe(4);
    expect(levelForLength(lp, 19 * 60)).toBe(1.5);
    expect(levelForLength(lp, 22 * 60)).toBe(0);
    expect(levelForLength(lp, 26 * 60)).toBe(-3);
    expect(levelForLength(vinylFormat('7-45'), 4.5 * 60)).toBe(0.5);
    expect(levelForLength(vinylFormat('12-45'), 10 * 60)).toBeNull();
  });

  it('splits in album order into the fewest even sides within the recommended time, as even as can be', () => {
    // 10 tracks of 4.5 min: 45 min and pauses, two sides of about 23 min.
    const two = vinylSides(album(Array(10).fill(4.5)));
    expect(two.map((s) => s.trackIndexes)).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]);
    expect(two.every((s) => !s.overRecommended)).toBe(true);
    expect(two[0].durationSec).toBeCloseTo(5 * 4.5 * 60 + 4 * 2, 6);
    // 12 tracks: 54 min will not fit two sides; four sides, C and D.
    const four = vinylSides(album(Array(12).fill(4.5)));
    expect(four.map((s) => s.letter)).toEqual(['A', 'B', 'C', 'D']);
    expect(four.map((s) => s.trackIndexes.length)).toEqual([3, 3, 3, 3]);
    // A 7" single: one track a side.
    expect(autoSides(album([3.5, 3.2]), vinylFormat('7-45'))).toEqual([[0], [1]]);
  });

  it('takes the sides as placed, refusing any that skip, repeat or reorder tracks', () => {
    const a = album([10, 10, 10]);
    const placed = { ...a, variants: { vinyl: { sides: [['t1'], ['t2', 't3']] } } };
    const s = vinylSides(placed);
    expect(s.map((x) => [x.letter, x.trackIndexes])).toEqual([['A', [0]], ['B', [1, 2]]]);
    expect(s[1].overRecommended).toBe(false);
    expect(() => vinylSides({ ...a, variants: { vinyl: { sides: [['t2'], ['t1', 't3']] } } })).toThrow(/every track once, in album order/);
    expect(() => vinylSides({ ...a, variants: { vinyl: { sides: [['t1'], ['t2']] } } })).toThrow(/every track once/);
    const long = vinylSides({ ...album([14, 13]), variants: { vinyl: { sides: [['t1', 't2']] } } });
    expect(long[0]).toMatchObject({ overRecommended: true, overMax: true });
  });

  it('moves a track to another side, keeping album order', () => {
    const a = album([5, 5, 5, 5]);
    expect(vinylSides(a).map((s) => s.trackIndexes)).toEqual([[0, 1], [2, 3]]);
    const b = moveTrackToSide(a, 1, 1);
    expect(vinylSides(b).map((s) => s.trackIndexes)).toEqual([[0], [1, 2, 3]]);
    const c = moveTrackToSide(b, 3, 2);
    expect(vinylSides(c).map((s) => [s.letter, s.trackIndexes])).toEqual([['A', [0]], ['B', [1, 2]], ['C', [3]]]);
    expect(vinylSides(moveTrackToSide(c, 2, 0)).map((s) => s.trackIndexes)).toEqual([[0, 1, 2], [3]]);
  });

  it('builds the cutting chain from the imager and the EQ, leaving out the final limiter on request', () => {
    const master: Chain = [{ plugin: 'lathe.eq', params: {}, bypass: false }, { plugin: 'lathe.limiter', params: { ceilingDbtp: -1 }, bypass: false }];
    const chain = vinylChain(master, { format: '12-33', sides: null, ellipticalHz: 150, monoBelowHz: 100, highPassHz: 25, limiter: false });
    expect(chain.map((s) => s.plugin)).toEqual(['lathe.eq', 'lathe.imager', 'lathe.imager', 'lathe.eq']);
    expect(chain[1].params).toEqual({ monoBelowHz: 150 });
    expect(chain[2].params).toEqual({ monoBelowHz: 100 });
    expect(chain[3].params).toMatchObject({ band1FreqHz: 25 });
    expect(vinylChain(master, { format: '12-33', sides: null, ellipticalHz: 0, monoBelowHz: 0, highPassHz: 0, limiter: true })).toEqual(master);
  });
});

describe('vinyl checks', () => {
  const run = (l: Float32Array, r: Float32Array) => {
    const m = new VinylMeter(R);
    for (let i = 0; i < l.length; i += 4096) m.process([l.subarray(i, i + 4096), r.subarray(i, i + 4096)], Math.min(4096, l.length - i));
    return Object.fromEntries(m.finish().map((c) => [c.id, c]));
  };
  const n = 4 * R;

  it('passes mono music-like content and flags bass out of phase, bass in the Side, sibilance and rumble', () => {
    const mono = sine(n, R, 80, 0.3).map((x, i) => x + 0.05 * Math.sin((2 * Math.PI * 1000 * i) / R));
    const ok = run(mono, mono);
    expect(Object.values(ok).filter((c) => !c.ok)).toEqual([]);
    expect(ok['low-phase'].value).toBeCloseTo(1, 2);

    const inverted = mono.map((x) => -x);
    const out = run(mono, inverted);
    expect(out['low-phase']).toMatchObject({ ok: false });
    expect(out['low-phase'].value).toBeCloseTo(-1, 2);
    expect(out['low-side'].ok).toBe(false);

    const hiss = sine(n, R, 12_000, 0.5);
    expect(run(hiss, hiss).high).toMatchObject({ ok: false });
    const rumble = mono.map((x, i) => x + 0.3 * Math.sin((2 * Math.PI * 8 * i) / R));
    expect(run(rumble, rumble).sub.ok).toBe(false);
    const hot = sine(n, R, 1000, 1.2);
    expect(run(hot, hot)['true-peak']).toMatchObject({ ok: false });
  });
});
