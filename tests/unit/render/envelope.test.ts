import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack, type Clip } from '../../../src/lib/core/album/model';
import { renderAlbum, type SourceFormat } from '../../../src/lib/core/render/engine';
import { FADE_CURVES, type FadeCurve } from '../../../src/lib/core/dsp/fades';
import { CompressorKernel } from '../../../src/lib/core/dsp/compressor';

const R = 48_000;

/** Renders one clip of a full-scale-ish constant source as the album plays it, before quantization. */
async function rendered(clip: Partial<Clip>, lengthSamples: number): Promise<Float32Array> {
  const album = createAlbum({ rateHz: R, tracks: [createTrack(R, { gapBeforeSamples: 0, clips: [createClip({ assetId: 'dc', lengthSamples, ...clip })] })] });
  const formats = new Map<string, SourceFormat>([['dc', { rateHz: R, bitDepth: 32, sampleFormat: 'float' }]]);
  const out = new Float32Array(lengthSamples);
  await renderAlbum(
    album,
    formats,
    async (_c, _s, n, dst) => dst.forEach((ch) => ch.fill(0.5, 0, n)),
    { bits: 24, dither: false, shaping: 'none', seed: 1, totalSamples: lengthSamples, blockFrames: 4096 },
    async () => {},
    { tap: (planar, n, from) => out.set(planar[0].subarray(0, n), from) }
  );
  return out;
}

// The expected shapes, from their definitions: a fade-in's gain at 25, 50 and 75 % of its length.
const AT: Record<FadeCurve, [number, number, number]> = {
  linear: [0.25, 0.5, 0.75],
  equalPower: [Math.sin(Math.PI / 8), Math.SQRT1_2, Math.sin((3 * Math.PI) / 8)],
  sCurve: [(1 - Math.SQRT1_2) / 2, 0.5, (1 + Math.SQRT1_2) / 2],
  exponential: [10 ** (-45 / 20), 10 ** (-30 / 20), 10 ** (-15 / 20)]
};

describe('clip gain and fades as the album renders them', () => {
  it('applies clip gain exactly: -6 dB is 0.501187', async () => {
    const y = await rendered({ gainDb: -6 }, R);
    for (const i of [0, 1000, R - 1]) expect(y[i]).toBeCloseTo(0.5 * 0.501187, 6);
  });

  for (const curve of FADE_CURVES) {
    it(`fades in and out along the ${curve} curve at 25, 50 and 75 %`, async () => {
      const fade = 4800;
      const length = 4 * R;
      const y = await rendered({ fadeInSamples: fade, fadeOutSamples: fade, fadeInCurve: curve, fadeOutCurve: curve, gainDb: 0 }, length);
      AT[curve].forEach((g, k) => {
        const at = ((k + 1) * fade) / 4;
        expect(y[at] / 0.5, `fade in at ${(k + 1) * 25} %`).toBeCloseTo(g, 4);
        // The fade-out mirrors it: at 25 % of the way out, the gain of 75 % of the way in.
        expect(y[length - 1 - at] / 0.5, `fade out at ${100 - (k + 1) * 25} %`).toBeCloseTo(g, 4);
      });
      expect(y[0]).toBe(0);
      expect(y[fade]).toBeCloseTo(0.5, 6);
    });
  }
});

describe('lathe.compressor time constants', () => {
  // A steady level well over the threshold: the reduction goes 63.2 % (1 - 1/e) of the way in
  // attackMs, and back 63.2 % of the way in releaseMs.
  it('attack and release are one-pole time constants in ms', () => {
    for (const [attackMs, releaseMs] of [[5, 100], [20, 400], [1, 50]]) {
      const k = new CompressorKernel(R, 1, { thresholdDb: -30, ratio: 20, kneeDb: 0, attackMs, releaseMs, mixPercent: 100 });
      const one = [new Float32Array(1)];
      const step = (level: number, samples: number) => {
        for (let i = 0; i < samples; i++) {
          one[0][0] = level;
          k.process(one, [new Float32Array(1)], 1);
        }
      };
      // 0 dBFS into -30 dB at 20:1: the reduction settles at -(30 - 30 / 20) = -28.5 dB.
      const settled = -(30 - 30 / 20);
      step(1, Math.round((attackMs / 1000) * R));
      expect(k.reductionDb / settled, `attack ${attackMs} ms`).toBeCloseTo(1 - Math.exp(-1), 2);
      step(1, Math.round((20 * attackMs * R) / 1000));
      expect(k.reductionDb).toBeCloseTo(settled, 3);
      // Below the threshold the reduction returns toward 0.
      step(0.001, Math.round((releaseMs / 1000) * R));
      expect(k.reductionDb / settled, `release ${releaseMs} ms`).toBeCloseTo(Math.exp(-1), 2);
    }
  });
});
