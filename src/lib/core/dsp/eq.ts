/** lathe.eq: six bands (bell, shelves, low/high pass) and an output gain. */
import { Biquad, designBiquad, responseDb, UNITY, type BiquadCoefficients, type FilterType } from './biquad';
import { Fft } from './fft';
import { FirConvolver } from './convolver';
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
    { id: 'outputGainDb', label: 'Output gain', unit: 'dB', min: -24, max: 24, default: 0 },
    { id: 'linearPhase', label: 'Linear phase', unit: '', min: 0, max: 1, default: 0, choices: ['off', 'on'] }
  ]
};

/** Taps of the linear-phase FIR: about 11 Hz of resolution at any rate. */
export function linearPhaseTapCount(rateHz: number): number {
  let n = 4096;
  while (n < rateHz / 11) n <<= 1;
  return n - 1;
}

/**
 * The linear-phase version of a setting: the same magnitude as the minimum-phase sections (and the
 * output gain), with every frequency delayed alike by (taps - 1) / 2. Designed by sampling the
 * magnitude on a grid four times the length, inverse transforming and windowing (Blackman).
 */
export function linearPhaseTaps(params: Record<string, number>, rateHz: number, tapCount = linearPhaseTapCount(rateHz)): Float64Array {
  const sections = eqSections(params, rateHz).filter((c) => c !== UNITY);
  const gainDb = resolveParams(EQ_INFO, params).outputGainDb;
  const size = 4 * (tapCount + 1);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let k = 0; k <= size / 2; k++) {
    const f = (k * rateHz) / size;
    let db = gainDb;
    for (const c of sections) db += responseDb(c, f, rateHz);
    const mag = Math.pow(10, db / 20);
    re[k] = mag;
    if (k > 0 && k < size / 2) re[size - k] = mag;
  }
  new Fft(size).transform(re, im, true);
  const center = (tapCount - 1) / 2;
  const taps = new Float64Array(tapCount);
  for (let j = 0; j < tapCount; j++) {
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * j) / (tapCount - 1)) + 0.08 * Math.cos((4 * Math.PI * j) / (tapCount - 1));
    taps[j] = re[(j - center + size) % size] * w;
  }
  return taps;
}

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
  private readonly sections: Biquad[];
  private gain = 1;
  private active: boolean[] = [];
  /** Made on first use of linear phase; kept (with its latency) while it is on. */
  private fir: FirConvolver | null = null;
  private linear = false;

  constructor(
    readonly rateHz: number,
    readonly channels: number,
    params: Record<string, number> = {}
  ) {
    this.sections = Array.from({ length: EQ_BANDS }, () => new Biquad(channels));
    this.setParams(params);
  }

  /** 0 in minimum phase; the FIR's centre plus its block in linear phase. */
  get latencySamples(): number {
    return this.linear && this.fir ? this.fir.blockSamples + (this.fir.tapCount - 1) / 2 : 0;
  }

  setParams(params: Record<string, number>): void {
    const p = resolveParams(EQ_INFO, params);
    this.linear = p.linearPhase >= 0.5;
    if (this.linear) {
      this.fir ??= new FirConvolver(linearPhaseTapCount(this.rateHz), this.channels);
      this.fir.setTaps(linearPhaseTaps(p, this.rateHz, this.fir.tapCount));
      return;
    }
    const coeffs = eqSections(params, this.rateHz);
    coeffs.forEach((c, i) => this.sections[i].set(c));
    this.active = coeffs.map((c) => c !== UNITY);
    this.gain = dbToGain(p.outputGainDb);
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    if (this.linear && this.fir) {
      this.fir.process(inputs, outputs, n);
      return;
    }
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
    this.fir?.reset();
  }
}
