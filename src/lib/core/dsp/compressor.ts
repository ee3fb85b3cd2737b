/** lathe.compressor: soft-knee feed-forward compressor, stereo-linked, with sidechain high-pass and parallel mix. */
import { Biquad, designInto, filterSpec } from './biquad';
import { timeConstant } from './envelope';
import { paramSlots, resolveInto, type PluginInfo } from './params';
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
const P = paramSlots(COMPRESSOR_INFO);
// Slots of CompressorKernel.s: the scalars it keeps, in a typed array so that storing them never boxes.
const ATTACK = 0;
const RELEASE = 1;
const REDUCTION_DB = 2;
const MAKEUP = 3;
const WET = 4;

export class CompressorKernel {
  readonly latencySamples = 0;
  private readonly p = new Float64Array(COMPRESSOR_INFO.params.length);
  private readonly s = new Float64Array(5);
  private readonly coeffs = new Float64Array(5);
  private readonly spec = new Float64Array(4);
  private readonly sidechain: Biquad;
  private readonly sc: Float32Array[];

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
    const p = this.p;
    resolveInto(COMPRESSOR_INFO, params, p);
    this.s[ATTACK] = timeConstant(p[P.attackMs], this.rateHz);
    this.s[RELEASE] = timeConstant(p[P.releaseMs], this.rateHz);
    this.s[MAKEUP] = dbToGain(p[P.makeupGainDb]);
    this.s[WET] = p[P.mixPercent] / 100;
    if (p[P.sidechainHpfHz] > 0) {
      designInto(this.coeffs, 0, 'highPass', filterSpec(this.spec, p[P.sidechainHpfHz], 0, Math.SQRT1_2, this.rateHz));
      this.sidechain.setFrom(this.coeffs);
    }
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    for (let off = 0; off < n; off += MAX_BLOCK) this.block(inputs, outputs, off, Math.min(MAX_BLOCK, n - off));
  }

  private block(inputs: Float32Array[], outputs: Float32Array[], off: number, n: number): void {
    const p = this.p;
    const s = this.s;
    const thresholdDb = p[P.thresholdDb];
    const ratio = p[P.ratio];
    const kneeDb = p[P.kneeDb];
    // The detector reads the input itself, or its high-passed copy in sc[0, n).
    const filtered = p[P.sidechainHpfHz] > 0;
    if (filtered) this.sidechain.process(inputs, this.sc, n, off, 0);
    const detector = filtered ? this.sc : inputs;
    const at = filtered ? 0 : off;
    const attack = s[ATTACK];
    const release = s[RELEASE];
    const makeup = s[MAKEUP];
    const wet = s[WET];
    const dry = 1 - wet;
    let r = s[REDUCTION_DB];
    for (let i = 0; i < n; i++) {
      let level = 0;
      for (let c = 0; c < this.channels; c++) {
        const v = detector[c][at + i];
        const a = v < 0 ? -v : v;
        if (a > level) level = a;
      }
      const inDb = level > 1e-10 ? 20 * Math.log10(level) : -200;
      const target = compressorCurveDb(inDb, thresholdDb, ratio, kneeDb) - inDb;
      // Attack when more reduction is needed, release when less.
      const k = target < r ? attack : release;
      r = target + k * (r - target);
      const g = Math.pow(10, r / 20) * makeup;
      for (let c = 0; c < this.channels; c++) {
        const x = inputs[c][off + i];
        outputs[c][off + i] = x * (dry + wet * g);
      }
    }
    s[REDUCTION_DB] = r;
  }

  /** The gain reduction now, in dB (0 or less): for meters. */
  get reductionDb(): number {
    return this.s[REDUCTION_DB];
  }

  reset(): void {
    this.sidechain.reset();
    this.s[REDUCTION_DB] = 0;
  }
}
