/**
 * A long FIR by uniform overlap-save FFT convolution. Input is gathered in blocks of B samples
 * (B the power of two at or above the filter length), so the output lags by B on top of the
 * filter's own delay. New taps can fade in across one block (old and new filters both run for
 * it), so a change does not click. Nothing is allocated per block.
 */
import { Fft } from './fft';

export class FirConvolver {
  readonly blockSamples: number;
  private readonly fft: Fft;
  private readonly hRe: Float64Array;
  private readonly hIm: Float64Array;
  /** The taps fading in, and the second filter's work arrays. */
  private readonly nRe: Float64Array;
  private readonly nIm: Float64Array;
  private readonly re2: Float64Array;
  private readonly im2: Float64Array;
  private fading = false;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly prev: Float32Array[];
  private readonly cur: Float32Array[];
  private readonly ready: Float32Array[];
  private pos = 0;

  constructor(
    readonly tapCount: number,
    readonly channels: number
  ) {
    let b = 1;
    while (b < tapCount) b <<= 1;
    this.blockSamples = b;
    this.fft = new Fft(2 * b);
    const spectrum = () => new Float64Array(2 * b);
    this.hRe = spectrum();
    this.hIm = spectrum();
    this.nRe = spectrum();
    this.nIm = spectrum();
    this.re = spectrum();
    this.im = spectrum();
    this.re2 = spectrum();
    this.im2 = spectrum();
    const make = () => Array.from({ length: channels }, () => new Float32Array(b));
    this.prev = make();
    this.cur = make();
    this.ready = make();
  }

  /**
   * New taps (at most tapCount). With `crossfade`, the next block fades from the old filter to
   * the new one; without, the new one applies from the next block.
   */
  setTaps(taps: ArrayLike<number>, crossfade = false): void {
    const re = crossfade ? this.nRe : this.hRe;
    const im = crossfade ? this.nIm : this.hIm;
    re.fill(0);
    im.fill(0);
    const n = Math.min(taps.length, this.tapCount);
    for (let i = 0; i < n; i++) re[i] = taps[i];
    this.fft.transform(re, im);
    this.fading = crossfade;
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    this.processAt(inputs, outputs, 0, n, 0);
  }

  /** Convolves inputs[ch][inAt, inAt + n) into outputs[ch][outAt, outAt + n). */
  processAt(inputs: Float32Array[], outputs: Float32Array[], inAt: number, n: number, outAt = 0): void {
    const b = this.blockSamples;
    let done = 0;
    while (done < n) {
      const take = Math.min(n - done, b - this.pos);
      for (let ch = 0; ch < this.channels; ch++) {
        const x = inputs[ch];
        const y = outputs[ch];
        const cur = this.cur[ch];
        const ready = this.ready[ch];
        for (let i = 0; i < take; i++) {
          const v = x[inAt + done + i];
          y[outAt + done + i] = ready[this.pos + i];
          cur[this.pos + i] = v;
        }
      }
      this.pos += take;
      done += take;
      if (this.pos === b) {
        this.pos = 0;
        for (let ch = 0; ch < this.channels; ch++) this.block(ch);
        if (this.fading) {
          // The new taps are the taps now.
          this.hRe.set(this.nRe);
          this.hIm.set(this.nIm);
          this.fading = false;
        }
      }
    }
  }

  /** Convolves [previous block, current block] and keeps the last B outputs (the valid ones). */
  private block(ch: number): void {
    const b = this.blockSamples;
    const { re, im, hRe, hIm } = this;
    const prev = this.prev[ch];
    const cur = this.cur[ch];
    for (let i = 0; i < b; i++) {
      re[i] = prev[i];
      re[b + i] = cur[i];
    }
    im.fill(0);
    this.fft.transform(re, im);
    const fading = this.fading;
    if (fading) {
      this.re2.set(re);
      this.im2.set(im);
    }
    multiply(re, im, hRe, hIm);
    this.fft.transform(re, im, true);
    const ready = this.ready[ch];
    if (!fading) {
      for (let i = 0; i < b; i++) ready[i] = re[b + i];
    } else {
      const { re2, im2 } = this;
      multiply(re2, im2, this.nRe, this.nIm);
      this.fft.transform(re2, im2, true);
      for (let i = 0; i < b; i++) {
        const w = (i + 0.5) / b;
        ready[i] = (1 - w) * re[b + i] + w * re2[b + i];
      }
    }
    prev.set(cur);
  }

  reset(): void {
    for (const a of this.prev) a.fill(0);
    for (const a of this.cur) a.fill(0);
    for (const a of this.ready) a.fill(0);
    this.pos = 0;
  }
}

function multiply(re: Float64Array, im: Float64Array, hRe: Float64Array, hIm: Float64Array): void {
  for (let k = 0; k < re.length; k++) {
    const r = re[k] * hRe[k] - im[k] * hIm[k];
    im[k] = re[k] * hIm[k] + im[k] * hRe[k];
    re[k] = r;
  }
}
