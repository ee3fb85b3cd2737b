/**
 * True peak per BS.1770-4 Annex 2: oversample 4x below 96 kHz (2x from 96 kHz up) with the
 * Annex's 48-tap interpolation filter, and take the largest magnitude.
 */

/** Annex 2 filter, phase by phase (12 taps each); the prototype is symmetric. */
export const TRUE_PEAK_PHASES: readonly number[][] = [
  [0.001708984375, 0.010986328125, -0.0196533203125, 0.033203125, -0.0594482421875, 0.1373291015625, 0.97216796875, -0.102294921875, 0.047607421875, -0.026611328125, 0.014892578125, -0.00830078125],
  [-0.0291748046875, 0.029296875, -0.0517578125, 0.089111328125, -0.16650390625, 0.465087890625, 0.77978515625, -0.2003173828125, 0.1015625, -0.0582275390625, 0.0330810546875, -0.0189208984375],
  [-0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625, -0.2003173828125, 0.77978515625, 0.465087890625, -0.16650390625, 0.089111328125, -0.0517578125, 0.029296875, -0.0291748046875],
  [-0.00830078125, 0.014892578125, -0.026611328125, 0.047607421875, -0.102294921875, 0.97216796875, 0.1373291015625, -0.0594482421875, 0.033203125, -0.0196533203125, 0.010986328125, 0.001708984375]
];
export const TRUE_PEAK_TAPS = 12;
/** Group delay of the interpolator, in input samples. */
export const TRUE_PEAK_LATENCY = TRUE_PEAK_TAPS / 2;

export function oversamplingFor(rateHz: number): 2 | 4 {
  return rateHz >= 96_000 ? 2 : 4;
}

// Phase 0 and phase 1 taps as constants, unpacked once here: destructuring in the filter would
// box every tap on each call. Phases 3 and 2 are the same taps reversed.
const [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11] = TRUE_PEAK_PHASES[0];
const [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11] = TRUE_PEAK_PHASES[1];
/** No phase's output can exceed this times the largest input in its window (triangle inequality). */
const BOUND = Math.max(...TRUE_PEAK_PHASES.map((p) => p.reduce((s, c) => s + Math.abs(c), 0)));
/** Inputs are scanned in spans this long; a span that cannot raise the peak skips the filter. */
const SPAN = 64;

export class TruePeakMeter {
  /** Per channel: the last 12 inputs, newest first. */
  private readonly history: Float64Array;
  private readonly fourX: boolean;
  readonly peak: Float64Array;

  constructor(
    readonly channels: number,
    rateHz: number
  ) {
    this.fourX = oversamplingFor(rateHz) === 4;
    this.history = new Float64Array(channels * TRUE_PEAK_TAPS);
    this.peak = new Float64Array(channels);
  }

  process(planar: Float32Array[], n: number, offset = 0): void {
    const T = TRUE_PEAK_TAPS;
    for (let ch = 0; ch < this.channels; ch++) {
      const x = planar[ch];
      const line = this.history.subarray(ch * T, ch * T + T);
      let peak = this.peak[ch];
      for (let span = offset; span < offset + n; span += SPAN) {
        const end = Math.min(offset + n, span + SPAN);
        // Every output of this span depends only on the span and the 12 inputs before it.
        let max = 0;
        for (let k = 0; k < T; k++) max = Math.max(max, Math.abs(line[k]));
        for (let i = span; i < end; i++) max = Math.max(max, Math.abs(x[i]));
        if (max * BOUND > peak) peak = this.filterSpan(x, span, end, line, peak);
        else shiftIn(line, x, span, end);
      }
      this.peak[ch] = peak;
    }
  }

  /** Runs the interpolator over x[from, to), returning the new peak and leaving the delay line updated. */
  private filterSpan(x: Float32Array, from: number, to: number, line: Float64Array, peakIn: number): number {
    let x0 = line[0], x1 = line[1], x2 = line[2], x3 = line[3], x4 = line[4], x5 = line[5];
    let x6 = line[6], x7 = line[7], x8 = line[8], x9 = line[9], x10 = line[10], x11 = line[11];
    let peak = peakIn;
    for (let i = from; i < to; i++) {
      x11 = x10; x10 = x9; x9 = x8; x8 = x7; x7 = x6; x6 = x5;
      x5 = x4; x4 = x3; x3 = x2; x2 = x1; x1 = x0; x0 = x[i];
      let y = x0 < 0 ? -x0 : x0;
      if (y > peak) peak = y;
      y = a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3 + a4 * x4 + a5 * x5 + a6 * x6 + a7 * x7 + a8 * x8 + a9 * x9 + a10 * x10 + a11 * x11;
      if (y < 0) y = -y;
      if (y > peak) peak = y;
      y = b11 * x0 + b10 * x1 + b9 * x2 + b8 * x3 + b7 * x4 + b6 * x5 + b5 * x6 + b4 * x7 + b3 * x8 + b2 * x9 + b1 * x10 + b0 * x11;
      if (y < 0) y = -y;
      if (y > peak) peak = y;
      if (this.fourX) {
        y = b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3 + b4 * x4 + b5 * x5 + b6 * x6 + b7 * x7 + b8 * x8 + b9 * x9 + b10 * x10 + b11 * x11;
        if (y < 0) y = -y;
        if (y > peak) peak = y;
        y = a11 * x0 + a10 * x1 + a9 * x2 + a8 * x3 + a7 * x4 + a6 * x5 + a5 * x6 + a4 * x7 + a3 * x8 + a2 * x9 + a1 * x10 + a0 * x11;
        if (y < 0) y = -y;
        if (y > peak) peak = y;
      }
    }
    line[0] = x0; line[1] = x1; line[2] = x2; line[3] = x3; line[4] = x4; line[5] = x5;
    line[6] = x6; line[7] = x7; line[8] = x8; line[9] = x9; line[10] = x10; line[11] = x11;
    return peak;
  }

  maxPeak(): number {
    let m = 0;
    for (const v of this.peak) m = Math.max(m, v);
    return m;
  }

  reset(): void {
    this.history.fill(0);
    this.peak.fill(0);
  }
}

/** Pushes x[from, to) into a newest-first delay line without filtering. */
function shiftIn(line: Float64Array, x: Float32Array, from: number, to: number): void {
  const n = to - from;
  const T = line.length;
  if (n < T) line.copyWithin(n, 0, T - n);
  for (let k = 0; k < Math.min(n, T); k++) line[k] = x[to - 1 - k];
}
