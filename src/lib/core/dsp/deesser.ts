/**
 * lathe.deesser: a dynamic high shelf. The level above its frequency (a high-pass on the detector
 * path) drives a reduction, at most `rangeDb`, applied as a high shelf at that frequency. With no
 * reduction the shelf is exactly unity, so quiet passages pass untouched.
 */
import { Biquad, designInto, filterSpec } from './biquad';
import { paramSlots, resolveInto, type PluginInfo } from './params';
import { compressorCurveDb } from './compressor';
import { timeConstant } from './envelope';

export const DEESSER_INFO: PluginInfo = {
  id: 'lathe.deesser',
  name: 'Lathe De-esser',
  params: [
    { id: 'freqHz', label: 'Frequency', unit: 'Hz', min: 2000, max: 16_000, default: 6000 },
    { id: 'thresholdDb', label: 'Threshold', unit: 'dB', min: -60, max: 0, default: -30 },
    { id: 'ratio', label: 'Ratio', unit: ':1', min: 1, max: 20, default: 4 },
    { id: 'rangeDb', label: 'Range', unit: 'dB', min: 0, max: 24, default: 8 },
    { id: 'attackMs', label: 'Attack', unit: 'ms', min: 0.1, max: 20, default: 0.5 },
    { id: 'releaseMs', label: 'Release', unit: 'ms', min: 5, max: 500, default: 60 }
  ]
};

/**
 * The shelf is redesigned every STEP samples of the stream (not of each call, so any block size
 * gives the same output): smooth enough, and cheap.
 */
const STEP = 16;
const P = paramSlots(DEESSER_INFO);
// Slots of DeesserKernel.s.
const ENV = 0;
const ATTACK = 1;
const RELEASE = 2;
const SHELF_DB = 3;

export class DeesserKernel {
  readonly latencySamples = 0;
  private readonly p = new Float64Array(DEESSER_INFO.params.length);
  private readonly s = new Float64Array(4);
  private readonly detector: Biquad;
  private readonly shelf: Biquad;
  private readonly coeffs = new Float64Array(5);
  private readonly spec = new Float64Array(4);
  private readonly band: Float32Array[];
  /** Samples into the current STEP. */
  private phase = 0;

  constructor(
    readonly rateHz: number,
    readonly channels: number,
    params: Record<string, number> = {}
  ) {
    this.detector = new Biquad(channels);
    this.shelf = new Biquad(channels);
    this.band = Array.from({ length: channels }, () => new Float32Array(STEP));
    this.setParams(params);
  }


  /** The shelf's cut now, in dB (0 or less): for meters. */
  get reductionDb(): number {
    return this.s[SHELF_DB];
  }

  setParams(params: Record<string, number>): void {
    const p = this.p;
    resolveInto(DEESSER_INFO, params, p);
    designInto(this.coeffs, 0, 'highPass', filterSpec(this.spec, p[P.freqHz], 0, Math.SQRT1_2, this.rateHz));
    this.detector.setFrom(this.coeffs);
    this.s[ATTACK] = timeConstant(p[P.attackMs], this.rateHz);
    this.s[RELEASE] = timeConstant(p[P.releaseMs], this.rateHz);
    this.redesignShelf();
  }

  private redesignShelf(): void {
    designInto(this.coeffs, 0, 'highShelf', filterSpec(this.spec, this.p[P.freqHz], this.s[SHELF_DB], Math.SQRT1_2, this.rateHz));
    this.shelf.setFrom(this.coeffs);
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    const p = this.p;
    const s = this.s;
    const thresholdDb = p[P.thresholdDb];
    const ratio = p[P.ratio];
    const rangeDb = p[P.rangeDb];
    const attack = s[ATTACK];
    const release = s[RELEASE];
    let off = 0;
    while (off < n) {
      const m = Math.min(STEP - this.phase, n - off);
      this.detector.process(inputs, this.band, m, off, 0);
      let env = s[ENV];
      for (let i = 0; i < m; i++) {
        let level = 0;
        for (let c = 0; c < this.channels; c++) {
          const v = this.band[c][i];
          const a = v < 0 ? -v : v;
          if (a > level) level = a;
        }
        env = level > env ? level + attack * (env - level) : level + release * (env - level);
      }
      s[ENV] = env;
      this.shelf.process(inputs, outputs, m, off, off);
      this.phase += m;
      off += m;
      if (this.phase === STEP) {
        this.phase = 0;
        const inDb = env > 1e-10 ? 20 * Math.log10(env) : -200;
        const db = Math.max(-rangeDb, compressorCurveDb(inDb, thresholdDb, ratio, 0) - inDb);
        if (db !== s[SHELF_DB]) {
          s[SHELF_DB] = db;
          this.redesignShelf();
        }
      }
    }
  }

  reset(): void {
    this.detector.reset();
    this.shelf.reset();
    this.s[ENV] = 0;
    this.s[SHELF_DB] = 0;
    this.phase = 0;
    this.redesignShelf();
  }
}
