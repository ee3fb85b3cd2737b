/**
 * Overs as Apple's afclip lists them: every sample above full scale (on-sample) and every peak
 * between samples above it (inter-sample, found by the BS.1770 4x interpolator, at a fractional
 * sample), with time, channel, linear value and dB over; and totals per channel. Nothing is
 * clamped: decoded lossy audio can and does exceed 1.0.
 */
import { TRUE_PEAK_PHASES, TRUE_PEAK_TAPS } from './truepeak';

export interface Over {
  timeSec: number;
  /** Sample index; fractional for an inter-sample over. */
  sample: number;
  channel: number;
  value: number;
  dbOver: number;
}

export interface OverReport {
  rows: Over[];
  /** Rows beyond the listed ones, counted in the totals only. */
  unlisted: number;
  totals: { channel: number; onSample: number; interSample: number }[];
  /** The largest value on or between samples, unclamped, in dBFS (dBTP). */
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
}

/** No interpolated value can exceed this times the largest input in its window. */
const BOUND = Math.max(...TRUE_PEAK_PHASES.map((p) => p.reduce((s, c) => s + Math.abs(c), 0)));
const T = TRUE_PEAK_TAPS;

export class OverDetector {
  private readonly history: Float64Array;
  private readonly onSample: Uint32Array;
  private readonly interSample: Uint32Array;
  private readonly rows: Over[] = [];
  private unlisted = 0;
  private frames = 0;
  private peak = 0;
  private samplePeak = 0;

  constructor(
    readonly channels: number,
    readonly rateHz: number,
    readonly maxRows = 200,
    /** Subtracted from positions (a codec's delay), so times match the master's. */
    public delayFrames = 0
  ) {
    this.history = new Float64Array(channels * T);
    this.onSample = new Uint32Array(channels);
    this.interSample = new Uint32Array(channels);
  }

  private add(channel: number, sample: number, value: number, inter: boolean) {
    if (inter) this.interSample[channel]++;
    else this.onSample[channel]++;
    if (this.rows.length >= this.maxRows) {
      this.unlisted++;
      return;
    }
    const s = sample - this.delayFrames;
    this.rows.push({ timeSec: s / this.rateHz, sample: Math.round(s * 100) / 100, channel, value: Math.round(value * 1e6) / 1e6, dbOver: Math.round(2000 * Math.log10(Math.abs(value))) / 100 });
  }

  process(planar: Float32Array[], n: number): void {
    const phases = TRUE_PEAK_PHASES.length;
    for (let ch = 0; ch < this.channels; ch++) {
      const x = planar[ch];
      const line = this.history.subarray(ch * T, ch * T + T);
      for (let i = 0; i < n; i++) {
        const v = x[i];
        for (let k = T - 1; k > 0; k--) line[k] = line[k - 1];
        line[0] = v;
        const a = Math.abs(v);
        if (a > this.samplePeak) this.samplePeak = a;
        if (a > this.peak) this.peak = a;
        if (a > 1) this.add(ch, this.frames + i, v, false);
        let max = 0;
        for (let k = 0; k < T; k++) max = Math.max(max, Math.abs(line[k]));
        // Nothing here can be an over or a new peak: skip the interpolation.
        if (max * BOUND <= Math.min(1, this.peak)) continue;
        // The phases interpolate between line[6] (older) and line[5]: sample `older` + (2p + 1) / 8.
        const older = this.frames + i - T / 2;
        const between = Math.abs(line[T / 2]) <= 1 && Math.abs(line[T / 2 - 1]) <= 1;
        for (let p = 0; p < phases; p++) {
          const c = TRUE_PEAK_PHASES[p];
          let y = 0;
          for (let k = 0; k < T; k++) y += c[k] * line[k];
          const ay = Math.abs(y);
          if (ay > this.peak) this.peak = ay;
          if (ay > 1 && between) this.add(ch, older + (2 * p + 1) / (2 * phases), y, true);
        }
      }
    }
    this.frames += n;
  }

  report(): OverReport {
    const db = (x: number) => (x > 0 ? Math.round(2000 * Math.log10(x)) / 100 : null);
    return {
      rows: [...this.rows].sort((a, b) => a.sample - b.sample || a.channel - b.channel),
      unlisted: this.unlisted,
      totals: Array.from({ length: this.channels }, (_, c) => ({ channel: c, onSample: this.onSample[c], interSample: this.interSample[c] })),
      truePeakDbtp: db(this.peak),
      samplePeakDbfs: db(this.samplePeak)
    };
  }
}

/** afclip's text form: `-- no samples clipped --`, or the table and the per-channel totals. */
export function afclipText(r: OverReport): string {
  const total = r.totals.reduce((n, t) => n + t.onSample + t.interSample, 0);
  if (total === 0) return '-- no samples clipped --';
  const lines = ['CLIPPED SAMPLES:', '   SECONDS        SAMPLE  CHAN     VALUE  DECIBELS'];
  for (const o of r.rows) lines.push(`${o.timeSec.toFixed(6).padStart(10)}  ${o.sample.toFixed(2).padStart(12)}  ${String(o.channel + 1).padStart(4)}  ${o.value.toFixed(6).padStart(8)}  ${o.dbOver.toFixed(2).padStart(8)}`);
  if (r.unlisted) lines.push(`(${r.unlisted} more not listed)`);
  for (const t of r.totals) lines.push(`channel ${t.channel + 1}: on-sample: ${t.onSample}  inter-sample: ${t.interSample}`);
  return lines.join('\n');
}
