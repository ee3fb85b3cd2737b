/**
 * The monitor stage of immersive playback: the monitor layout's channels become what is heard (a
 * fold-down, the layout's own speakers, or ambisonics for the binaural decoder) through matrices
 * that are switched by a short crossfade, so changing the monitor leaves no gap and no click.
 * The audio thread runs it block by block; nothing is allocated per block.
 */
import { LAYOUTS, type Layout } from './layouts';
import { foldDownMatrix, loudnessWeights, type Matrix } from './downmix';
import { AMBISONIC_CHANNELS, ambisonicMatrix } from './ambisonics';

export type MonitorMode = 'LoRo' | 'LtRt' | '5.1' | 'speakers' | 'binaural';

/**
 * Channels of the bus to the device: at least six, so that a 5.1 monitor reaches a stereo device
 * as 5.1 and is folded by Web Audio's own 5.1 rule, while a stereo fold-down fills the first two.
 */
export function deviceBusChannels(l: Layout): number {
  return Math.max(6, l.speakers.length);
}

/** The two buses of the monitor stage: to the device, and to the binaural decoder (ACN/SN3D). */
export interface MonitorMatrices {
  device: Matrix;
  ambisonic: Matrix;
}

export function monitorMatrices(l: Layout, mode: MonitorMode): MonitorMatrices {
  const n = l.speakers.length;
  const k = deviceBusChannels(l);
  const device: Matrix = { rows: k, cols: n, m: new Float64Array(k * n) };
  const ambisonic: Matrix = { rows: AMBISONIC_CHANNELS, cols: n, m: new Float64Array(AMBISONIC_CHANNELS * n) };
  if (mode === 'speakers') for (let c = 0; c < n; c++) device.m[c * n + c] = 1;
  else if (mode === 'binaural') ambisonic.m.set(ambisonicMatrix(l).m);
  else device.m.set(foldDownMatrix(l, mode).m);
  return { device, ambisonic };
}

/** What the meters read in each mode: the channels heard, their names and BS.1770 weights. */
export function monitoredChannels(l: Layout, mode: MonitorMode): { labels: string[]; weights: number[] } {
  const of = (x: Layout) => ({ labels: x.speakers.map((s) => s.label), weights: loudnessWeights(x) });
  if (mode === 'speakers') return of(l);
  if (mode === '5.1') return of(LAYOUTS['5.1']);
  return { labels: ['L', 'R'], weights: [1, 1] };
}

/** Matrices per bus (rows of outputs over the same inputs), crossfaded linearly when set anew. */
export class MonitorMatrix {
  private readonly from: Float64Array[];
  private readonly to: Float64Array[];
  private fadeLength = 0;
  private fadeDone = 0;

  constructor(
    readonly inputs: number,
    readonly busRows: number[]
  ) {
    this.from = busRows.map((r) => new Float64Array(r * inputs));
    this.to = busRows.map((r) => new Float64Array(r * inputs));
  }

  /** Moves to these matrices over `fadeSamples` (0: at once), starting from where a fade in progress is. */
  set(matrices: Matrix[], fadeSamples: number): void {
    const t = this.fadeLength ? this.fadeDone / this.fadeLength : 1;
    matrices.forEach((mx, b) => {
      if (mx.cols !== this.inputs || mx.rows !== this.busRows[b]) throw new Error(`monitor bus ${b}: a ${mx.rows}x${mx.cols} matrix for a ${this.busRows[b]}x${this.inputs} bus`);
      const from = this.from[b];
      const to = this.to[b];
      for (let i = 0; i < from.length; i++) from[i] += (to[i] - from[i]) * t;
      to.set(mx.m);
      if (fadeSamples <= 0) from.set(mx.m);
    });
    this.fadeLength = Math.max(0, Math.round(fadeSamples));
    this.fadeDone = 0;
  }

  /** buses[b][row] = matrix(b) · input over n frames; a missing input channel is silence. */
  process(input: Float32Array[], buses: Float32Array[][], n: number): void {
    const cols = this.inputs;
    const fading = this.fadeDone < this.fadeLength;
    const start = this.fadeDone;
    const span = this.fadeLength;
    for (let b = 0; b < buses.length; b++) {
      const from = this.from[b];
      const to = this.to[b];
      const out = buses[b];
      for (let r = 0; r < out.length && r < this.busRows[b]; r++) {
        const o = out[r];
        o.fill(0, 0, n);
        for (let c = 0; c < cols; c++) {
          const x = input[c];
          if (!x) continue;
          const g1 = to[r * cols + c];
          if (!fading) {
            if (g1 !== 0) for (let i = 0; i < n; i++) o[i] += g1 * x[i];
            continue;
          }
          const g0 = from[r * cols + c];
          if (g0 === 0 && g1 === 0) continue;
          for (let i = 0; i < n; i++) {
            const t = Math.min(1, (start + i + 1) / span);
            o[i] += (g0 + (g1 - g0) * t) * x[i];
          }
        }
      }
    }
    if (fading) {
      this.fadeDone = Math.min(span, start + n);
      if (this.fadeDone === span) {
        for (let b = 0; b < this.from.length; b++) this.from[b].set(this.to[b]);
        this.fadeLength = this.fadeDone = 0;
      }
    }
  }
}
