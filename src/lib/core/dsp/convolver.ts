/**
 * A long FIR by uniform overlap-save FFT convolution. Input is gathered in blocks of B samples
 * (B the power of two at or above the filter length), so the output lags by B on top of the
 * filter's own delay. Nothing is allocated per block.
 */
import { Fft } from './fft';

export class FirConvolver {
  readonly blockSamples: number;
  private readonly fft: Fft;
  private readonly hRe: Float64Array;
  private readonly hIm: Float64Array;
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
    this.hRe = new Float64Array(2 * b);
    this.hIm = new Float64Array(2 * b);
    this.re = new Float64Array(2 * b);
    this.im = new Float64Array(2 * b);
    const make = () => Array.from({ length: channels }, () => new Float32Array(b));
    this.prev = make();
    this.cur = make();
    this.ready = make();
  }

  /** New taps (at most tapCount); the running blocks keep going. */
  setTaps(taps: ArrayLike<number>): void {
    this.hRe.fill(0);
    this.hIm.fill(0);
    for (let i = 0; i < Math.min(taps.length, this.tapCount); i++) this.hRe[i] = taps[i];
    this.fft.transform(this.hRe, this.hIm);
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
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
          const v = x[done + i];
          y[done + i] = ready[this.pos + i];
          cur[this.pos + i] = v;
        }
      }
      this.pos += take;
      done += take;
      if (this.pos === b) {
        this.pos = 0;
        for (let ch = 0; ch < this.channels; ch++) this.block(ch);
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
    for (let k = 0; k < 2 * b; k++) {
      const r = re[k] * hRe[k] - im[k] * hIm[k];
      im[k] = re[k] * hIm[k] + im[k] * hRe[k];
      re[k] = r;
    }
    this.fft.transform(re, im, true);
    const ready = this.ready[ch];
    for (let i = 0; i < b; i++) ready[i] = re[b + i];
    prev.set(cur);
  }

  reset(): void {
    for (const a of [...this.prev, ...this.cur, ...this.ready]) a.fill(0);
    this.pos = 0;
  }
}
