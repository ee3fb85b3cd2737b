/**
 * An album measured as one programme, as album-mode normalization does: every track's gating
 * blocks gated together, every short-term value in one loudness range. The one implementation the
 * CLI and the app share; both give it the energies the analyzer kept (Analysis.blockEnergies and
 * shortTermEnergies, Float32 as stored), so their figures agree to the hundredth.
 */
import { LoudnessHistogram } from './histogram';
import { round, type Analysis } from './analyzer';

export interface AlbumLoudness {
  integratedLufs: number | null;
  loudnessRangeLu: number | null;
  truePeakDbtp: number | null;
}

export type AlbumPart = Pick<Analysis, 'blockEnergies' | 'shortTermEnergies' | 'truePeakDbtp'>;

export function albumLoudness(parts: AlbumPart[]): AlbumLoudness {
  const gating = new LoudnessHistogram();
  const shortTerm = new LoudnessHistogram();
  let tp: number | null = null;
  for (const p of parts) {
    const b = p.blockEnergies ?? [];
    for (let i = 0; i < b.length; i++) gating.add(b[i]);
    const s = p.shortTermEnergies ?? [];
    for (let i = 0; i < s.length; i++) shortTerm.add(s[i]);
    if (p.truePeakDbtp !== null) tp = Math.max(tp ?? -Infinity, p.truePeakDbtp);
  }
  return { integratedLufs: round(gating.gatedLufs()), loudnessRangeLu: round(shortTerm.loudnessRange()), truePeakDbtp: tp };
}
