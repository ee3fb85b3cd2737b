/** lathe.eq: six bands (bell, shelves, low/high pass) and an output gain. */
import { Biquad, designBiquad, UNITY, type BiquadCoefficients, type FilterType } from './biquad';
import { resolveParams, type PluginInfo, type ParamInfo } from './params';
import { dbToGain } from './fades';

export const EQ_BANDS = 6;
export const EQ_TYPES: ('off' | FilterType)[] = ['off', 'bell', 'lowShelf', 'highShelf', 'lowPass', 'highPass'];
const DEFAULT_FREQS = [60, 200, 600, 2000, 6000, 12000];

export const EQ_INFO: PluginInfo = {
  id: 'lathe.eq',
  name: 'Lathe EQ',
  params: [
    ...Array.from({ length: EQ_BANDS }, (_, i): ParamInfo[] => {
      const b = `band${i + 1}`;
      return [
        { id: `${b}Type`, label: `Band ${i + 1} type`, unit: '', min: 0, max: EQ_TYPES.length - 1, default: 0, choices: EQ_TYPES },
        { id: `${b}FreqHz`, label: `Band ${i + 1} frequency`, unit: 'Hz', min: 10, max: 24_000, default: DEFAULT_FREQS[i] },
        { id: `${b}GainDb`, label: `Band ${i + 1} gain`, unit: 'dB', min: -24, max: 24, default: 0 },
        { id: `${b}Q`, label: `Band ${i + 1} Q`, unit: '', min: 0.1, max: 18, default: 0.707 }
      ];
    }).flat(),
    { id: 'outputGainDb', label: 'Output gain', unit: 'dB', min: -24, max: 24, default: 0 }
  ]
};

/** The coefficients of each band for a set of parameters (bands that are off are unity). */
export function eqSections(params: Record<string, number>, rateHz: number): BiquadCoefficients[] {
  const p = resolveParams(EQ_INFO, params);
  return Array.from({ length: EQ_BANDS }, (_, i) => {
    const type = EQ_TYPES[Math.round(p[`band${i + 1}Type`])];
    if (type === 'off') return UNITY;
    return designBiquad(type, p[`band${i + 1}FreqHz`], p[`band${i + 1}GainDb`], p[`band${i + 1}Q`], rateHz);
  });
}

export class EqKernel {
  readonly latencySamples = 0;
  private readonly sections: Biquad[];
  private gain = 1;
  private active: boolean[] = [];

  constructor(
    readonly rateHz: number,
    readonly channels: number,
    params: Record<string, number> = {}
  ) {
    this.sections = Array.from({ length: EQ_BANDS }, () => new Biquad(channels));
    this.setParams(params);
  }

  setParams(params: Record<string, number>): void {
    const coeffs = eqSections(params, this.rateHz);
    coeffs.forEach((c, i) => this.sections[i].set(c));
    this.active = coeffs.map((c) => c !== UNITY);
    this.gain = dbToGain(resolveParams(EQ_INFO, params).outputGainDb);
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    let src = inputs;
    for (let i = 0; i < EQ_BANDS; i++) {
      if (!this.active[i]) continue;
      this.sections[i].process(src, outputs, n);
      src = outputs;
    }
    for (let ch = 0; ch < this.channels; ch++) {
      const x = src[ch];
      const y = outputs[ch];
      const g = this.gain;
      for (let k = 0; k < n; k++) y[k] = x[k] * g;
    }
  }

  reset(): void {
    for (const s of this.sections) s.reset();
  }
}
