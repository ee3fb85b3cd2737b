import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack, type Album, type ChainSlot } from '../../../src/lib/core/album/model';
import { addSlot, chainName, copyChain, getChain, moveSlot, removeSlot, setSlotBypass, setSlotLatency, setSlotParams, type ChainTarget } from '../../../src/lib/core/album/chains';
import { ChainRunner } from '../../../src/lib/core/render/chain';

function album(): Album {
  const t1 = createTrack(44_100, { title: 'One', clips: [createClip({ assetId: 'a', lengthSamples: 1000 }), createClip({ assetId: 'b', lengthSamples: 1000 })] });
  const t2 = createTrack(44_100, { title: 'Two', clips: [createClip({ assetId: 'c', lengthSamples: 1000 })] });
  return createAlbum({ tracks: [t1, t2] });
}

const eq: ChainSlot = { plugin: 'lathe.eq', params: { band1Type: 1, band1GainDb: -3 }, bypass: false };
const limiter: ChainSlot = { plugin: 'lathe.limiter', params: { ceilingDbtp: -1 }, bypass: false };

describe('chain edits', () => {
  it('add, reorder, bypass, set parameters and remove on a clip without touching the input album', () => {
    const a = album();
    const clip: ChainTarget = { kind: 'clip', clipId: a.tracks[0].clips[1].id };
    let b = addSlot(a, clip, eq);
    b = addSlot(b, clip, limiter);
    b = moveSlot(b, clip, 1, 0);
    expect(getChain(b, clip).map((s) => s.plugin)).toEqual(['lathe.limiter', 'lathe.eq']);
    b = setSlotBypass(b, clip, 1, true);
    b = setSlotParams(b, clip, 0, { ceilingDbtp: -2 });
    expect(getChain(b, clip)[0].params).toEqual({ ceilingDbtp: -2 });
    expect(getChain(b, clip)[1].bypass).toBe(true);
    b = removeSlot(b, clip, 0);
    expect(getChain(b, clip).map((s) => s.plugin)).toEqual(['lathe.eq']);
    expect(getChain(a, clip)).toEqual([]);
    expect(b.tracks[0].clips[0].chain).toEqual([]);
    expect(chainName(b, clip)).toBe('clip 2 of track 1');
  });

  it('names missing slots and refuses bad values', () => {
    const a = addSlot(album(), { kind: 'master' }, eq);
    expect(() => removeSlot(a, { kind: 'master' }, 3)).toThrow(/no slot 4/);
    expect(() => setSlotParams(a, { kind: 'master' }, 0, { band1GainDb: NaN })).toThrow(/band1GainDb must be a number/);
    expect(() => setSlotLatency(a, { kind: 'master' }, 0, -1)).toThrow(/whole number of samples/);
    expect(() => getChain(a, { kind: 'track', trackId: 'nope' })).toThrow(/No track/);
  });

  it('copies a chain to other tracks as independent copies', () => {
    const a = album();
    const from: ChainTarget = { kind: 'track', trackId: a.tracks[0].id };
    const to: ChainTarget = { kind: 'track', trackId: a.tracks[1].id };
    let b = copyChain(addSlot(a, from, eq), from, [to]);
    expect(getChain(b, to)).toEqual(getChain(b, from));
    b = setSlotParams(b, to, 0, { band1GainDb: 6 });
    expect(getChain(b, from)[0].params.band1GainDb).toBe(-3);
  });

  it('adds a slot\'s manual latency to what its kernels report', () => {
    const a = setSlotLatency(addSlot(addSlot(album(), { kind: 'master' }, eq), { kind: 'master' }, limiter), { kind: 'master' }, 0, 32);
    const runner = ChainRunner.create(a.masterChain, 44_100, 2, 'the master chain');
    const limiterOnly = ChainRunner.create([limiter], 44_100, 2, 'x');
    expect(runner.latencySamples).toBe(limiterOnly.latencySamples + 32);
  });
});
