import { describe, expect, it } from 'vitest';
import { EqKernel, eqSections, EQ_INFO, EQ_TYPES } from '../../../src/lib/core/dsp/eq';
import { responseDb } from '../../../src/lib/core/dsp/biquad';
import { renderAlbum, type SourceFormat } from '../../../src/lib/core/render/engine';
import { createAlbum, createClip, createTrack, type Clip } from '../../../src/lib/core/album/model';
import { runLathe } from '../../helpers/cli';
import { firstPartyKernel } from '../../../src/lib/core/dsp/plugins';
import type { KernelFactory } from '../../../src/lib/core/dsp/kernel';
import { arrayReader } from '../../helpers/signals';

const R = 48_000;

/** The level change of a sine at f through the kernel, measured on the output. */
function measuredGainDb(params: Record<string, number>, f: number): number {
  const n = R;
  const x = new Float32Array(n).map((_, i) => 0.25 * Math.sin((2 * Math.PI * f * i) / R));
  const y = new Float32Array(n);
  const eq = new EqKernel(R, 1, params);
  for (let i = 0; i < n; i += 128) eq.process([x.subarray(i, i + 128)], [y.subarray(i, i + 128)], Math.min(128, n - i));
  let sy = 0, cy = 0;
  const s0 = n / 2;
  for (let i = s0; i < n; i++) {
    sy += Math.sin((2 * Math.PI * f * i) / R) * y[i];
    cy += Math.cos((2 * Math.PI * f * i) / R) * y[i];
  }
  return 20 * Math.log10((2 * Math.hypot(sy, cy)) / (n - s0) / 0.25);
}

const total = (params: Record<string, number>, f: number) => eqSections(params, R).reduce((s, c) => s + responseDb(c, f, R), 0) + (params.outputGainDb ?? 0);

describe('lathe.eq', () => {
  const settings: Record<string, number>[] = [
    { band1Type: 1, band1FreqHz: 1000, band1GainDb: 6, band1Q: 1 },
    { band2Type: 2, band2FreqHz: 120, band2GainDb: -4.5, band2Q: 0.707 },
    { band3Type: 3, band3FreqHz: 8000, band3GainDb: 3, band3Q: 0.707, outputGainDb: -1.5 },
    { band4Type: 4, band4FreqHz: 15_000, band4Q: 0.707, band5Type: 5, band5FreqHz: 30, band5Q: 0.707 },
    { band1Type: 1, band1FreqHz: 250, band1GainDb: -8, band1Q: 4, band6Type: 1, band6FreqHz: 3000, band6GainDb: 2, band6Q: 0.5 }
  ];

  it('matches the analytic response of its sections within 0.01 dB', () => {
    for (const p of settings) {
      for (const f of [31, 100, 250, 1000, 3000, 8000, 15_000, 20_000]) {
        expect(Math.abs(measuredGainDb(p, f) - total(p, f)), `${JSON.stringify(p)} at ${f} Hz`).toBeLessThan(0.01);
      }
    }
  });

  it('is what its settings say: +6 dB at the centre of a bell, flat far away, -3 dB at a pass corner', () => {
    expect(total(settings[0], 1000)).toBeCloseTo(6, 6);
    expect(Math.abs(total(settings[0], 40))).toBeLessThan(0.05);
    expect(total({ band4Type: 4, band4FreqHz: 5000, band4Q: Math.SQRT1_2 }, 5000)).toBeCloseTo(-3.01, 1);
    expect(total({ band2Type: 2, band2FreqHz: 100, band2GainDb: -6, band2Q: 0.707 }, 20)).toBeCloseTo(-6, 0);
    expect(EQ_TYPES).toEqual(['off', 'bell', 'lowShelf', 'highShelf', 'lowPass', 'highPass']);
  });

  it('runs in the render engine as a master chain slot', async () => {
    const n = R * 2;
    const tone = new Float32Array(n).map((_, i) => 0.25 * Math.sin((2 * Math.PI * 1000 * i) / R));
    const formats = new Map<string, SourceFormat>([['t', { rateHz: R, bitDepth: 32, sampleFormat: 'float' }]]);
    const read = async (_c: Clip, start: number, count: number, out: Float32Array[]) => {
      for (const ch of out) ch.set(tone.subarray(start, start + count));
    };
    const levels: number[] = [];
    for (const bypass of [true, false]) {
      const album = createAlbum({
        rateHz: R,
        tracks: [createTrack(R, { gapBeforeSamples: 0, clips: [createClip({ assetId: 't', lengthSamples: n })] })],
        masterChain: [{ plugin: 'lathe.eq', params: { band1Type: 1, band1FreqHz: 1000, band1GainDb: -6, band1Q: 1 }, bypass }]
      });
      let peak = 0;
      await renderAlbum(album, formats, read, { bits: 24, dither: false, shaping: 'none', seed: 1, totalSamples: n }, async () => {}, {
        tap: (planar, count, from) => {
          for (let i = 0; i < count; i++) if (from + i > R) peak = Math.max(peak, Math.abs(planar[0][i]));
        }
      });
      levels.push(20 * Math.log10(peak));
    }
    expect(levels[1] - levels[0]).toBeCloseTo(-6, 2);
  });

  it('is listed by lathe plugins --json with every parameter', async () => {
    const r = await runLathe('plugins', '--json');
    const eq = JSON.parse(r.out).plugins.find((p: { id: string }) => p.id === 'lathe.eq');
    expect(eq.params.map((p: { id: string }) => p.id)).toEqual(EQ_INFO.params.map((p) => p.id));
    expect(eq.params.find((p: { id: string }) => p.id === 'band3GainDb')).toEqual({ id: 'band3GainDb', label: 'Band 3 gain', unit: 'dB', min: -24, max: 24, default: 0 });
    expect(eq.params).toHaveLength(26);
  });
});

describe('chain API', () => {
  it('stops a render on a plugin it cannot run, naming the plugin and the slot', async () => {
    const album = createAlbum({
      tracks: [
        createTrack(44_100, {
          clips: [createClip({ assetId: 'x', lengthSamples: 44_100, chain: [{ plugin: 'lathe.eq', params: {}, bypass: false }, { plugin: 'https://plugins.example/wam/index.js', params: {}, bypass: false }] })]
        })
      ]
    });
    const formats = new Map<string, SourceFormat>([['x', { rateHz: 44_100, bitDepth: 16, sampleFormat: 'int' }]]);
    await expect(renderAlbum(album, formats, async () => {}, { bits: 16, dither: true, shaping: 'none', seed: 1, totalSamples: 44_100 }, async () => {})).rejects.toThrow(
      /slot 2 of clip 1 of track 1 holds https:\/\/plugins\.example\/wam\/index\.js/
    );
    // A bypassed slot is skipped.
    album.tracks[0].clips[0].chain[1].bypass = true;
    await expect(renderAlbum(album, formats, async (_c, _s, n, out) => out.forEach((ch) => ch.fill(0, 0, n)), { bits: 16, dither: true, shaping: 'none', seed: 1, totalSamples: 44_100 }, async () => {})).resolves.toBeUndefined();
  });

  it('stops on a slot that outputs NaN or throws, naming the slot and the plugin', async () => {
    const kernels: KernelFactory = (id, params, rate, channels) =>
      id === 'test.nan'
        ? { latencySamples: 0, setParams() {}, reset() {}, process: (_i, out, n) => out.forEach((ch) => ch.fill(NaN, 0, n)) }
        : id === 'test.throws'
          ? { latencySamples: 0, setParams() {}, reset() {}, process: () => { throw new Error('kernel exploded'); } }
          : firstPartyKernel(id, params, rate, channels);
    const formats = new Map<string, SourceFormat>([['x', { rateHz: 44_100, bitDepth: 16, sampleFormat: 'int' }]]);
    const silence = async (_c: Clip, _s: number, n: number, out: Float32Array[]) => out.forEach((ch) => ch.fill(0, 0, n));
    for (const [plugin, message] of [['test.nan', /slot 2 of track 1 \(test\.nan\) output NaN; nothing was delivered/], ['test.throws', /slot 2 of track 1 \(test\.throws\) failed: kernel exploded/]] as const) {
      const album = createAlbum({ tracks: [createTrack(44_100, { chain: [{ plugin: 'lathe.eq', params: {}, bypass: false }, { plugin, params: {}, bypass: false }], clips: [createClip({ assetId: 'x', lengthSamples: 44_100 })] })] });
      let written = 0;
      await expect(renderAlbum(album, formats, silence, { bits: 16, dither: true, shaping: 'none', seed: 1, totalSamples: 44_100, kernels }, async (b) => void (written += b.length))).rejects.toThrow(message);
      expect(written).toBe(0);
    }
  });

  it('compensates the master chain\'s latency: a limiter keeps time to the sample and the length', async () => {
    const n = R;
    const click = new Float32Array(n);
    click[20_000] = 0.5;
    const formats = new Map<string, SourceFormat>([['c', { rateHz: R, bitDepth: 32, sampleFormat: 'float' }]]);
    const read = arrayReader(click);
    const album = createAlbum({
      rateHz: R,
      tracks: [createTrack(R, { gapBeforeSamples: 0, clips: [createClip({ assetId: 'c', lengthSamples: n })] })],
      masterChain: [{ plugin: 'lathe.limiter', params: { ceilingDbtp: -1 }, bypass: false }]
    });
    const got = new Float32Array(n);
    let total = 0;
    await renderAlbum(album, formats, read, { bits: 24, dither: false, shaping: 'none', seed: 1, totalSamples: n, blockFrames: 4096 }, async (b) => void (total += b.length), {
      tap: (planar, count, from) => got.set(planar[0].subarray(0, count), from)
    });
    expect(total).toBe(n * 2 * 3);
    const peakAt = got.reduce((best, v, i) => (Math.abs(v) > Math.abs(got[best]) ? i : best), 0);
    expect(peakAt).toBe(20_000);
  });

  it('compensates clip and track chains too: latent plugins anywhere keep every sample in place', async () => {
    const n = R;
    const clicks = new Float32Array(n);
    clicks[20_000] = 0.5;
    clicks[n - 10] = -0.5;
    const formats = new Map<string, SourceFormat>([['c', { rateHz: R, bitDepth: 32, sampleFormat: 'float' }]]);
    const limiter = { plugin: 'lathe.limiter', params: { ceilingDbtp: -1 }, bypass: false };
    const cases = [
      { clip: [limiter], track: [] },
      { clip: [], track: [limiter] },
      { clip: [limiter, limiter], track: [limiter] }
    ];
    for (const chains of cases) {
      const album = createAlbum({
        rateHz: R,
        tracks: [createTrack(R, { gapBeforeSamples: 0, chain: chains.track, clips: [createClip({ assetId: 'c', lengthSamples: n, chain: chains.clip })] })]
      });
      const got = new Float32Array(n);
      await renderAlbum(album, formats, arrayReader(clicks), { bits: 24, dither: false, shaping: 'none', seed: 1, totalSamples: n, blockFrames: 4096 }, async () => {}, {
        tap: (planar, count, from) => got.set(planar[0].subarray(0, count), from)
      });
      let max = 0;
      let min = 0;
      for (let i = 0; i < n; i++) {
        if (got[i] > got[max]) max = i;
        if (got[i] < got[min]) min = i;
      }
      // The last click, 10 samples before the clip ends, is let out of the clip's chain too.
      expect([max, min], JSON.stringify(chains)).toEqual([20_000, n - 10]);
      expect(got[n - 10]).toBeLessThan(-0.4);
    }
  });
});
