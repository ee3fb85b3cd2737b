/**
 * lathe.imager: mid/side width in three bands, and mono below a frequency (a high-pass on the
 * side signal, the vinyl cutter's "elliptical EQ"). Bands are split complementarily (mid = side -
 * low - high), so at 100 % everywhere the output is the input, sample for sample.
 */
import { Biquad, designBiquad } from './biquad';
import { resolveParams, type PluginInfo } from './params';

export const IMAGER_INFO: PluginInfo = {
  id: 'lathe.imager',
  name: 'Lathe Imager',
  params: [
    { id: 'monoBelowHz', label: 'Mono below', unit: 'Hz', min: 0, max: 500, default: 0 },
    { id: 'lowWidthPercent', label: 'Low width', unit: '%', min: 0, max: 200, default: 100 },
    { id: 'midWidthPercent', label: 'Mid width', unit: '%', min: 0, max: 200, default: 100 },
    { id: 'highWidthPercent', label: 'High width', unit: '%', min: 0, max: 200, default: 100 },
    { id: 'lowMidHz', label: 'Low/mid crossover', unit: 'Hz', min: 40, max: 1000, default: 250 },
    { id: 'midHighHz', label: 'Mid/high crossover', unit: 'Hz', min: 1000, max: 16_000, default: 4000 }
  ]
};

const MAX_BLOCK = 2048;

export class ImagerKernel {
  readonly latencySamples = 0;
  private p: Record<string, number> = {};
  private readonly low = new Biquad(1);
  private readonly high = new Biquad(1);
  private readonly mono1 = new Biquad(1);
  private readonly mono2 = new Biquad(1);
  private readonly side = [new Float32Array(MAX_BLOCK)];
  private readonly lowBand = [new Float32Array(MAX_BLOCK)];
  private readonly highBand = [new Float32Array(MAX_BLOCK)];

  constructor(
    readonly rateHz: number,
    readonly channels: number,
    params: Record<string, number> = {}
  ) {
    this.setParams(params);
  }

  setParams(params: Record<string, number>): void {
    this.p = resolveParams(IMAGER_INFO, params);
    const q = Math.SQRT1_2;
    this.low.set(designBiquad('lowPass', this.p.lowMidHz, 0, q, this.rateHz));
    this.high.set(designBiquad('highPass', this.p.midHighHz, 0, q, this.rateHz));
    if (this.p.monoBelowHz > 0) {
      // Two Butterworth sections: 24 dB per octave below the corner.
      this.mono1.set(designBiquad('highPass', this.p.monoBelowHz, 0, q, this.rateHz));
      this.mono2.set(designBiquad('highPass', this.p.monoBelowHz, 0, q, this.rateHz));
    }
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    const neutral = this.p.monoBelowHz === 0 && this.p.lowWidthPercent === 100 && this.p.midWidthPercent === 100 && this.p.highWidthPercent === 100;
    if (this.channels < 2 || neutral) {
      // Nothing to do: the audio passes untouched, bit for bit.
      for (let c = 0; c < this.channels; c++) if (inputs[c] !== outputs[c]) outputs[c].set(inputs[c].subarray(0, n));
      return;
    }
    for (let off = 0; off < n; off += MAX_BLOCK) this.block(inputs, outputs, off, Math.min(MAX_BLOCK, n - off));
  }

  private block(inputs: Float32Array[], outputs: Float32Array[], off: number, n: number): void {
    const [l, r] = inputs;
    const side = this.side[0];
    for (let i = 0; i < n; i++) side[i] = (l[off + i] - r[off + i]) / 2;
    const wl = this.p.lowWidthPercent / 100 - 1;
    const wm = this.p.midWidthPercent / 100 - 1;
    const wh = this.p.highWidthPercent / 100 - 1;
    const bands = wl !== 0 || wm !== 0 || wh !== 0;
    if (bands) {
      this.low.process(this.side, this.lowBand, n);
      this.high.process(this.side, this.highBand, n);
    }
    const lo = this.lowBand[0];
    const hi = this.highBand[0];
    for (let i = 0; i < n; i++) {
      if (bands) {
        const mid = side[i] - lo[i] - hi[i];
        side[i] += wl * lo[i] + wm * mid + wh * hi[i];
      }
    }
    if (this.p.monoBelowHz > 0) {
      this.mono1.process(this.side, this.side, n);
      this.mono2.process(this.side, this.side, n);
    }
    for (let i = 0; i < n; i++) {
      const m = (l[off + i] + r[off + i]) / 2;
      const s = side[i];
      outputs[0][off + i] = m + s;
      outputs[1][off + i] = m - s;
    }
    for (let c = 2; c < this.channels; c++) if (inputs[c] !== outputs[c]) outputs[c].set(inputs[c].subarray(off, off + n), off);
  }

  reset(): void {
    for (const b of [this.low, this.high, this.mono1, this.mono2]) b.reset();
  }
}
