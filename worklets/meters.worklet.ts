/**
 * Live meters on the audio thread: the same BS.1770 kernels as the file analysis, fed 128 frames
 * at a time, reporting to the page about 30 times a second. Nothing is allocated per block.
 */
import { LoudnessMeter } from '../src/lib/core/analysis/loudness';
import { TruePeakMeter } from '../src/lib/core/analysis/truepeak';
import { timeConstant } from '../src/lib/core/dsp/envelope';

declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}

export interface MeterReading {
  momentaryLufs: number | null;
  shortTermLufs: number | null;
  integratedLufs: number | null;
  /** Highest true peak per channel of the monitored layout since the last reading, dBTP (null in silence). */
  truePeakDbtp: (number | null)[];
  /** Correlation of L and R over the last ~300 ms, or null in silence. */
  correlation: number | null;
}

const REPORT_HZ = 30;
const dbtp = (x: number) => (x > 0 ? 20 * Math.log10(x) : null);

class MetersProcessor extends AudioWorkletProcessor {
  private weights = [1, 1];
  private loudness = new LoudnessMeter(sampleRate, 2, { keepSeries: false });
  private truePeak = new TruePeakMeter(2, sampleRate);
  private planar = [new Float32Array(128), new Float32Array(128)];
  private readonly silence = new Float32Array(128);
  private sinceReport = 0;
  private readonly reportEvery = Math.round(sampleRate / REPORT_HZ);
  private lr = 0;
  private ll = 0;
  private rr = 0;
  private readonly decay = timeConstant(300, sampleRate);
  /** A probe for loudness matching needs no true peak or correlation: it costs the audio thread a third. */
  private readonly loudnessOnly: boolean;

  constructor(options?: { processorOptions?: { loudnessOnly?: boolean } }) {
    super(options);
    this.loudnessOnly = options?.processorOptions?.loudnessOnly === true;
    this.port.onmessage = (e: MessageEvent<'reset' | { weights: number[] }>) => {
      // Another monitored layout: its channels and BS.1770 weights (the LFE weighs 0).
      if (e.data !== 'reset') {
        this.weights = e.data.weights;
        this.planar = this.weights.map(() => new Float32Array(128));
        this.truePeak = new TruePeakMeter(this.weights.length, sampleRate);
      }
      this.loudness = new LoudnessMeter(sampleRate, this.weights.length, { keepSeries: false, weights: this.weights });
      this.truePeak.reset();
      this.lr = this.ll = this.rr = 0;
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const n = input[0].length;
    const l = this.planar[0];
    const r = this.planar[1];
    // Stereo takes a mono input on both sides; a layout's missing channels are silent.
    l.set(input[0]);
    r.set(input[1] ?? (this.planar.length === 2 ? input[0] : this.silence));
    for (let c = 2; c < this.planar.length; c++) this.planar[c].set(input[c] ?? this.silence);
    this.loudness.process(this.planar, n);
    this.sinceReport += n;
    if (this.loudnessOnly) {
      if (this.sinceReport >= this.reportEvery) {
        this.sinceReport = 0;
        this.port.postMessage({ momentaryLufs: this.loudness.momentaryLufs(), shortTermLufs: this.loudness.shortTermLufs(), integratedLufs: this.loudness.integratedLufs(), truePeakDbtp: [], correlation: null } satisfies MeterReading);
      }
      return true;
    }
    this.truePeak.process(this.planar, n);
    let lr = this.lr, ll = this.ll, rr = this.rr;
    const d = this.decay;
    for (let i = 0; i < n; i++) {
      lr = d * lr + l[i] * r[i];
      ll = d * ll + l[i] * l[i];
      rr = d * rr + r[i] * r[i];
    }
    this.lr = lr; this.ll = ll; this.rr = rr;
    if (this.sinceReport >= this.reportEvery) {
      this.sinceReport = 0;
      const norm = Math.sqrt(ll * rr);
      const reading: MeterReading = {
        momentaryLufs: this.loudness.momentaryLufs(),
        shortTermLufs: this.loudness.shortTermLufs(),
        integratedLufs: this.loudness.integratedLufs(),
        truePeakDbtp: Array.from(this.truePeak.peak, dbtp),
        correlation: norm > 1e-9 ? lr / norm : null
      };
      this.port.postMessage(reading);
      this.truePeak.peak.fill(0);
    }
    return true;
  }
}

registerProcessor('lathe-meters', MetersProcessor);
