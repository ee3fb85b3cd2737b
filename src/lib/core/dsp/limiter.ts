/**
 * lathe.limiter: a true-peak limiter whose ceiling holds on any accurate meter.
 *
 * The path is band-limited first, by a linear-phase low-pass flat to 0.4535 of the rate (20 kHz
 * at 44.1 kHz) and 90 dB down from 0.48 of it: content near Nyquist carries inter-sample peaks
 * that no finite look-ahead can see. On that signal the peak between samples is read at 4x with a long
 * interpolator (dsp/intersample.ts). Each moment's gain is the minimum need over a window of L
 * samples, released smoothly and averaged over the last L - REACH moments; the audio is delayed so
 * that every sample within REACH / 2 of a peak gets a gain at or below that peak's need.
 */
import { paramSlots, resolveInto, type PluginInfo } from './params';
import { dbToGain } from './fades';
import { FirConvolver } from './convolver';
import { IntersamplePeak } from './intersample';
import { kaiser, kaiserBeta, sinc } from './kaiser';
import { timeConstant } from './envelope';

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
/** Samples each side of a peak held at its gain: the interpolator's near taps and the gain's ramp. */
const REACH = 16;
/** Headroom for what the gain's own movement adds between samples. */
const MARGIN_DB = 0.04;
/** The band limit: flat below PASS, at least STOP_DB down from STOP (fractions of the rate). */
export const LIMITER_PASS = 20_000 / 44_100;
const STOP = 0.48;
const STOP_DB = 90;

/** The band-limiting low-pass: a Kaiser-windowed sinc, odd length, linear phase. */
export function limiterLowPass(): Float64Array {
  const beta = kaiserBeta(STOP_DB);
  const width = STOP - LIMITER_PASS;
  let taps = Math.ceil((STOP_DB - 8) / (2.285 * 2 * Math.PI * width)) | 1;
  if (taps % 2 === 0) taps++;
  const half = (taps - 1) / 2;
  const cutoff = (LIMITER_PASS + STOP) / 2;
  const h = new Float64Array(taps);
  let sum = 0;
  for (let j = 0; j < taps; j++) {
    const d = j - half;
    h[j] = 2 * cutoff * sinc(2 * cutoff * d) * kaiser(d, half + 1, beta);
    sum += h[j];
  }
  for (let j = 0; j < taps; j++) h[j] /= sum;
  return h;
}

const LOW_PASS = limiterLowPass();
const P = paramSlots(LIMITER_INFO);
// Slots of LimiterKernel.s.
const CEILING = 0;
const IN_GAIN = 1;
const RELEASE = 2;
const RELEASED = 3;
const HELD_SUM = 4;
/** Largest block the kernel processes at once; longer ones are cut. */
const MAX_BLOCK = 4096;

export class LimiterKernel {
  readonly latencySamples: number;
  private readonly window: number;
  private readonly avgLength: number;
  /** Audio delay after the band limit, in samples. */
  private readonly delaySamples: number;
  private readonly p = new Float64Array(LIMITER_INFO.params.length);
  /** Scalars the loop updates, in one array: a number stored in a field is boxed on every store. */
  private readonly s = new Float64Array(5);
  private readonly lowPass: FirConvolver;
  private readonly band: Float32Array[];
  private readonly detector: IntersamplePeak;
  private readonly delay: Float32Array[];
  private delayPos = 0;
  /** Window minimum of the need, by a monotonic ring of (index, need). */
  private readonly minIdx: Int32Array;
  private readonly minVal: Float64Array;
  private minHead = 0;
  private minTail = 0;
  private step = 0;
  private readonly held: Float64Array;
  private heldPos = 0;

  constructor(
    readonly rateHz: number,
    readonly channels: number,
    params: Record<string, number> = {}
  ) {
    this.window = Math.max(48, Math.round((LOOKAHEAD_MS / 1000) * rateHz));
    this.avgLength = this.window - REACH;
    // The gain for an interval of the band-limited signal is ready DELAY + L - 1 samples after the
    // sample that completes it; centring the held span on the peak takes REACH / 2 off that.
    this.delaySamples = IntersamplePeak.DELAY + this.window - 1 - REACH / 2;
    this.lowPass = new FirConvolver(LOW_PASS.length, channels);
    this.lowPass.setTaps(LOW_PASS);
    this.latencySamples = this.lowPass.blockSamples + (LOW_PASS.length - 1) / 2 + this.delaySamples;
    this.band = Array.from({ length: channels }, () => new Float32Array(MAX_BLOCK));
    this.detector = new IntersamplePeak(channels, rateHz);
    this.delay = Array.from({ length: channels }, () => new Float32Array(this.delaySamples));
    this.minIdx = new Int32Array(this.window + 1);
    this.minVal = new Float64Array(this.window + 1);
    this.held = new Float64Array(this.avgLength).fill(1);
    this.s[HELD_SUM] = this.avgLength;
    this.s[RELEASED] = 1;
    this.setParams(params);
  }


  /** The gain reduction applied now, in dB (0 or less): the held gain's running mean. For meters. */
  get reductionDb(): number {
    return 20 * Math.log10(Math.max(1e-9, Math.min(1, this.s[HELD_SUM] / this.avgLength)));
  }

  setParams(params: Record<string, number>): void {
    resolveInto(LIMITER_INFO, params, this.p);
    this.s[CEILING] = dbToGain(this.p[P.ceilingDbtp] - MARGIN_DB);
    this.s[IN_GAIN] = dbToGain(this.p[P.inputGainDb]);
    this.s[RELEASE] = timeConstant(this.p[P.releaseMs], this.rateHz);
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    for (let off = 0; off < n; off += MAX_BLOCK) this.block(inputs, outputs, off, Math.min(MAX_BLOCK, n - off));
  }

  private block(inputs: Float32Array[], outputs: Float32Array[], off: number, n: number): void {
    const C = this.channels;
    const band = this.band;
    const st = this.s;
    for (let c = 0; c < C; c++) {
      const x = inputs[c];
      const b = band[c];
      const g = st[IN_GAIN];
      for (let i = 0; i < n; i++) b[i] = x[off + i] * g;
    }
    this.lowPass.process(band, band, n);
    const L = this.window;
    const D = this.delaySamples;
    const ceiling = st[CEILING];
    const release = st[RELEASE];
    const cap = this.minIdx.length;
    const detector = this.detector;
    const found = detector.peak;
    let released = st[RELEASED];
    let heldSum = st[HELD_SUM];
    found[1] = ceiling;
    for (let i = 0; i < n; i++) {
      detector.push(band, i);
      const tp = found[0];
      const need = tp > ceiling ? ceiling / tp : 1;
      // Sliding minimum over the last L needs: drop larger values from the back, old ones from the front.
      const k = this.step++;
      while (this.minTail !== this.minHead && this.minVal[(this.minTail + cap - 1) % cap] >= need) this.minTail = (this.minTail + cap - 1) % cap;
      this.minIdx[this.minTail] = k;
      this.minVal[this.minTail] = need;
      this.minTail = (this.minTail + 1) % cap;
      while (this.minIdx[this.minHead] <= k - L) this.minHead = (this.minHead + 1) % cap;
      const min = this.minVal[this.minHead];
      // Release: after a peak the held value recovers smoothly, never faster than set.
      released = min < released ? min : min + release * (released - min);
      heldSum += released - this.held[this.heldPos];
      this.held[this.heldPos] = released;
      this.heldPos = this.heldPos + 1 === this.avgLength ? 0 : this.heldPos + 1;
      const gain = heldSum / this.avgLength;
      const slot = this.delayPos;
      for (let c = 0; c < C; c++) {
        const d = this.delay[c];
        outputs[c][off + i] = d[slot] * gain;
        d[slot] = band[c][i];
      }
      this.delayPos = slot + 1 === D ? 0 : slot + 1;
    }
    st[RELEASED] = released;
    st[HELD_SUM] = heldSum;
  }

  reset(): void {
    this.lowPass.reset();
    this.detector.reset();
    for (const d of this.delay) d.fill(0);
    this.held.fill(1);
    this.s[HELD_SUM] = this.avgLength;
    this.s[RELEASED] = 1;
    this.minHead = this.minTail = 0;
    this.step = 0;
    this.delayPos = 0;
  }
}
