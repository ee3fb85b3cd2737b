import { describe, expect, it } from 'vitest';
import { EqKernel, eqSections, linearPhaseTaps, linearPhaseTapCount } from '../../../src/lib/core/dsp/eq';
import { responseDb, UNITY } from '../../../src/lib/core/dsp/biquad';
import { Fft } from '../../../src/lib/core/dsp/fft';
import { FirConvolver } from '../../../src/lib/core/dsp/convolver';
import { seededRandom } from '../../../src/lib/core/audio/synth';

const R = 48_000;
const SETTING = { band1Type: 5, band1FreqHz: 30, band2Type: 1, band2FreqHz: 300, band2GainDb: -6, band2Q: 1.4, band3Type: 3, band3FreqHz: 8000, band3GainDb: 4, outputGainDb: -1, linearPhase: 1 };

function analyticDb(f: number): number {
  return eqSections(SETTING, R).filter((c) => c !== UNITY).reduce((db, c) => db + responseDb(c, f, R), -1);
}

describe('FFT and FIR convolution', () => {
  it('transforms and inverts back, and convolves like the direct sum, in blocks of any size', () => {
    const fft = new Fft(64);
    const rand = seededRandom(3);
    const re = Float64Array.from({ length: 64 }, () => rand() - 0.5);
    const im = new Float64Array(64);
    const keep = re.slice();
    fft.transform(re, im);
    fft.transform(re, im, true);
    for (let i = 0; i < 64; i++) expect(re[i]).toBeCloseTo(keep[i], 12);

    const taps = Float64Array.from({ length: 37 }, () => rand() - 0.5);
    const x = Float32Array.from({ length: 1000 }, () => rand() - 0.5);
    const conv = new FirConvolver(taps.length, 1);
    conv.setTaps(taps);
    const y = new Float32Array(1000);
    for (let at = 0, step = 1; at < 1000; at += step, step = (step * 7) % 97 + 1) {
      const n = Math.min(step, 1000 - at);
      conv.process([x.subarray(at, at + n)], [y.subarray(at, at + n)], n);
    }
    const lag = conv.blockSamples;
    for (let t = 0; t + lag < 1000; t += 13) {
      let want = 0;
      for (let k = 0; k < taps.length && k <= t; k++) want += taps[k] * x[t - k];
      expect(y[t + lag]).toBeCloseTo(want, 5);
    }
  });
});

describe('lathe.eq in linear phase', () => {
  const taps = linearPhaseTaps(SETTING, R);

  it('is symmetric (every frequency delayed alike) and keeps the analytic magnitude within 0.1 dB from 60 Hz to 20 kHz', () => {
    const n = taps.length;
    for (let j = 0; j < n / 2; j++) expect(taps[j]).toBeCloseTo(taps[n - 1 - j], 12);
    for (const f of [60, 100, 300, 1000, 3000, 8000, 12_000, 20_000]) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < n; j++) {
        re += taps[j] * Math.cos((2 * Math.PI * f * j) / R);
        im -= taps[j] * Math.sin((2 * Math.PI * f * j) / R);
      }
      expect(Math.abs(10 * Math.log10(re * re + im * im) - analyticDb(f)), `${f} Hz`).toBeLessThan(0.1);
    }
  });

  it('reports its latency, and an impulse comes out centred on it', () => {
    const eq = new EqKernel(R, 2, SETTING);
    expect(eq.latencySamples).toBe(linearPhaseTapCount(R) + 1 + (linearPhaseTapCount(R) - 1) / 2);
    const n = 3 * 8192;
    const x = new Float32Array(n);
    x[100] = 1;
    const y = new Float32Array(n);
    eq.process([x, x], [y, new Float32Array(n)], n);
    let peak = 0;
    for (let i = 0; i < n; i++) if (Math.abs(y[i]) > Math.abs(y[peak])) peak = i;
    expect(peak).toBe(100 + eq.latencySamples);
    // Symmetric around the peak: no phase distortion.
    for (let k = 1; k < 500; k += 7) expect(y[peak - k]).toBeCloseTo(y[peak + k], 6);
    // Off again: minimum phase, no latency.
    eq.setParams({ ...SETTING, linearPhase: 0 });
    expect(eq.latencySamples).toBe(0);
  });
});
