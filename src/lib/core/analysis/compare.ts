/**
 * A side-by-side comparison of measured signals (a track, the album average, references): their
 * loudness-normalised long-term spectra, each one's difference from the first, width per band and
 * the statistics that matter when matching a reference. The CLI's `lathe compare` and the app's
 * comparison view both show this.
 */
import type { Analysis } from './analyzer';
import { OCTAVE_HZ, SIXTH_OCTAVE_HZ, averageCurves, differenceCurve, normaliseToLoudness } from './spectrum';

export interface CompareEntry {
  name: string;
  integratedLufs: number | null;
  maxShortTermLufs: number | null;
  loudnessRangeLu: number | null;
  truePeakDbtp: number | null;
  plrDb: number | null;
  crestDb: number | null;
  widthDb: number | null;
  /** Loudness-normalised 1/6-octave and octave curves, dB re the integrated loudness. */
  curveDb: (number | null)[];
  octaveDb: (number | null)[];
  /** Side-to-mid per octave band, dB. */
  octaveWidthDb: (number | null)[];
}

export interface Comparison {
  sixthOctaveHz: readonly number[];
  octaveHz: readonly number[];
  entries: CompareEntry[];
  /** Each entry's curve minus the first entry's, 1/6 octave (the first is all zeros). */
  differenceDb: (number | null)[][];
}

export function compareEntry(name: string, a: Analysis): CompareEntry {
  const s = a.spectrum;
  if (!s) throw new Error(`${name}: measured without its spectrum; compare needs Analyzer({ spectrum: true })`);
  return {
    name,
    integratedLufs: a.integratedLufs,
    maxShortTermLufs: a.maxShortTermLufs,
    loudnessRangeLu: a.loudnessRangeLu,
    truePeakDbtp: a.truePeakDbtp,
    plrDb: a.plrDb,
    crestDb: a.crestDb,
    widthDb: s.widthDb,
    curveDb: normaliseToLoudness(s.bandsDb, a.integratedLufs),
    octaveDb: normaliseToLoudness(s.octaveDb, a.integratedLufs),
    octaveWidthDb: s.octaveWidthDb
  };
}

const mean = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 100) / 100 : null;
};

/** The album average: power mean of the tracks' normalised curves, arithmetic mean of their figures. */
export function averageEntry(name: string, entries: CompareEntry[]): CompareEntry {
  return {
    name,
    integratedLufs: mean(entries.map((e) => e.integratedLufs)),
    maxShortTermLufs: mean(entries.map((e) => e.maxShortTermLufs)),
    loudnessRangeLu: mean(entries.map((e) => e.loudnessRangeLu)),
    truePeakDbtp: mean(entries.map((e) => e.truePeakDbtp)),
    plrDb: mean(entries.map((e) => e.plrDb)),
    crestDb: mean(entries.map((e) => e.crestDb)),
    widthDb: mean(entries.map((e) => e.widthDb)),
    curveDb: averageCurves(entries.map((e) => e.curveDb)),
    octaveDb: averageCurves(entries.map((e) => e.octaveDb)),
    octaveWidthDb: OCTAVE_HZ.map((_, i) => mean(entries.map((e) => e.octaveWidthDb[i])))
  };
}

export function compare(entries: CompareEntry[]): Comparison {
  const first = entries[0]?.curveDb ?? [];
  return { sixthOctaveHz: SIXTH_OCTAVE_HZ, octaveHz: OCTAVE_HZ, entries, differenceDb: entries.map((e) => differenceCurve(e.curveDb, first)) };
}
