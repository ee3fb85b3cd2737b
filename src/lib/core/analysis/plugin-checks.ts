/**
 * Signals and measurements for checking an audio plugin from the outside (the WAM validator, the
 * host's latency measurement): exactly zero-mean periodic stimuli and what to measure in the
 * output. Pure functions on planar Float32Array, shared by the browser and the Node tests.
 */
import { seededRandom } from '../audio/synth';

export const SMALLEST_NORMAL = 1.1754943508222875e-38;

export interface MultisineOptions {
  /** Lowest partial: below it the stimulus has no energy, so a plugin's low end is not read as DC. */
  lowHz?: number;
  highHz?: number;
  partials?: number;
  rmsDb?: number;
  seed?: number;
}

/**
 * Noise-like multisine: random-phase partials on whole hertz, so it repeats exactly every second
 * (rateHz samples) and its mean over any whole number of seconds is zero. Its spectrum is flat
 * from lowHz to highHz.
 */
export function multisine(frames: number, rateHz: number, options: MultisineOptions = {}): Float32Array {
  const { lowHz = 40, highHz = Math.min(18_000, rateHz * 0.45), partials = 300, rmsDb = -18, seed = 7 } = options;
  const rand = seededRandom(seed);
  const chosen = new Set<number>();
  const span = Math.floor(highHz) - Math.ceil(lowHz);
  while (chosen.size < Math.min(partials, span)) chosen.add(Math.ceil(lowHz) + Math.floor(rand() * span));
  const amplitude = Math.sqrt(2 / chosen.size) * 10 ** (rmsDb / 20);
  const out = new Float64Array(frames);
  for (const hz of chosen) {
    const phase = rand() * 2 * Math.PI;
    // A rotating phasor: one complex multiply per sample instead of a sin().
    const w = (2 * Math.PI * hz) / rateHz;
    const cw = Math.cos(w);
    const sw = Math.sin(w);
    let re = Math.cos(phase);
    let im = Math.sin(phase);
    for (let i = 0; i < frames; i++) {
      out[i] += amplitude * im;
      const r = re * cw - im * sw;
      im = re * sw + im * cw;
      re = r;
    }
  }
  return Float32Array.from(out);
}

export function sine(frames: number, rateHz: number, hz = 1000, amplitude = 0.25): Float32Array {
  const x = new Float32Array(frames);
  for (let i = 0; i < frames; i++) x[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / rateHz);
  return x;
}

export interface Scan {
  nonFinite: number;
  denormals: number;
  mean: number;
  rms: number;
  peak: number;
}

/** Non-finite and denormal counts, mean, RMS and peak of `channels` over [from, to). */
export function scan(channels: Float32Array[], from = 0, to = Infinity): Scan {
  let nonFinite = 0;
  let denormals = 0;
  let sum = 0;
  let energy = 0;
  let peak = 0;
  let n = 0;
  for (const x of channels) {
    const end = Math.min(to, x.length);
    for (let i = from; i < end; i++) {
      const v = x[i];
      if (!Number.isFinite(v)) {
        nonFinite++;
        continue;
      }
      if (v !== 0 && Math.abs(v) < SMALLEST_NORMAL) denormals++;
      sum += v;
      energy += v * v;
      peak = Math.max(peak, Math.abs(v));
      n++;
    }
  }
  return { nonFinite, denormals, mean: n ? sum / n : 0, rms: n ? Math.sqrt(energy / n) : 0, peak };
}

export function dbfs(x: number): number {
  return x > 0 ? 20 * Math.log10(x) : -Infinity;
}

export function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  for (let c = 0; c < a.length; c++) for (let i = 0; i < a[c].length; i++) worst = Math.max(worst, Math.abs(a[c][i] - b[c][i]));
  return worst;
}

/** RMS of a − b relative to the RMS of b, in dB (−Infinity when identical). */
export function differenceDb(a: Float32Array[], b: Float32Array[], from = 0): number {
  let diff = 0;
  let ref = 0;
  for (let c = 0; c < a.length; c++) {
    for (let i = from; i < a[c].length; i++) {
      const d = a[c][i] - b[c][i];
      diff += d * d;
      ref += b[c][i] * b[c][i];
    }
  }
  if (diff === 0) return -Infinity;
  return 10 * Math.log10(diff / Math.max(ref, 1e-30));
}

/** The lag (0…maxLag) at which the output best matches the input, and how well (normalized correlation). */
export function measuredLag(input: Float32Array, output: Float32Array, maxLag: number, from = 0): { lag: number; score: number } {
  let best = { lag: 0, score: 0 };
  const end = output.length - maxLag;
  let inEnergy = 0;
  for (let i = from; i < end; i++) inEnergy += input[i] * input[i];
  for (let lag = 0; lag <= maxLag; lag++) {
    let dot = 0;
    let outEnergy = 0;
    for (let i = from; i < end; i++) {
      const y = output[i + lag];
      dot += input[i] * y;
      outEnergy += y * y;
    }
    const score = outEnergy > 0 && inEnergy > 0 ? dot / Math.sqrt(inEnergy * outEnergy) : 0;
    if (score > best.score) best = { lag, score };
  }
  return best;
}

/** Where a signal stops sounding: the first index after which it stays below `floor`. */
export function lastAbove(channels: Float32Array[], floor: number): number {
  let last = -1;
  for (const x of channels) for (let i = x.length - 1; i > last; i--) if (Math.abs(x[i]) > floor) { last = i; break; }
  return last;
}
