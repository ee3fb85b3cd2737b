/**
 * Long-term average spectrum (Welch: Hann frames, 50 % overlap) of the mid and side of the front
 * pair, summarised as band power on a fixed 1/6-octave grid and on octave bands. Band power reads
 * like an RTA: pink noise is flat, white noise rises 3 dB per octave; a full-scale sine is 0 dB.
 */
import { Fft } from '../dsp/fft';

/** Centres of the 1/6-octave grid, 1 kHz * 2^(k/6), from 19.8 Hz to 20.2 kHz (61 bands). */
export const SIXTH_OCTAVE_HZ: readonly number[] = Array.from({ length: 61 }, (_, i) => 1000 * 2 ** ((i - 34) / 6));
/** Centres of the octave bands, nominally 31.5 Hz to 16 kHz. */
export const OCTAVE_HZ: readonly number[] = Array.from({ length: 10 }, (_, i) => 1000 * 2 ** (i - 5));
export const OCTAVE_LABELS = ['31.5', '63', '125', '250', '500', '1k', '2k', '4k', '8k', '16k'] as const;

export interface SpectrumSummary {
  fftSize: number;
  /** Band power per 1/6-octave band in dB (full-scale sine = 0), of (L² + R²) / 2; null above Nyquist or silent. */
  bandsDb: (number | null)[];
  midDb: (number | null)[];
  sideDb: (number | null)[];
  /** Octave-band power, dB, and the side-to-mid ratio per octave band, dB. */
  octaveDb: (number | null)[];
  octaveWidthDb: (number | null)[];
  /** Side-to-mid power ratio over the whole band, dB (-inf for mono is null). */
  widthDb: number | null;
}

/** Below -200 dB is the FFT's rounding, not signal. */
const FLOOR = 1e-20;
const db = (p: number) => (p > FLOOR ? Math.round(10 * Math.log10(2 * p) * 100) / 100 : null);

/** The FFT size for a rate: bins of about 5.4 Hz at 44.1 kHz, the same resolution at higher rates. */
export function spectrumFftSize(rateHz: number): number {
  let n = 8192;
  while (rateHz / n > 6) n *= 2;
  return n;
}

export class SpectrumMeter {
  readonly size: number;
  private readonly hop: number;
  private readonly fft: Fft;
  private readonly window: Float64Array;
  private readonly mid: Float32Array;
  private readonly side: Float32Array;
  private fill = 0;
  /** Per-bin power sums of mid and side, one-sided. */
  private readonly pm: Float64Array;
  private readonly ps: Float64Array;
  private frames = 0;
  private readonly norm: number;

  constructor(
    readonly rateHz: number,
    readonly channels: number
  ) {
    this.size = spectrumFftSize(rateHz);
    this.hop = this.size / 2;
    this.fft = new Fft(this.size);
    this.window = new Float64Array(this.size);
    let sumSq = 0;
    for (let i = 0; i < this.size; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / this.size);
      this.window[i] = w;
      sumSq += w * w;
    }
    // Parseval: the one-sided bin powers of a frame sum to its mean square.
    this.norm = 1 / (this.size * sumSq);
    this.mid = new Float32Array(this.size);
    this.side = new Float32Array(this.size);
    this.pm = new Float64Array(this.size / 2 + 1);
    this.ps = new Float64Array(this.size / 2 + 1);
  }

  process(planar: Float32Array[], n: number, offset = 0): void {
    const l = planar[0];
    const r = this.channels > 1 ? planar[1] : planar[0];
    let i = offset;
    const end = offset + n;
    while (i < end) {
      const take = Math.min(end - i, this.size - this.fill);
      for (let k = 0; k < take; k++) {
        const a = l[i + k];
        const b = r[i + k];
        this.mid[this.fill + k] = 0.5 * (a + b);
        this.side[this.fill + k] = 0.5 * (a - b);
      }
      this.fill += take;
      i += take;
      if (this.fill === this.size) {
        this.frame();
        this.mid.copyWithin(0, this.hop);
        this.side.copyWithin(0, this.hop);
        this.fill = this.hop;
      }
    }
  }

  /** Mid in the real part, side in the imaginary: one complex FFT gives both spectra. */
  private frame(): void {
    const { re, im } = this.fft;
    const w = this.window;
    for (let i = 0; i < this.size; i++) {
      re[i] = this.mid[i] * w[i];
      im[i] = this.side[i] * w[i];
    }
    this.fft.transform();
    const n = this.size;
    for (let k = 0; k <= n / 2; k++) {
      const j = (n - k) % n;
      const mr = 0.5 * (re[k] + re[j]);
      const mi = 0.5 * (im[k] - im[j]);
      const sr = 0.5 * (im[k] + im[j]);
      const si = 0.5 * (re[j] - re[k]);
      const fold = k === 0 || k === n / 2 ? 1 : 2;
      this.pm[k] += fold * (mr * mr + mi * mi);
      this.ps[k] += fold * (sr * sr + si * si);
    }
    this.frames++;
  }

  /** Power in [loHz, hiHz): each bin counts for the part of its width inside the band. */
  private bandPower(bins: Float64Array, loHz: number, hiHz: number): number {
    const df = this.rateHz / this.size;
    const lo = loHz / df;
    const hi = Math.min(hiHz / df, this.size / 2 + 0.5);
    let sum = 0;
    for (let k = Math.max(0, Math.floor(lo + 0.5)); k <= Math.min(this.size / 2, Math.ceil(hi - 0.5)); k++) {
      const overlap = Math.min(hi, k + 0.5) - Math.max(lo, k - 0.5);
      if (overlap > 0) sum += bins[k] * overlap;
    }
    return sum;
  }

  finish(): SpectrumSummary {
    const scale = this.frames > 0 ? this.norm / this.frames : 0;
    const nyquist = this.rateHz / 2;
    const bands = (centres: readonly number[], half: number) =>
      centres.map((fc) => {
        const lo = fc * 2 ** -half;
        const hi = fc * 2 ** half;
        if (lo >= nyquist) return { m: NaN, s: NaN };
        return { m: this.bandPower(this.pm, lo, hi) * scale, s: this.bandPower(this.ps, lo, hi) * scale };
      });
    const sixth = bands(SIXTH_OCTAVE_HZ, 1 / 12);
    const octave = bands(OCTAVE_HZ, 1 / 2);
    const valid = (p: number) => (Number.isNaN(p) ? null : db(p));
    // A side 100 dB under the mid is a mono signal's rounding: no width to report.
    const ratio = (s: number, m: number) => (Number.isNaN(s) || !(s > FLOOR) || !(m > FLOOR) || s / m < 1e-10 || m / s < 1e-10 ? null : Math.round(10 * Math.log10(s / m) * 100) / 100);
    let totalM = 0;
    let totalS = 0;
    for (let k = 1; k <= this.size / 2; k++) {
      totalM += this.pm[k];
      totalS += this.ps[k];
    }
    return {
      fftSize: this.size,
      // Mid and side powers add up to the mean of L² and R².
      bandsDb: sixth.map((b) => valid(b.m + b.s)),
      midDb: sixth.map((b) => valid(b.m)),
      sideDb: sixth.map((b) => valid(b.s)),
      octaveDb: octave.map((b) => valid(b.m + b.s)),
      octaveWidthDb: octave.map((b) => ratio(b.s, b.m)),
      widthDb: ratio(totalS, totalM)
    };
  }
}

/** A curve shifted so that the signal's integrated loudness reads 0: spectra of different levels compare by tone. */
export function normaliseToLoudness(curve: (number | null)[], integratedLufs: number | null): (number | null)[] {
  if (integratedLufs === null) return curve.map(() => null);
  return curve.map((v) => (v === null ? null : Math.round((v - integratedLufs) * 100) / 100));
}

/** The mean of several curves, in power; bands missing from one are left out of that band's mean. */
export function averageCurves(curves: (number | null)[][]): (number | null)[] {
  if (curves.length === 0) return [];
  return curves[0].map((_, i) => {
    let sum = 0;
    let n = 0;
    for (const c of curves) {
      const v = c[i];
      if (v !== null && v !== undefined) {
        sum += 10 ** (v / 10);
        n++;
      }
    }
    return n ? Math.round(10 * Math.log10(sum / n) * 100) / 100 : null;
  });
}

/** a - b per band, dB. */
export function differenceCurve(a: (number | null)[], b: (number | null)[]): (number | null)[] {
  return a.map((v, i) => (v === null || b[i] === null || b[i] === undefined ? null : Math.round((v - (b[i] as number)) * 100) / 100));
}
