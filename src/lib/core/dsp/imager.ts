/**
 * lathe.imager: mid/side width in three bands, and mono below a frequency (a high-pass on the
 * side signal, the vinyl cutter's "elliptical EQ"). Bands are split complementarily (mid = side -
 * low - high), so at 100 % everywhere the output is the input, sample for sample. Width changes
 * glide over about 10 ms, and so does turning the mono filter on or off, so moving a control does
 * not click.
 */
import { Biquad, designInto, filterSpec } from './biquad';
import { paramSlots, resolveInto, type PluginInfo } from './params';
import { timeConstant } from './envelope';

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
const GLIDE_MS = 10;
const P = paramSlots(IMAGER_INFO);

export class ImagerKernel {
  readonly latencySamples = 0;
  private readonly p = new Float64Array(IMAGER_INFO.params.length);
  private readonly coeffs = new Float64Array(5);
  private readonly spec = new Float64Array(4);
  private readonly low = new Biquad(1);
  private readonly high = new Biquad(1);
  private readonly mono1 = new Biquad(1);
  private readonly mono2 = new Biquad(1);
  private readonly side = [new Float32Array(MAX_BLOCK)];
  private readonly lowBand = [new Float32Array(MAX_BLOCK)];
  private readonly highBand = [new Float32Array(MAX_BLOCK)];
  private readonly monoBand = [new Float32Array(MAX_BLOCK)];
  private readonly glide: number;
  /** Band widths less 1 and the mono filter's share, as they are now and as set. */
  private readonly now = new Float64Array(4);
  private readonly target = new Float64Array(4);
  /** Until audio has gone through, a setting applies at once: there is nothing to glide from. */
  private started = false;

  constructor(
    readonly rateHz: number,
    readonly channels: number,
    params: Record<string, number> = {}
  ) {
    this.glide = timeConstant(GLIDE_MS, rateHz);
    this.setParams(params);
  }

  setParams(params: Record<string, number>): void {
    const p = this.p;
    resolveInto(IMAGER_INFO, params, p);
    const q = Math.SQRT1_2;
    designInto(this.coeffs, 0, 'lowPass', filterSpec(this.spec, p[P.lowMidHz], 0, q, this.rateHz));
    this.low.setFrom(this.coeffs);
    designInto(this.coeffs, 0, 'highPass', filterSpec(this.spec, p[P.midHighHz], 0, q, this.rateHz));
    this.high.setFrom(this.coeffs);
    if (p[P.monoBelowHz] > 0) {
      // Two Butterworth sections: 24 dB per octave below the corner.
      designInto(this.coeffs, 0, 'highPass', filterSpec(this.spec, p[P.monoBelowHz], 0, q, this.rateHz));
      this.mono1.setFrom(this.coeffs);
      this.mono2.setFrom(this.coeffs);
    }
    const t = this.target;
    t[0] = p[P.lowWidthPercent] / 100 - 1;
    t[1] = p[P.midWidthPercent] / 100 - 1;
    t[2] = p[P.highWidthPercent] / 100 - 1;
    t[3] = p[P.monoBelowHz] > 0 ? 1 : 0;
    if (!this.started) this.now.set(t);
  }

  private settled(): boolean {
    const { now, target } = this;
    return now[0] === target[0] && now[1] === target[1] && now[2] === target[2] && now[3] === target[3];
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    this.started = true;
    const neutral = this.settled() && this.now[0] === 0 && this.now[1] === 0 && this.now[2] === 0 && this.now[3] === 0;
    if (this.channels < 2 || neutral) {
      // Nothing to do: the audio passes untouched, bit for bit.
      for (let c = 0; c < this.channels; c++) copy(inputs[c], outputs[c], 0, n);
      return;
    }
    for (let off = 0; off < n; off += MAX_BLOCK) this.block(inputs, outputs, off, Math.min(MAX_BLOCK, n - off));
  }

  private block(inputs: Float32Array[], outputs: Float32Array[], off: number, n: number): void {
    const [l, r] = inputs;
    const side = this.side[0];
    for (let i = 0; i < n; i++) side[i] = (l[off + i] - r[off + i]) / 2;
    this.low.process(this.side, this.lowBand, n);
    this.high.process(this.side, this.highBand, n);
    const lo = this.lowBand[0];
    const hi = this.highBand[0];
    const mono = this.monoBand[0];
    const useMono = this.now[3] > 0 || this.target[3] > 0;
    const now = this.now;
    const target = this.target;
    const k = this.glide;
    const gliding = !this.settled();
    for (let i = 0; i < n; i++) {
      if (gliding) {
        for (let j = 0; j < 4; j++) {
          const v = target[j] + k * (now[j] - target[j]);
          now[j] = Math.abs(v - target[j]) < 1e-6 ? target[j] : v;
        }
      }
      const mid = side[i] - lo[i] - hi[i];
      side[i] += now[0] * lo[i] + now[1] * mid + now[2] * hi[i];
      // The mono filter's share is applied below, once side is complete; keep it per sample.
      mono[i] = now[3];
    }
    if (useMono) {
      // side -> (1 - share) * side + share * high-passed side
      const hp = this.lowBand[0];
      for (let i = 0; i < n; i++) hp[i] = side[i];
      this.mono1.process(this.lowBand, this.lowBand, n);
      this.mono2.process(this.lowBand, this.lowBand, n);
      for (let i = 0; i < n; i++) side[i] += mono[i] * (hp[i] - side[i]);
    }
    for (let i = 0; i < n; i++) {
      const m = (l[off + i] + r[off + i]) / 2;
      const s = side[i];
      outputs[0][off + i] = m + s;
      outputs[1][off + i] = m - s;
    }
    for (let c = 2; c < this.channels; c++) copy(inputs[c], outputs[c], off, n);
  }

  reset(): void {
    for (const b of [this.low, this.high, this.mono1, this.mono2]) b.reset();
    this.now.set(this.target);
    this.started = false;
  }
}

function copy(from: Float32Array, to: Float32Array, off: number, n: number): void {
  if (from === to) return;
  for (let i = 0; i < n; i++) to[off + i] = from[off + i];
}
