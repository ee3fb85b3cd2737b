/**
 * lathe.deesser: a dynamic high shelf. The level above its frequency (a high-pass on the detector
 * path) drives a reduction, at most `rangeDb`, applied as a high shelf at that frequency. With no
 * reduction the shelf is exactly unity, so quiet passages pass untouched.
 */
import { Biquad, designBiquad } from './biquad';
import { resolveParams, type PluginInfo } from './params';
import { compressorCurveDb } from './compressor';

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

/** The shelf is redesigned this often (samples): smooth enough, and cheap. */
const STEP = 16;

export class DeesserKernel {
  readonly latencySamples = 0;
  private p: Record<string, number> = {};
  private readonly detector: Biquad;
  private readonly shelf: Biquad;
  private readonly band: Float32Array[];
  private env = 0;
  private attack = 0;
  private release = 0;
  private shelfDb = 0;

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

  setParams(params: Record<string, number>): void {
    this.p = resolveParams(DEESSER_INFO, params);
    this.detector.set(designBiquad('highPass', this.p.freqHz, 0, Math.SQRT1_2, this.rateHz));
    this.attack = Math.exp(-1 / ((this.p.attackMs / 1000) * this.rateHz));
    this.release = Math.exp(-1 / ((this.p.releaseMs / 1000) * this.rateHz));
    this.shelf.set(designBiquad('highShelf', this.p.freqHz, this.shelfDb, Math.SQRT1_2, this.rateHz));
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    const { thresholdDb, ratio, rangeDb, freqHz } = this.p;
    for (let off = 0; off < n; off += STEP) {
      const m = Math.min(STEP, n - off);
      const ins = inputs.map((x) => x.subarray(off, off + m));
      this.detector.process(ins, this.band, m);
      let env = this.env;
      for (let i = 0; i < m; i++) {
        let level = 0;
        for (let c = 0; c < this.channels; c++) level = Math.max(level, Math.abs(this.band[c][i]));
        env = level > env ? level + this.attack * (env - level) : level + this.release * (env - level);
      }
      this.env = env;
      const inDb = env > 1e-10 ? 20 * Math.log10(env) : -200;
      const db = Math.max(-rangeDb, compressorCurveDb(inDb, thresholdDb, ratio, 0) - inDb);
      if (db !== this.shelfDb) {
        this.shelfDb = db;
        this.shelf.set(designBiquad('highShelf', freqHz, db, Math.SQRT1_2, this.rateHz));
      }
      this.shelf.process(ins, outputs.map((y) => y.subarray(off, off + m)), m);
    }
  }

  reset(): void {
    this.detector.reset();
    this.shelf.reset();
    this.env = 0;
    this.shelfDb = 0;
    this.shelf.set(designBiquad('highShelf', this.p.freqHz, 0, Math.SQRT1_2, this.rateHz));
  }
}
