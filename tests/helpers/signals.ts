/** Test signals generated in code: no fixtures. */
import { seededRandom } from '../../src/lib/core/audio/synth';

export function sine(frames: number, rateHz: number, freqHz: number, amplitude = 0.5, phase = 0): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = amplitude * Math.sin(2 * Math.PI * freqHz * (i / rateHz) + phase);
  return out;
}

/** Noise already on the grid of an integer format, so it survives a round trip exactly. */
export function gridNoise(frames: number, bits: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const scale = 2 ** (bits - 1);
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = Math.floor((rand() * 2 - 1) * scale) / scale;
  return out;
}

export function channels(n: number, frames: number, bits: number, seed = 1): Float32Array[] {
  return Array.from({ length: n }, (_, c) => gridNoise(frames, bits, seed + c));
}

/** Compares long sample arrays quickly; on a difference, names the first index instead of diffing. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `lengths differ: ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(a[i] === 0 && b[i] === 0)) return `sample ${i}: ${a[i]} vs ${b[i]}`;
  return null;
}

/** A clip reader over one in-memory signal, played on every output channel; zeros outside it. */
export function arrayReader(source: Float32Array) {
  return async (_clip: unknown, start: number, n: number, out: Float32Array[]): Promise<void> => {
    for (const ch of out) {
      ch.fill(0, 0, n);
      ch.set(source.subarray(Math.max(0, start), Math.max(0, Math.min(source.length, start + n))), Math.max(0, -start));
    }
  };
}
