/**
 * What a cutting engineer checks on each side: low frequencies in phase (correlation below 300 Hz
 * never negative), little Side signal below 150 Hz (it cuts as vertical groove motion), sibilance
 * and energy above 10 kHz, content below 20 Hz, and the true peak. Each figure with the limit it
 * is held to; the limits are rules of thumb from ../shared/DOMAIN.md, written here as numbers.
 */
import { Biquad, designBiquad } from '../dsp/biquad';
import { TruePeakMeter } from './truepeak';

export const VINYL_LIMITS = {
  /** Correlation below 300 Hz, per 400 ms window: never below this. */
  lowCorrelation: 0,
  /** Side below 150 Hz against Mid below 150 Hz, in dB: above this the groove's vertical motion grows. */
  lowSideToMidDb: -12,
  /** The loudest 50 ms above 10 kHz, in dBFS: above this, sibilance distorts near the label. */
  highPeakDbfs: -12,
  /** Below 20 Hz against the whole, in dB. */
  subToFullDb: -30,
  /** The source no hotter than this. */
  truePeakDbtp: 0
};

export interface VinylCheck {
  id: 'low-phase' | 'low-side' | 'high' | 'sub' | 'true-peak';
  label: string;
  value: number | null;
  unit: string;
  limit: number;
  ok: boolean;
  /** Seconds into the side where the worst of it is. */
  atSec: number | null;
}

const WINDOW_SEC = 0.4;
const HIGH_WINDOW_SEC = 0.05;
const db = (power: number) => (power > 0 ? 10 * Math.log10(power) : null);

/** Two second-order sections: a fourth-order Butterworth-like band edge. */
class Edge {
  private readonly a: Biquad;
  private readonly b: Biquad;
  constructor(type: 'lowPass' | 'highPass', freqHz: number, rateHz: number, channels: number) {
    const c = designBiquad(type, freqHz, 0, Math.SQRT1_2, rateHz);
    this.a = new Biquad(channels);
    this.b = new Biquad(channels);
    this.a.set(c);
    this.b.set(c);
  }
  run(x: Float32Array[], y: Float32Array[], n: number) {
    this.a.process(x, y, n);
    this.b.process(y, y, n);
  }
}

export class VinylMeter {
  private readonly low300: Edge;
  private readonly low150: Edge;
  private readonly high10k: Edge;
  private readonly sub20: Edge;
  private readonly tp: TruePeakMeter;
  private buf: Float32Array[] = [];
  private ms: Float32Array[] = [];
  private frames = 0;
  // Low correlation per window.
  private lw = { lr: 0, ll: 0, rr: 0, n: 0 };
  private worstCorr: { value: number; at: number } | null = null;
  private sideLow = 0;
  private midLow = 0;
  private hw = { p: 0, n: 0 };
  private highPeak = { p: 0, at: 0 };
  private subPower = 0;
  private fullPower = 0;
  private readonly win: number;
  private readonly hwin: number;

  constructor(readonly rateHz: number) {
    this.low300 = new Edge('lowPass', 300, rateHz, 2);
    this.low150 = new Edge('lowPass', 150, rateHz, 2);
    this.high10k = new Edge('highPass', 10_000, rateHz, 2);
    this.sub20 = new Edge('lowPass', 20, rateHz, 2);
    this.tp = new TruePeakMeter(2, rateHz);
    this.win = Math.round(WINDOW_SEC * rateHz);
    this.hwin = Math.round(HIGH_WINDOW_SEC * rateHz);
  }

  private scratch(n: number): Float32Array[] {
    if (!this.buf.length || this.buf[0].length < n) {
      this.buf = [new Float32Array(n), new Float32Array(n)];
      this.ms = [new Float32Array(n), new Float32Array(n)];
    }
    return this.buf;
  }

  process(planar: Float32Array[], n: number): void {
    const [l, r] = planar;
    const y = this.scratch(n);
    this.tp.process(planar, n);
    for (let i = 0; i < n; i++) this.fullPower += (l[i] * l[i] + r[i] * r[i]) / 2;

    this.low300.run(planar, y, n);
    for (let i = 0; i < n; i++) {
      const a = y[0][i];
      const b = y[1][i];
      const w = this.lw;
      w.lr += a * b;
      w.ll += a * a;
      w.rr += b * b;
      if (++w.n === this.win) {
        // Quiet lows say nothing about phase.
        if (w.ll > 1e-7 * w.n && w.rr > 1e-7 * w.n) {
          const c = w.lr / Math.sqrt(w.ll * w.rr);
          if (!this.worstCorr || c < this.worstCorr.value) this.worstCorr = { value: c, at: (this.frames + i) / this.rateHz - WINDOW_SEC };
        }
        w.lr = w.ll = w.rr = 0;
        w.n = 0;
      }
    }

    const [m, s] = this.ms;
    for (let i = 0; i < n; i++) {
      m[i] = (l[i] + r[i]) / 2;
      s[i] = (l[i] - r[i]) / 2;
    }
    this.low150.run(this.ms, y, n);
    for (let i = 0; i < n; i++) {
      this.midLow += y[0][i] * y[0][i];
      this.sideLow += y[1][i] * y[1][i];
    }

    this.high10k.run(planar, y, n);
    for (let i = 0; i < n; i++) {
      this.hw.p += (y[0][i] * y[0][i] + y[1][i] * y[1][i]) / 2;
      if (++this.hw.n === this.hwin) {
        if (this.hw.p / this.hwin > this.highPeak.p) this.highPeak = { p: this.hw.p / this.hwin, at: (this.frames + i) / this.rateHz - HIGH_WINDOW_SEC };
        this.hw = { p: 0, n: 0 };
      }
    }

    this.sub20.run(planar, y, n);
    for (let i = 0; i < n; i++) this.subPower += (y[0][i] * y[0][i] + y[1][i] * y[1][i]) / 2;
    this.frames += n;
  }

  finish(): VinylCheck[] {
    const L = VINYL_LIMITS;
    const round = (x: number | null, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
    const corr = this.worstCorr ? round(this.worstCorr.value, 2) : null;
    // A floor of -100 dBFS under the Mid, so bass wholly in the Side reads as the worst, not as nothing.
    const floor = 1e-10 * this.frames;
    const sideToMid = this.sideLow > floor ? round(Math.min(60, (db(this.sideLow) as number) - (db(this.midLow + floor) as number))) : null;
    const high = round(db(this.highPeak.p));
    const sub = db(this.subPower) !== null && db(this.fullPower) !== null ? round((db(this.subPower) as number) - (db(this.fullPower) as number)) : null;
    const peak = this.tp.maxPeak();
    const tp = peak > 0 ? round(20 * Math.log10(peak)) : null;
    return [
      { id: 'low-phase', label: 'Lowest correlation below 300 Hz (400 ms windows)', value: corr, unit: '', limit: L.lowCorrelation, ok: corr === null || corr >= L.lowCorrelation, atSec: this.worstCorr ? round(this.worstCorr.at, 2) : null },
      { id: 'low-side', label: 'Side against Mid below 150 Hz', value: sideToMid, unit: 'dB', limit: L.lowSideToMidDb, ok: sideToMid === null || sideToMid <= L.lowSideToMidDb, atSec: null },
      { id: 'high', label: 'Loudest 50 ms above 10 kHz (sibilance)', value: high, unit: 'dBFS', limit: L.highPeakDbfs, ok: high === null || high <= L.highPeakDbfs, atSec: high === null ? null : round(this.highPeak.at, 2) },
      { id: 'sub', label: 'Below 20 Hz against the whole', value: sub, unit: 'dB', limit: L.subToFullDb, ok: sub === null || sub <= L.subToFullDb, atSec: null },
      { id: 'true-peak', label: 'True peak', value: tp, unit: 'dBTP', limit: L.truePeakDbtp, ok: tp === null || tp <= L.truePeakDbtp, atSec: null }
    ];
  }
}
