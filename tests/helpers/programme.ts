/** Programme-like stereo signals: filtered noise, bass, transients and level changes, seeded. */
import { seededRandom } from '../../src/lib/core/audio/synth';

export interface ProgrammeSpec {
  rateHz: number;
  seconds: number;
  seed: number;
  /** Section levels in dB, applied in equal parts. */
  sectionsDb: number[];
  /** Stereo width: 0 mono, 1 independent channels. */
  width: number;
}

export function programme(spec: ProgrammeSpec): Float32Array[] {
  const { rateHz, seconds, seed, sectionsDb, width } = spec;
  const n = Math.round(seconds * rateHz);
  const rand = seededRandom(seed);
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  // Pinkish noise from three one-pole filters, a bass line, and a kick every half second.
  let p1 = 0, p2 = 0, p3 = 0, q1 = 0, q2 = 0, q3 = 0;
  const sectionLen = Math.ceil(n / sectionsDb.length);
  for (let i = 0; i < n; i++) {
    const w = rand() * 2 - 1;
    const u = rand() * 2 - 1;
    p1 = 0.997 * p1 + 0.029 * w; p2 = 0.985 * p2 + 0.032 * w; p3 = 0.95 * p3 + 0.048 * w;
    q1 = 0.997 * q1 + 0.029 * u; q2 = 0.985 * q2 + 0.032 * u; q3 = 0.95 * q3 + 0.048 * u;
    const a = p1 + p2 + p3 + 0.05 * w;
    const b = q1 + q2 + q3 + 0.05 * u;
    const t = i / rateHz;
    const bass = 0.3 * Math.sin(2 * Math.PI * (55 + 27.5 * Math.floor(t % 4)) * t);
    const beat = t % 0.5;
    const kick = 0.6 * Math.sin(2 * Math.PI * (45 + 80 * Math.exp(-beat * 40)) * beat) * Math.exp(-beat * 12);
    const g = Math.pow(10, sectionsDb[Math.floor(i / sectionLen)] / 20);
    l[i] = g * (0.5 * a + bass + kick);
    r[i] = g * (0.5 * ((1 - width) * a + width * b) + bass + kick);
  }
  return [l, r];
}
