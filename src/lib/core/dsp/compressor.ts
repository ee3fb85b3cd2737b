/** lathe.compressor: soft-knee feed-forward compressor, stereo-linked, with sidechain high-pass and parallel mix. */
import { Biquad, designBiquad } from './biquad';
import { resolveParams, type PluginInfo } from './params';
import { dbToGain } from './fades';

export const COMPRESSOR_INFO: PluginInfo = {
  id: 'lathe.compressor',
  name: 'Lathe Compressor',
  params: [
    { id: 'thresholdDb', label: 'Threshold', unit: 'dB', min: -60, max: 0, default: -18 },
    { id: 'ratio', label: 'Ratio', unit: ':1', min: 1, max: 20, default: 4 },
    { id: 'attackMs', label: 'Attack', unit: 'ms', min: 0.1, max: 200, default: 10 },
    { id: 'releaseMs', label: 'Release', unit: 'ms', min: 5, max: 2000, default: 150 },
    { id: 'kneeDb', label: 'Knee', unit: 'dB', min: 0, max: 24, default: 6 },
    { id: 'sidechainHpfHz', label: 'Sidechain high-pass', unit: 'Hz', min: 0, max: 500, default: 0 },
    { id: 'mixPercent', label: 'Mix', unit: '%', min: 0, max: 100, default: 100 },
    { id: 'makeupGainDb', label: 'Makeup gain', unit: 'dB', min: -12, max: 24, default: 0 }
  ]
};

/** The static curve: output level in dB for a steady input level in dB (Giannoulis' soft knee). */
export function compressorCurveDb(inDb: number, thresholdDb: number, ratio: number, kneeDb: number): number {
  const over = inDb - thresholdDb;
  if (2 * over < -kneeDb) return inDb;
  if (kneeDb > 0 && 2 * Math.abs(over) <= kneeDb) return inDb + ((1 / ratio - 1) * (over + kneeDb / 2) ** 2) / (2 * kneeDb);
  return thresholdDb + over / ratio;
}

const MAX_BLOCK = 4096;

export class CompressorKernel {
  readonly latencySamples = 0;
  private p: Record<string, number> = {};
  private attack = 0;
  private release = 0;
  private readonly sidechain: Biquad;
  private readonly sc: Float32Array[];
  /** Smoothed gain reduction in dB (<= 0). */
  private reductionDb = 0;
  private makeup = 1;
  private wet = 1;

  constructor(
    readonly rateHz: number,
    readonly channels: number,
    params: Record<string, number> = {}
  ) {
    this.sidechain = new Biquad(channels);
    this.sc = Array.from({ length: channels }, () => new Float32Array(MAX_BLOCK));
    this.setParams(params);
  }

  setParams(params: Record<string, number>): void {
    this.p = resolveParams(COMPRESSOR_INFO, params);
    this.attack = Math.exp(-1 / ((this.p.attackMs / 1000) * this.rateHz));
    this.release = Math.exp(-1 / ((this.p.releaseMs / 1000) * this.rateHz));
    this.makeup = dbToGain(this.p.makeupGainDb);
    this.wet = this.p.mixPercent / 100;
    if (this.p.sidechainHpfHz > 0) this.sidechain.set(designBiquad('highPass', this.p.sidechainHpfHz, 0, Math.SQRT1_2, this.rateHz));
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    for (let off = 0; off < n; off += MAX_BLOCK) this.block(inputs, outputs, off, Math.min(MAX_BLOCK, n - off));
  }

  private block(inputs: Float32Array[], outputs: Float32Array[], off: number, n: number): void {
    const { thresholdDb, ratio, kneeDb } = this.p;
    const views = inputs.map((x) => x.subarray(off, off + n));
    const detector = this.p.sidechainHpfHz > 0 ? this.sc : views;
    if (this.p.sidechainHpfHz > 0) this.sidechain.process(views, this.sc, n);
    let r = this.reductionDb;
    for (let i = 0; i < n; i++) {
      let level = 0;
      for (let c = 0; c < this.channels; c++) level = Math.max(level, Math.abs(detector[c][i]));
      const inDb = level > 1e-10 ? 20 * Math.log10(level) : -200;
      const target = compressorCurveDb(inDb, thresholdDb, ratio, kneeDb) - inDb;
      // Attack when more reduction is needed, release when less.
      const k = target < r ? this.attack : this.release;
      r = target + k * (r - target);
      const g = Math.pow(10, r / 20) * this.makeup;
      const dry = 1 - this.wet;
      for (let c = 0; c < this.channels; c++) {
        const x = inputs[c][off + i];
        outputs[c][off + i] = x * (dry + this.wet * g);
      }
    }
    this.reductionDb = r;
  }

  reset(): void {
    this.sidechain.reset();
    this.reductionDb = 0;
  }
}
