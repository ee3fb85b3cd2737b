/**
 * lathe.limiter: a true-peak limiter. Each input sample's true peak (the BS.1770 Annex 2
 * interpolator) sets the gain it needs. Each moment's gain is the minimum need over a window of L
 * inputs, averaged over the last L - 12 moments, and the audio is delayed by L - 1: so every
 * sample within the interpolator's 12-tap reach of a peak gets a gain at or below that peak's
 * need, and the gain moves smoothly. A small margin covers the interpolation of a moving gain.
 */
import { resolveParams, type PluginInfo } from './params';
import { dbToGain } from './fades';
import { TruePeakMeter, TRUE_PEAK_TAPS } from '../analysis/truepeak';

export const LIMITER_INFO: PluginInfo = {
  id: 'lathe.limiter',
  name: 'Lathe Limiter',
  params: [
    { id: 'ceilingDbtp', label: 'Ceiling', unit: 'dBTP', min: -12, max: 0, default: -1 },
    { id: 'inputGainDb', label: 'Input gain', unit: 'dB', min: -12, max: 24, default: 0 },
    { id: 'releaseMs', label: 'Release', unit: 'ms', min: 1, max: 1000, default: 60 }
  ]
};

const LOOKAHEAD_MS = 2;
/** Headroom for a gain that moves between samples, and for the detector's own filter. */
const MARGIN_DB = 0.2;

export class LimiterKernel {
  readonly latencySamples: number;
  private readonly window: number;
  private p: Record<string, number> = {};
  private ceiling = 1;
  private inGain = 1;
  private release = 0;
  private readonly delay: Float32Array[];
  /** Gain each of the last L inputs needs, and the window minima awaiting averaging. */
  private readonly need: Float64Array;
  private readonly held: Float64Array;
  private readonly avgLength: number;
  private heldSum: number;
  private pos = 0;
  private heldPos = 0;
  private released = 1;
  private readonly detector: TruePeakMeter;
  private readonly one: Float32Array[];

  constructor(
    readonly rateHz: number,
    readonly channels: number,
    params: Record<string, number> = {}
  ) {
    this.window = Math.max(48, Math.round((LOOKAHEAD_MS / 1000) * rateHz));
    this.latencySamples = this.window - 1;
    this.avgLength = this.window - TRUE_PEAK_TAPS;
    this.delay = Array.from({ length: channels }, () => new Float32Array(this.latencySamples));
    this.need = new Float64Array(this.window).fill(1);
    this.held = new Float64Array(this.avgLength).fill(1);
    this.heldSum = this.avgLength;
    this.detector = new TruePeakMeter(channels, rateHz);
    this.one = Array.from({ length: channels }, () => new Float32Array(1));
    this.setParams(params);
  }

  setParams(params: Record<string, number>): void {
    this.p = resolveParams(LIMITER_INFO, params);
    this.ceiling = dbToGain(this.p.ceilingDbtp - MARGIN_DB);
    this.inGain = dbToGain(this.p.inputGainDb);
    this.release = Math.exp(-1 / ((this.p.releaseMs / 1000) * this.rateHz));
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    const L = this.window;
    const D = this.latencySamples;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < this.channels; c++) this.one[c][0] = inputs[c][i] * this.inGain;
      this.detector.peak.fill(0);
      this.detector.process(this.one, 1);
      const tp = this.detector.maxPeak();
      this.need[this.pos % L] = tp > this.ceiling ? this.ceiling / tp : 1;
      let min = 1;
      for (let k = 0; k < L; k++) if (this.need[k] < min) min = this.need[k];
      // Release: after a peak the held value recovers smoothly, never faster than set.
      this.released = min < this.released ? min : min + this.release * (this.released - min);
      this.heldSum += this.released - this.held[this.heldPos];
      this.held[this.heldPos] = this.released;
      this.heldPos = (this.heldPos + 1) % this.avgLength;
      const gain = this.heldSum / this.avgLength;
      const slot = this.pos % D;
      // The delay line hands out the input from D samples ago and takes the new one.
      for (let c = 0; c < this.channels; c++) {
        const d = this.delay[c];
        outputs[c][i] = d[slot] * gain;
        d[slot] = this.one[c][0];
      }
      this.pos = (this.pos + 1) % (L * D);
    }
  }

  reset(): void {
    for (const d of this.delay) d.fill(0);
    this.need.fill(1);
    this.held.fill(1);
    this.heldSum = this.avgLength;
    this.released = 1;
    this.detector.reset();
  }
}
