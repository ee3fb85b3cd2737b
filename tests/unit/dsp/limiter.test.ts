import { describe, expect, it } from 'vitest';
import { LimiterKernel, limiterLowPass, LIMITER_PASS } from '../../../src/lib/core/dsp/limiter';
import { TruePeakMeter } from '../../../src/lib/core/analysis/truepeak';
import { seededRandom } from '../../../src/lib/core/audio/synth';
import { reconstructedPeakDb } from '../../helpers/reconstruct';
import { programme } from '../../helpers/programme';

function run(kernel: LimiterKernel, x: Float32Array[], block = 128): Float32Array[] {
  const out = x.map((c) => new Float32Array(c.length));
  for (let i = 0; i < x[0].length; i += block) {
    const n = Math.min(block, x[0].length - i);
    kernel.process(x.map((c) => c.subarray(i, i + n)), out.map((c) => c.subarray(i, i + n)), n);
  }
  return out;
}

/** The limiter runs on into silence, as a render does past the programme's end. */
const thenSilence = (x: Float32Array[], rateHz: number) =>
  x.map((c) => {
    const y = new Float32Array(c.length + Math.round(0.05 * rateHz));
    y.set(c);
    return y;
  });

const bs1770Db = (x: Float32Array[], rateHz: number) => {
  const m = new TruePeakMeter(x.length, rateHz);
  m.process(x, x[0].length);
  return 20 * Math.log10(m.maxPeak());
};

function hardSignals(rateHz: number): [string, Float32Array[]][] {
  const n = Math.round(0.5 * rateHz);
  const rand = seededRandom(3);
  const both = (f: (i: number, c: number) => number) => [0, 1].map((c) => new Float32Array(n).map((_, i) => f(i, c)));
  return [
    ['fs/4 sine at 45 degrees, +3 dBTP', both((i) => 1.41 * Math.sin((Math.PI * i) / 2 + Math.PI / 4))],
    ['square wave at full scale', both((i) => (Math.floor(i / 37) % 2 ? 1 : -1))],
    ['clipped noise, +12 dB', both(() => Math.max(-1, Math.min(1, (rand() * 2 - 1) * 4)))],
    ['isolated full-scale impulses', both((i) => (i % 4801 === 0 ? 1 : i % 4801 === 1 ? -1 : 0))],
    ['fast sweep 8 to 22 kHz', both((i, c) => Math.sin(2 * Math.PI * (8000 * (i / rateHz) + 14_000 * (i / rateHz) ** 2) + c))],
    ['programme material', programme({ rateHz, seconds: 1.5, seed: 7, sectionsDb: [-6, 0], width: 0.6 })]
  ];
}

// The ceiling must hold for any accurate meter: an ideal reconstruction at 16x (an FFT upsampler
// written in the test) and the BS.1770-4 meter of the analysis.
describe('lathe.limiter holds its ceiling', () => {
  for (const rateHz of [44_100, 48_000, 96_000]) {
    for (const [name, x] of hardSignals(rateHz)) {
      it(`${name} at ${rateHz / 1000} kHz`, () => {
        for (const [ceilingDbtp, inputGainDb, releaseMs] of [[-1, 6, 30], [-3, 12, 60], [-0.1, 18, 5]]) {
          const y = run(new LimiterKernel(rateHz, 2, { ceilingDbtp, inputGainDb, releaseMs }), thenSilence(x, rateHz));
          expect(reconstructedPeakDb(y, 16), `ceiling ${ceilingDbtp}, +${inputGainDb} dB`).toBeLessThanOrEqual(ceilingDbtp + 0.05);
          expect(bs1770Db(y, rateHz)).toBeLessThanOrEqual(ceilingDbtp);
        }
      });
    }
  }
});

describe('lathe.limiter', () => {
  it('is flat to 20 kHz at 44.1 kHz within 0.001 dB, and band-limits above', () => {
    const h = limiterLowPass();
    const db = (f: number) => {
      let re = 0;
      let im = 0;
      for (let j = 0; j < h.length; j++) {
        re += h[j] * Math.cos(2 * Math.PI * f * j);
        im -= h[j] * Math.sin(2 * Math.PI * f * j);
      }
      return 20 * Math.log10(Math.hypot(re, im));
    };
    for (let f = 0; f <= LIMITER_PASS; f += 0.005) expect(Math.abs(db(f))).toBeLessThan(0.001);
    expect(LIMITER_PASS * 44_100).toBeGreaterThanOrEqual(20_000);
    for (let f = 0.48; f <= 0.5; f += 0.002) expect(db(f)).toBeLessThan(-90);
  });

  it('leaves quiet audio untouched but for the band limit, delayed by its latency', () => {
    const R = 48_000;
    const x = [new Float32Array(R).map((_, i) => 0.1 * Math.sin(i * 0.01))];
    const k = new LimiterKernel(R, 1, { ceilingDbtp: -1 });
    const [y] = run(k, x);
    // Within -80 dB of full scale; the only difference is the band limit's ringing at the onset's kink.
    for (let i = k.latencySamples; i < R; i += 7) expect(Math.abs(y[i] - x[0][i - k.latencySamples])).toBeLessThan(1e-4);
  });
});
