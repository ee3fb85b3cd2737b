/**
 * lathe.eq: six bands (bell, shelves, low/high pass) and an output gain, in minimum phase (biquads)
 * or linear phase (one long FIR of the same magnitude). A new setting never clicks: the biquads of
 * the old and the new one run side by side for CROSSFADE samples and the output fades across;
 * the FIR's new taps are designed in preallocated memory a little each block (never all at once
 * on the audio thread) and the convolver fades from the old taps to the new across one block.
 */
import { Biquad, designInto, responseDb, UNITY, type BiquadCoefficients, type FilterType } from './biquad';
import { Fft } from './fft';
import { FirConvolver } from './convolver';
import { paramSlots, resolveInto, resolveParams, type PluginInfo, type ParamInfo } from './params';
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

/** Samples over which a new minimum-phase setting fades in. */
const CROSSFADE = 256;
const MAX_BLOCK = 2048;

/** Taps of the linear-phase FIR: about 11 Hz of resolution at any rate. */
export function linearPhaseTapCount(rateHz: number): number {
  let n = 4096;
  while (n < rateHz / 11) n <<= 1;
  return n - 1;
}

const P = paramSlots(EQ_INFO);
/** Each band's slots in the values array, found once. */
/** Scratch for designInto: the module's own, so designing allocates nothing. */
const SPEC = new Float64Array(4);
const BAND_SLOTS = Array.from({ length: EQ_BANDS }, (_, i) => Int32Array.of(P[`band${i + 1}Type`], P[`band${i + 1}FreqHz`], P[`band${i + 1}GainDb`], P[`band${i + 1}Q`]));

/**
 * Designs each band from resolved values `p` into out[5 i .. 5 i + 5) ([b0, b1, b2, a1, a2], typed
 * so that nothing is boxed), marking in `on` the bands that are not off.
 */
function designBands(p: Float64Array, rateHz: number, out: Float64Array, on: Uint8Array): void {
  for (let i = 0; i < EQ_BANDS; i++) {
    const slots = BAND_SLOTS[i];
    const type = EQ_TYPES[Math.round(p[slots[0]])];
    on[i] = type === 'off' ? 0 : 1;
    if (type === 'off') {
      out[5 * i] = 1;
      out[5 * i + 1] = out[5 * i + 2] = out[5 * i + 3] = out[5 * i + 4] = 0;
    } else {
      SPEC[0] = p[slots[1]];
      SPEC[1] = p[slots[2]];
      SPEC[2] = p[slots[3]];
      SPEC[3] = rateHz;
      designInto(out, 5 * i, type, SPEC);
    }
  }
}

/** The coefficients of each band for a set of parameters (bands that are off are unity). */
export function eqSections(params: Record<string, number>, rateHz: number): BiquadCoefficients[] {
  const p = new Float64Array(EQ_INFO.params.length);
  resolveInto(EQ_INFO, params, p);
  const c = new Float64Array(5 * EQ_BANDS);
  const on = new Uint8Array(EQ_BANDS);
  designBands(p, rateHz, c, on);
  return Array.from({ length: EQ_BANDS }, (_, i) => (on[i] ? { b0: c[5 * i], b1: c[5 * i + 1], b2: c[5 * i + 2], a1: c[5 * i + 3], a2: c[5 * i + 4] } : UNITY));
}

/**
 * The EQ's magnitude response in dB at a frequency: its sections and its output gain, as the
 * kernel processes them (the linear-phase FIR is designed to this same magnitude). For curves.
 */
export function eqResponseDb(params: Record<string, number>, rateHz: number, freqHz: number, sections = eqSections(params, rateHz)): number {
  let db = resolveParams(EQ_INFO, params).outputGainDb;
  for (const c of sections) db += responseDb(c, freqHz, rateHz);
  return db;
}

/** |H|² of the section at c[at .. at + 5) for cos and sin of w and 2w. */
function power(c: Float64Array, at: number, cos1: number, sin1: number, cos2: number, sin2: number): number {
  const nr = c[at] + c[at + 1] * cos1 + c[at + 2] * cos2;
  const ni = c[at + 1] * sin1 + c[at + 2] * sin2;
  const dr = 1 + c[at + 3] * cos1 + c[at + 4] * cos2;
  const di = c[at + 3] * sin1 + c[at + 4] * sin2;
  return (nr * nr + ni * ni) / (dr * dr + di * di);
}

/**
 * Designs the linear-phase FIR of a setting: the sections' magnitude (and the output gain) sampled
 * on a grid four times the length, inverse transformed, windowed (Blackman). All its memory is
 * made once; `work` does a bounded piece of the design each call, so an audio thread can spread
 * it over blocks, and `finish` does the rest at once (offline renders, construction).
 */
export class LinearPhaseDesigner {
  readonly tapCount: number;
  readonly taps: Float64Array;
  private readonly size: number;
  private readonly fft: Fft;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly window: Float64Array;
  private readonly p = new Float64Array(EQ_INFO.params.length);
  private readonly sections = new Float64Array(5 * EQ_BANDS);
  private readonly on = new Uint8Array(EQ_BANDS);
  private readonly gain = new Float64Array(1);
  /** Next grid bin to sample, or the stage after sampling. */
  private next = 0;
  private stage: 'idle' | 'sampling' | 'transform' | 'window' = 'idle';

  constructor(
    readonly rateHz: number,
    tapCount = linearPhaseTapCount(rateHz)
  ) {
    this.tapCount = tapCount;
    this.size = 4 * (tapCount + 1);
    this.fft = new Fft(this.size);
    this.re = new Float64Array(this.size);
    this.im = new Float64Array(this.size);
    this.taps = new Float64Array(tapCount);
    this.window = new Float64Array(tapCount);
    for (let j = 0; j < tapCount; j++) this.window[j] = 0.42 - 0.5 * Math.cos((2 * Math.PI * j) / (tapCount - 1)) + 0.08 * Math.cos((4 * Math.PI * j) / (tapCount - 1));
  }

  get busy(): boolean {
    return this.stage !== 'idle';
  }

  /** Starts designing a setting (dropping any design under way). */
  start(params: Record<string, number>): void {
    resolveInto(EQ_INFO, params, this.p);
    this.begin();
  }

  /** start() from values already resolved (in EQ_INFO's order). */
  startFrom(values: Float64Array): void {
    this.p.set(values);
    this.begin();
  }

  private begin(): void {
    designBands(this.p, this.rateHz, this.sections, this.on);
    this.gain[0] = dbToGain(this.p[P.outputGainDb]);
    this.next = 0;
    this.stage = 'sampling';
  }

  /** Does about `budget` bins' worth of the design; true when the taps are ready. */
  work(budget: number): boolean {
    const half = this.size / 2;
    if (this.stage === 'sampling') {
      const end = Math.min(half + 1, this.next + budget);
      for (let k = this.next; k < end; k++) {
        const w = (2 * Math.PI * k) / this.size;
        const cos1 = Math.cos(w);
        const sin1 = Math.sin(w);
        const cos2 = Math.cos(2 * w);
        const sin2 = Math.sin(2 * w);
        let pw = 1;
        for (let i = 0; i < EQ_BANDS; i++) if (this.on[i]) pw *= power(this.sections, 5 * i, cos1, sin1, cos2, sin2);
        const mag = this.gain[0] * Math.sqrt(pw);
        this.re[k] = mag;
        this.im[k] = 0;
        if (k > 0 && k < half) {
          this.re[this.size - k] = mag;
          this.im[this.size - k] = 0;
        }
      }
      this.next = end;
      if (end === half + 1) this.stage = 'transform';
      return false;
    }
    if (this.stage === 'transform') {
      this.fft.transform(this.re, this.im, true);
      this.stage = 'window';
      return false;
    }
    if (this.stage === 'window') {
      const center = (this.tapCount - 1) / 2;
      for (let j = 0; j < this.tapCount; j++) this.taps[j] = this.re[(j - center + this.size) % this.size] * this.window[j];
      this.stage = 'idle';
      return true;
    }
    return false;
  }

  finish(): Float64Array {
    while (this.busy) this.work(this.size);
    return this.taps;
  }
}

/**
 * The linear-phase version of a setting: the same magnitude as the minimum-phase sections (and the
 * output gain), with every frequency delayed alike by (taps - 1) / 2.
 */
export function linearPhaseTaps(params: Record<string, number>, rateHz: number, tapCount = linearPhaseTapCount(rateHz)): Float64Array {
  const d = new LinearPhaseDesigner(rateHz, tapCount);
  d.start(params);
  return d.finish().slice();
}

/** One chain of the six sections. */
class Bank {
  readonly sections: Biquad[];
  readonly coeffs = new Float64Array(5 * EQ_BANDS);
  readonly on = new Uint8Array(EQ_BANDS);

  constructor(channels: number) {
    this.sections = Array.from({ length: EQ_BANDS }, () => new Biquad(channels));
  }

  configure(p: Float64Array, rateHz: number): void {
    designBands(p, rateHz, this.coeffs, this.on);
    for (let i = 0; i < EQ_BANDS; i++) this.sections[i].setFrom(this.coeffs, 5 * i);
  }

  /** Runs the sections from inputs[off..] into outputs[0..n) (out of place). */
  run(inputs: Float32Array[], outputs: Float32Array[], off: number, n: number): void {
    let first = true;
    for (let i = 0; i < EQ_BANDS; i++) {
      if (!this.on[i]) continue;
      if (first) this.sections[i].process(inputs, outputs, n, off, 0);
      else this.sections[i].process(outputs, outputs, n, 0, 0);
      first = false;
    }
    if (first) for (let c = 0; c < outputs.length; c++) for (let k = 0; k < n; k++) outputs[c][k] = inputs[c][off + k];
  }

  copyStateFrom(other: Bank): void {
    for (let i = 0; i < EQ_BANDS; i++) this.sections[i].copyStateFrom(other.sections[i]);
  }

  reset(): void {
    for (const s of this.sections) s.reset();
  }
}

export class EqKernel {
  private readonly p = new Float64Array(EQ_INFO.params.length);
  private readonly banks: [Bank, Bank];
  private active = 0;
  /** Samples of the crossfade to the other bank still to run (0: none). */
  private fadeLeft = 0;
  /** [output gain, the gain faded from]: typed, so setting them never boxes. */
  private readonly gains = Float64Array.of(1, 1);
  private readonly a: Float32Array[];
  private readonly b: Float32Array[];
  /** Made on first use of linear phase; kept (with its latency) while it is on. */
  private fir: FirConvolver | null = null;
  private designer: LinearPhaseDesigner | null = null;
  private linear = false;
  /** Until audio has gone through, a setting applies at once: there is nothing to fade from. */
  private started = false;

  constructor(
    readonly rateHz: number,
    readonly channels: number,
    params: Record<string, number> = {}
  ) {
    this.banks = [new Bank(channels), new Bank(channels)];
    this.a = Array.from({ length: channels }, () => new Float32Array(MAX_BLOCK));
    this.b = Array.from({ length: channels }, () => new Float32Array(MAX_BLOCK));
    this.setParams(params);
  }

  /** 0 in minimum phase; the FIR's centre plus its block in linear phase. */
  get latencySamples(): number {
    return this.linear && this.fir ? this.fir.blockSamples + (this.fir.tapCount - 1) / 2 : 0;
  }

  setParams(params: Record<string, number>): void {
    resolveInto(EQ_INFO, params, this.p);
    const first = !this.started;
    // The biquads always take the setting, so they are ready whichever mode plays.
    const gains = this.gains;
    if (first) {
      this.banks[this.active].configure(this.p, this.rateHz);
      gains[0] = gains[1] = dbToGain(this.p[P.outputGainDb]);
    } else {
      // Fade from the bank playing to the other, which takes the new setting and the same history.
      const incoming = this.banks[1 - this.active];
      if (this.fadeLeft === 0) {
        incoming.copyStateFrom(this.banks[this.active]);
        gains[1] = gains[0];
      }
      incoming.configure(this.p, this.rateHz);
      gains[0] = dbToGain(this.p[P.outputGainDb]);
      this.fadeLeft = CROSSFADE;
    }
    if (this.p[P.linearPhase] < 0.5) {
      this.linear = false;
      return;
    }
    if (!this.fir || !this.designer) {
      this.designer = new LinearPhaseDesigner(this.rateHz);
      this.fir = new FirConvolver(this.designer.tapCount, this.channels);
    }
    this.designer.startFrom(this.p);
    // Before any audio the design is made at once: there is nothing to keep running. Later ones
    // are spread over blocks (see process), the biquads playing until a first FIR is ready.
    if (first) {
      this.fir.setTaps(this.designer.finish(), false);
      this.linear = true;
    }
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    this.started = true;
    const fir = this.fir;
    const designer = this.designer;
    if (fir && designer?.busy && this.p[P.linearPhase] >= 0.5) {
      // A design under way advances by a share of the block, so it never holds the thread long.
      if (designer.work(4 * n)) {
        fir.setTaps(designer.taps, this.linear);
        if (!this.linear) {
          this.linear = true;
          fir.process(inputs, outputs, n);
          return;
        }
      } else if (!this.linear) {
        // The FIR takes the audio while its first taps are designed, so its history is whole when it starts.
        for (let off = 0; off < n; off += MAX_BLOCK) {
          const m = Math.min(MAX_BLOCK, n - off);
          this.block(inputs, outputs, off, m);
          fir.processAt(inputs, this.b, off, m, 0);
        }
        return;
      }
    }
    if (this.linear && fir) {
      fir.process(inputs, outputs, n);
      return;
    }
    for (let off = 0; off < n; off += MAX_BLOCK) this.block(inputs, outputs, off, Math.min(MAX_BLOCK, n - off));
  }

  private block(inputs: Float32Array[], outputs: Float32Array[], off: number, n: number): void {
    const C = this.channels;
    const cur = this.banks[this.active];
    cur.run(inputs, this.a, off, n);
    if (this.fadeLeft === 0) {
      const g = this.gains[0];
      for (let c = 0; c < C; c++) {
        const x = this.a[c];
        const y = outputs[c];
        for (let k = 0; k < n; k++) y[off + k] = x[k] * g;
      }
      return;
    }
    this.banks[1 - this.active].run(inputs, this.b, off, n);
    const left = this.fadeLeft;
    const to = this.gains[0];
    const from = this.gains[1];
    for (let c = 0; c < C; c++) {
      const x = this.a[c];
      const z = this.b[c];
      const y = outputs[c];
      for (let k = 0; k < n; k++) {
        const done = CROSSFADE - left + k;
        const w = done >= CROSSFADE ? 1 : done / CROSSFADE;
        y[off + k] = (1 - w) * x[k] * from + w * z[k] * to;
      }
    }
    this.fadeLeft = Math.max(0, left - n);
    if (this.fadeLeft === 0) this.active = 1 - this.active;
  }

  reset(): void {
    this.started = false;
    for (const b of this.banks) b.reset();
    this.fadeLeft = 0;
    this.gains[1] = this.gains[0];
    this.fir?.reset();
  }
}
