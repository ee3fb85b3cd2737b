import { describe, expect, it } from 'vitest';
import { Fft, smoothFactors } from '../../../src/lib/core/dsp/fft';
import { seededRandom } from '../../../src/lib/core/audio/synth';

/** The DFT by its definition, for comparison. */
function dft(re: Float64Array, im: Float64Array, sign: number): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const a = (sign * -2 * Math.PI * ((k * t) % n)) / n;
      outRe[k] += re[t] * Math.cos(a) - im[t] * Math.sin(a);
      outIm[k] += re[t] * Math.sin(a) + im[t] * Math.cos(a);
    }
  }
  return [outRe, outIm];
}

describe('FFT', () => {
  // Powers of two, and sizes with factors 3, 5 and 7 (those of rate ratios).
  for (const n of [1, 2, 3, 4, 5, 7, 8, 12, 30, 32, 49, 105, 128, 147, 320, 512, 882, 2048, 2352]) {
    it(`equals the DFT at size ${n}, forward and inverse`, () => {
      const rand = seededRandom(n);
      const re = Float64Array.from({ length: n }, () => rand() - 0.5);
      const im = Float64Array.from({ length: n }, () => rand() - 0.5);
      const [wantRe, wantIm] = dft(re, im, 1);
      const gotRe = re.slice();
      const gotIm = im.slice();
      const fft = new Fft(n);
      fft.transform(gotRe, gotIm);
      let worst = 0;
      for (let k = 0; k < n; k++) worst = Math.max(worst, Math.abs(gotRe[k] - wantRe[k]), Math.abs(gotIm[k] - wantIm[k]));
      expect(worst).toBeLessThan(1e-12 * Math.max(n, 8));
      fft.transform(gotRe, gotIm, true);
      worst = 0;
      for (let k = 0; k < n; k++) worst = Math.max(worst, Math.abs(gotRe[k] - re[k]), Math.abs(gotIm[k] - im[k]));
      expect(worst).toBeLessThan(1e-14 * Math.max(n, 8));
    });
  }

  it('works in its own arrays without copies, and leaves out the 1/size when asked', () => {
    const n = 147;
    const rand = seededRandom(7);
    const re = Float64Array.from({ length: n }, () => rand() - 0.5);
    const im = Float64Array.from({ length: n }, () => rand() - 0.5);
    const [wantRe, wantIm] = dft(re, im, -1);
    const fft = new Fft(n);
    fft.re.set(re);
    fft.im.set(im);
    fft.transform(undefined, undefined, true, false);
    let worst = 0;
    for (let k = 0; k < n; k++) worst = Math.max(worst, Math.abs(fft.re[k] - wantRe[k]), Math.abs(fft.im[k] - wantIm[k]));
    expect(worst).toBeLessThan(1e-12 * n);
  });

  it('factors sizes into radices, and refuses a prime factor above 7', () => {
    expect(smoothFactors(5120)).toEqual([5, 4, 4, 4, 4, 4]);
    expect(smoothFactors(2352)).toEqual([7, 7, 3, 4, 4]);
    expect(smoothFactors(8)).toEqual([2, 4]);
    expect(smoothFactors(22)).toBeNull();
    expect(() => new Fft(1001)).toThrow(/prime factor above 7/);
  });
});
