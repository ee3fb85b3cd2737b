/**
 * The largest magnitude a signal reaches between its samples, as the limiter needs it: a
 * Kaiser-windowed sinc interpolator at 4x (phase 0 is the sample itself), with each local maximum
 * refined by a parabola through it and its neighbours. Meant for signals band-limited below about
 * 0.48 of the rate (the limiter filters its path so); on those it reads the peak of the ideal
 * reconstruction to within about 0.04 dB. It also takes the BS.1770-4 Annex 2 interpolator's
 * reading of the same interval (analysis/truepeak.ts, 4x below 96 kHz, 2x from it), which reads
 * some content near 0.45 of the rate higher than it is: a ceiling then holds on both.
 */
import { kaiser, sinc } from './kaiser';
import { TRUE_PEAK_PHASES, TRUE_PEAK_TAPS, oversamplingFor } from '../analysis/truepeak';

export const INTERSAMPLE_FACTOR = 4;
/** Taps each side of the interpolated point. */
export const INTERSAMPLE_HALF = 32;
const BETA = 8;

/** taps[p - 1][j] weighs x[m - HALF + 1 + j] for the point m + p / 4, p = 1..3. */
function designTaps(): Float64Array {
  const H = INTERSAMPLE_HALF;
  const out = new Float64Array((INTERSAMPLE_FACTOR - 1) * 2 * H);
  for (let p = 1; p < INTERSAMPLE_FACTOR; p++) {
    for (let j = 0; j < 2 * H; j++) {
      const d = p / INTERSAMPLE_FACTOR - (j - H + 1);
      out[(p - 1) * 2 * H + j] = sinc(d) * kaiser(d, H, BETA);
    }
  }
  return out;
}

const TAPS = designTaps();
// The Annex 2 phases as the meter runs them (newest input first): 0, 2 and, at 4x, 1 and 3.
const A = TRUE_PEAK_PHASES[0];
const B = TRUE_PEAK_PHASES[1];
/** Where the Annex window for interval m starts in our window: x[m - 5] is line[start + ANNEX_AT]. */
const ANNEX_AT = INTERSAMPLE_HALF - TRUE_PEAK_TAPS / 2;
const T1 = TAPS.subarray(0, 2 * INTERSAMPLE_HALF);
const T2 = TAPS.subarray(2 * INTERSAMPLE_HALF, 4 * INTERSAMPLE_HALF);
const T3 = TAPS.subarray(4 * INTERSAMPLE_HALF, 6 * INTERSAMPLE_HALF);
/** No point, ours or the Annex meter's, can exceed this times the largest input in its reach. */
const BOUND = (() => {
  let best = 1;
  for (let p = 0; p < INTERSAMPLE_FACTOR - 1; p++) {
    let s = 0;
    for (let j = 0; j < 2 * INTERSAMPLE_HALF; j++) s += Math.abs(TAPS[p * 2 * INTERSAMPLE_HALF + j]);
    best = Math.max(best, s);
  }
  for (const phase of TRUE_PEAK_PHASES) best = Math.max(best, phase.reduce((s, c) => s + Math.abs(c), 0));
  return best;
})();

/**
 * Per channel, fed one frame at a time: after frame n it knows the peak, over its channels, of the
 * interval [n - DELAY, n - DELAY + 1). Allocates nothing after construction: results go into
 * `peak`, never through a returned number (a number returned from a call is boxed).
 */
export class IntersamplePeak {
  /** The interval a pushed sample completes lags it by this many samples. */
  static readonly DELAY = INTERSAMPLE_HALF;
  /** peak[0]: the last frame's result; peak[1]: the floor below which it need not interpolate. */
  readonly peak = new Float64Array(2);
  /** Each channel's last 2H inputs, written twice so a window is always one contiguous run. */
  private readonly line: Float64Array;
  private readonly points: Float64Array;
  /** Per channel: the last two points of the previous interval (for refining across the edge). */
  private readonly tail: Float64Array;
  private pos = 0;
  /** Running max of |x| over the line, per channel, to skip intervals that cannot matter. */
  private readonly lineMax: Float64Array;
  private readonly sinceMax: Int32Array;
  private readonly fourX: boolean;

  constructor(
    readonly channels: number,
    rateHz: number
  ) {
    this.fourX = oversamplingFor(rateHz) === 4;
    const w = 2 * INTERSAMPLE_HALF;
    this.line = new Float64Array(channels * 2 * w);
    this.points = new Float64Array(INTERSAMPLE_FACTOR + 1);
    this.tail = new Float64Array(channels * 2);
    this.lineMax = new Float64Array(channels);
    this.sinceMax = new Int32Array(channels);
  }

  /**
   * Takes frame i of `frames` (one array per channel) and sets peak[0] to the peak of the interval
   * it completes; where no point of that interval can reach peak[1], to a value under it, found
   * without interpolating. (No number goes through an argument: it would be boxed.)
   */
  push(frames: Float32Array[], i: number): void {
    let best = 0;
    for (let c = 0; c < this.channels; c++) {
      this.channel(c, frames[c], i);
      if (this.points[INTERSAMPLE_FACTOR] > best) best = this.points[INTERSAMPLE_FACTOR];
    }
    this.peak[0] = best;
    this.pos = this.pos + 1 === 2 * INTERSAMPLE_HALF ? 0 : this.pos + 1;
  }

  /** One channel's interval peak, left in points[FACTOR] (the slot is free by then). */
  private channel(c: number, frames: Float32Array, i: number): void {
    const x = frames[i];
    const floor = this.peak[1];
    const w = 2 * INTERSAMPLE_HALF;
    const base = c * 2 * w;
    const line = this.line;
    const pts = this.points;
    // The newest sample goes at pos and pos + w; the window is line[base + pos + 1 .. pos + w].
    const at = this.pos;
    line[base + at] = x;
    line[base + at + w] = x;
    const ax = x < 0 ? -x : x;
    if (ax >= this.lineMax[c]) {
      this.lineMax[c] = ax;
      this.sinceMax[c] = 0;
    } else if (++this.sinceMax[c] >= w) {
      let m = 0;
      for (let j = 1; j <= w; j++) {
        const v = line[base + at + j];
        const a = v < 0 ? -v : v;
        if (a > m) m = a;
      }
      this.lineMax[c] = m;
      this.sinceMax[c] = 0;
    }
    const start = base + at + 1;
    const x0 = line[start + INTERSAMPLE_HALF - 1];
    const ax0 = x0 < 0 ? -x0 : x0;
    const t = this.tail;
    if (this.lineMax[c] * BOUND < floor) {
      t[c * 2] = 0;
      t[c * 2 + 1] = ax0;
      pts[INTERSAMPLE_FACTOR] = ax0 < floor ? ax0 : floor * 0.999;
      return;
    }
    pts[0] = ax0;
    // The three phases in one pass over the window: one read of each input for three products.
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < w; j++) {
      const v = line[start + j];
      s1 += T1[j] * v;
      s2 += T2[j] * v;
      s3 += T3[j] * v;
    }
    pts[1] = s1 < 0 ? -s1 : s1;
    pts[2] = s2 < 0 ? -s2 : s2;
    pts[3] = s3 < 0 ? -s3 : s3;
    const next = line[start + INTERSAMPLE_HALF];
    pts[INTERSAMPLE_FACTOR] = next < 0 ? -next : next;
    let peak = 0;
    // Each point of this interval, refined where it is a local maximum by the parabola through it
    // and its neighbours: b - (a - c)^2 / (8 (a - 2b + c)).
    const prev2 = t[c * 2];
    const prev1 = t[c * 2 + 1];
    for (let p = 0; p < INTERSAMPLE_FACTOR; p++) {
      const b = pts[p];
      const a = p === 0 ? prev1 : pts[p - 1];
      const cc = pts[p + 1];
      let v = b;
      if (b >= a && b >= cc) {
        const den = a - 2 * b + cc;
        if (den < 0) v = b - ((a - cc) * (a - cc)) / (8 * den);
      }
      if (v > peak) peak = v;
    }
    // The previous interval's last point can only now be refined against this one's first.
    if (prev1 >= prev2 && prev1 >= pts[0]) {
      const den = prev2 - 2 * prev1 + pts[0];
      const v = den < 0 ? prev1 - ((prev2 - pts[0]) * (prev2 - pts[0])) / (8 * den) : prev1;
      if (v > peak) peak = v;
    }
    t[c * 2] = pts[INTERSAMPLE_FACTOR - 2];
    t[c * 2 + 1] = pts[INTERSAMPLE_FACTOR - 1];
    // The Annex 2 meter's points for the interval, its 12-tap window from x[m - 5] (oldest first).
    const from = start + ANNEX_AT;
    const T = TRUE_PEAK_TAPS;
    let ya = 0;
    let yb = 0;
    let yc = 0;
    let yd = 0;
    for (let k = 0; k < T; k++) {
      // The meter's x_k is the k-th newest input.
      const v = line[from + T - 1 - k];
      ya += A[k] * v;
      yc += B[T - 1 - k] * v;
      if (this.fourX) {
        yb += B[k] * v;
        yd += A[T - 1 - k] * v;
      }
    }
    if (ya < 0) ya = -ya;
    if (yc < 0) yc = -yc;
    if (ya > peak) peak = ya;
    if (yc > peak) peak = yc;
    if (this.fourX) {
      if (yb < 0) yb = -yb;
      if (yd < 0) yd = -yd;
      if (yb > peak) peak = yb;
      if (yd > peak) peak = yd;
    }
    pts[INTERSAMPLE_FACTOR] = peak;
  }

  reset(): void {
    this.line.fill(0);
    this.tail.fill(0);
    this.lineMax.fill(0);
    this.sinceMax.fill(0);
    this.peak[0] = 0;
    this.pos = 0;
  }
}
