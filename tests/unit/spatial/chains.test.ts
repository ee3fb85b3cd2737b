import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack, type Album, type Clip } from '$lib/core/album/model';
import { SpatialMixer, type SpatialSource } from '$lib/core/spatial/render';
import { LAYOUTS } from '$lib/core/spatial/layouts';
import { ChainRunner } from '$lib/core/render/chain';

const R = 48_000;
const C = LAYOUTS['5.1'].speakers.findIndex((s) => s.label === 'C');

/** A mono source: a quiet 1 kHz tone with a click at 0.5 s (where the limiter never acts). */
const tone = (i: number) => 0.1 * Math.sin((2 * Math.PI * 1000 * i) / R) + (i === R / 2 ? 0.2 : 0);
const source = (channels = 1): SpatialSource => ({
  channelsOf: () => channels,
  read: async (_clip, start, n, out) => {
    for (const ch of out) for (let i = 0; i < n; i++) ch[i] = tone(start + i);
  }
});

function objectAlbum(chain: Clip['chain'], trackChain: Clip['chain'] = []): Album {
  const clip = createClip({ assetId: 'v', lengthSamples: R, chain, spatial: { object: { x: 0, y: 1, z: 0, gainDb: 0, size: 0, keyframes: [] } } });
  return createAlbum({ rateHz: R, immersive: { monitor: '5.1' }, tracks: [createTrack(R, { gapBeforeSamples: 0, chain: trackChain, clips: [clip] })] });
}

/** The whole album through the mixer in blocks of `block`, the centre speaker and what onClip heard. */
async function centre(album: Album, block = 1000, channels = 1): Promise<{ c: Float32Array; heard: Float32Array }> {
  const mixer = new SpatialMixer(album, '5.1', source(channels), block);
  const total = R + 2000;
  const c = new Float32Array(total);
  const heard = new Float32Array(total);
  const out = Array.from({ length: 6 }, () => new Float32Array(block));
  for (let at = 0; at < total; at += block) {
    const n = Math.min(block, total - at);
    await mixer.mix(at, n, out, (_clip, _t, audio, start, len) => heard.set(audio[0].subarray(0, len), at + start));
    c.set(out[C].subarray(0, n), at);
  }
  return { c, heard };
}

describe('clip chains in an immersive mix', () => {
  it('run on an object before it is placed: an EQ at -6 dB halves the centre speaker', async () => {
    const dry = await centre(objectAlbum([]));
    const wet = await centre(objectAlbum([{ plugin: 'lathe.eq', params: { outputGainDb: -6 }, bypass: false }]));
    const half = Math.pow(10, -6 / 20);
    for (let i = 0; i < R; i += 97) expect(wet.c[i]).toBeCloseTo(dry.c[i] * half, 5);
    // What the ADM writer and the checks hear of the object is the processed audio too.
    for (let i = 0; i < R; i += 97) expect(wet.heard[i]).toBeCloseTo(dry.heard[i] * half, 5);
  });

  it('compensate the chain latency: the limiter\'s look-ahead leaves the click where it was, in any block size', async () => {
    const limiter = [{ plugin: 'lathe.limiter', params: {}, bypass: false }];
    expect(ChainRunner.create(limiter, R, 2, 'test').latencySamples).toBeGreaterThan(0);
    const dry = await centre(objectAlbum([]));
    for (const block of [1000, 4096]) {
      const wet = await centre(objectAlbum(limiter), block);
      const peakAt = (x: Float32Array) => x.reduce((best, v, i) => (Math.abs(v) > Math.abs(x[best]) ? i : best), 0);
      expect(peakAt(wet.c)).toBe(peakAt(dry.c));
      expect(peakAt(dry.c)).toBe(R / 2);
    }
  });

  it('refuse a track chain and a chain on a multichannel bed, naming them', () => {
    const eq = [{ plugin: 'lathe.eq', params: {}, bypass: false }];
    expect(() => new SpatialMixer(objectAlbum([], eq), '5.1', source(), 1000)).toThrow(/track 1 \(".*"\) has a chain, which an immersive album cannot run/);
    const bed = createClip({ assetId: 'b', lengthSamples: R, chain: eq, spatial: { bed: '5.1' } });
    const album = createAlbum({ rateHz: R, immersive: { monitor: '5.1' }, tracks: [createTrack(R, { gapBeforeSamples: 0, clips: [bed] })] });
    expect(() => new SpatialMixer(album, '5.1', source(6), 1000)).toThrow(/clip 1 of track 1 \(".*"\) is a 6-channel bed with a chain; chains are stereo/);
    // A bypassed track chain runs nothing and is not in the way.
    expect(() => new SpatialMixer(objectAlbum([], [{ ...eq[0], bypass: true }]), '5.1', source(), 1000)).not.toThrow();
  });
});
