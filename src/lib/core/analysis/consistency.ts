/**
 * Album consistency: each track against the album (the mean of the other tracks, so an outlier does
 * not pull its own reference) and against its neighbours, in loudness, loudest passage, tonal
 * balance per octave band (loudness-normalised), width and dynamics. Outliers come with a move to
 * try: a gain, or a shelf or bell at a named frequency. The figures advise; a quiet interlude may be
 * meant to be quiet.
 */
import { OCTAVE_HZ, OCTAVE_LABELS, averageCurves, normaliseToLoudness } from './spectrum';
import type { Analysis } from './analyzer';

export interface ConsistencyTrack {
  title: string;
  integratedLufs: number | null;
  maxShortTermLufs: number | null;
  loudnessRangeLu: number | null;
  plrDb: number | null;
  /** Octave-band power, dB (not normalised): the spectrum summary's octaveDb. */
  octaveDb: (number | null)[] | null;
  /** Side-to-mid ratio, dB. */
  widthDb: number | null;
}

/** Beyond these, a track is flagged. */
export const CONSISTENCY_LIMITS = {
  loudnessLu: 1.5,
  neighbourLu: 2,
  shortTermLu: 2,
  /** Mean of the low (31.5-125 Hz) or high (4-16 kHz) octaves against the mids. */
  regionDb: 2,
  /** One octave band alone, after the regions. */
  bandDb: 3,
  widthDb: 3,
  plrDb: 3,
  lraLu: 4
} as const;

export interface Deviation {
  loudnessLu: number | null;
  shortTermLu: number | null;
  /** Loudness-normalised octave bands minus the reference's, dB. */
  octaveDb: (number | null)[];
  /** The low (31.5-125 Hz) and high (4-16 kHz) octaves' mean difference, against the mids' (250 Hz-2 kHz), dB. */
  lowDb: number | null;
  highDb: number | null;
  widthDb: number | null;
  plrDb: number | null;
  lraLu: number | null;
}

export interface EqMove {
  type: 'low-shelf' | 'high-shelf' | 'bell';
  freqHz: number;
  gainDb: number;
}

export interface ConsistencyFinding {
  id: 'loudness' | 'neighbour-loudness' | 'short-term' | 'tone' | 'width' | 'dynamics';
  track: number;
  title: string;
  message: string;
  /** The move to try, in words, and as numbers. */
  suggestion: string;
  gainDb?: number;
  eq?: EqMove;
}

export interface TrackConsistency {
  track: number;
  title: string;
  vsAlbum: Deviation;
  vsNeighbours: Deviation;
  findings: ConsistencyFinding[];
}

export interface AlbumConsistency {
  /** Loudness-normalised octave bands of the album (power mean of all tracks), dB. */
  albumOctaveDb: (number | null)[];
  tracks: TrackConsistency[];
  findings: ConsistencyFinding[];
}

const r1 = (x: number) => Math.round(x * 10) / 10;
/** Suggested moves in half-dB steps, at most 6 dB: a start for the ear, not a prescription. */
const move = (x: number) => Math.max(-6, Math.min(6, Math.round(x * 2) / 2));
const signed = (x: number, unit: string) => `${x > 0 ? '+' : ''}${x.toFixed(1)} ${unit}`;

function mean(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : r1(a - b));

function normalised(t: ConsistencyTrack): (number | null)[] {
  return t.octaveDb ? normaliseToLoudness(t.octaveDb, t.integratedLufs) : OCTAVE_HZ.map(() => null);
}

const LOW = [0, 1, 2];
const MID = [3, 4, 5, 6];
const HIGH = [7, 8, 9];

function deviation(t: ConsistencyTrack, others: ConsistencyTrack[]): Deviation {
  const ref = averageCurves(others.map(normalised));
  const own = normalised(t);
  const octaveDb = own.map((v, i) => diff(v, ref[i] ?? null));
  const mid = mean(MID.map((i) => octaveDb[i]));
  const region = (idx: number[]) => {
    const m = mean(idx.map((i) => octaveDb[i]));
    return m === null || mid === null ? null : r1(m - mid);
  };
  return {
    loudnessLu: diff(t.integratedLufs, mean(others.map((o) => o.integratedLufs))),
    shortTermLu: diff(t.maxShortTermLufs, mean(others.map((o) => o.maxShortTermLufs))),
    octaveDb,
    lowDb: region(LOW),
    highDb: region(HIGH),
    widthDb: diff(t.widthDb, mean(others.map((o) => o.widthDb))),
    plrDb: diff(t.plrDb, mean(others.map((o) => o.plrDb))),
    lraLu: diff(t.loudnessRangeLu, mean(others.map((o) => o.loudnessRangeLu)))
  };
}

function toneFindings(d: Deviation, track: number, title: string): ConsistencyFinding[] {
  const out: ConsistencyFinding[] = [];
  const mid = mean(MID.map((i) => d.octaveDb[i]));
  if (mid === null) return out;
  const rel = d.octaveDb.map((v) => (v === null ? null : v - mid));
  const low = d.lowDb;
  const high = d.highDb;
  const explained = new Set<number>();
  if (high !== null && Math.abs(high) > CONSISTENCY_LIMITS.regionDb) {
    const gainDb = move(-high);
    out.push({
      id: 'tone', track, title,
      message: `${high < 0 ? 'Darker' : 'Brighter'} than the album: 4-16 kHz ${signed(high, 'dB')} against the mids.`,
      suggestion: `High shelf ${signed(gainDb, 'dB')} at 4 kHz.`,
      eq: { type: 'high-shelf', freqHz: 4000, gainDb }
    });
    HIGH.forEach((i) => explained.add(i));
  }
  if (low !== null && Math.abs(low) > CONSISTENCY_LIMITS.regionDb) {
    const gainDb = move(-low);
    out.push({
      id: 'tone', track, title,
      message: `${low > 0 ? 'Heavier' : 'Lighter'} low end than the album: 31.5-125 Hz ${signed(low, 'dB')} against the mids.`,
      suggestion: `Low shelf ${signed(gainDb, 'dB')} at 125 Hz.`,
      eq: { type: 'low-shelf', freqHz: 125, gainDb }
    });
    LOW.forEach((i) => explained.add(i));
  }
  rel.forEach((v, i) => {
    if (v === null || explained.has(i) || MID.includes(i) || Math.abs(v) <= CONSISTENCY_LIMITS.bandDb) return;
    const gainDb = move(-v);
    out.push({
      id: 'tone', track, title,
      message: `The ${OCTAVE_LABELS[i]} Hz octave stands ${signed(v, 'dB')} from the album's.`,
      suggestion: `Bell ${signed(gainDb, 'dB')} at ${OCTAVE_LABELS[i]} Hz, one octave wide.`,
      eq: { type: 'bell', freqHz: Math.round(OCTAVE_HZ[i]), gainDb }
    });
  });
  // The mid octaves against each other: a honky or scooped middle is also a tonal outlier.
  for (const i of MID) {
    const others = MID.filter((j) => j !== i).map((j) => d.octaveDb[j]);
    const m = mean(others);
    const v = d.octaveDb[i];
    if (v === null || m === null || Math.abs(v - m) <= CONSISTENCY_LIMITS.bandDb) continue;
    const gainDb = move(-(v - m));
    out.push({
      id: 'tone', track, title,
      message: `The ${OCTAVE_LABELS[i]} Hz octave stands ${signed(v - m, 'dB')} from the album's mids.`,
      suggestion: `Bell ${signed(gainDb, 'dB')} at ${OCTAVE_LABELS[i]} Hz, one octave wide.`,
      eq: { type: 'bell', freqHz: Math.round(OCTAVE_HZ[i]), gainDb }
    });
  }
  return out;
}

/** A track's figures for the check, from its analysis (measured with the spectrum). */
export function consistencyTrack(title: string, a: Analysis): ConsistencyTrack {
  return { title, integratedLufs: a.integratedLufs, maxShortTermLufs: a.maxShortTermLufs, loudnessRangeLu: a.loudnessRangeLu, plrDb: a.plrDb, octaveDb: a.spectrum?.octaveDb ?? null, widthDb: a.spectrum?.widthDb ?? null };
}

export function albumConsistency(tracks: ConsistencyTrack[]): AlbumConsistency {
  const albumOctaveDb = averageCurves(tracks.map(normalised));
  const result: TrackConsistency[] = tracks.map((t, i) => {
    const others = tracks.filter((_, j) => j !== i);
    const neighbours = [tracks[i - 1], tracks[i + 1]].filter((x): x is ConsistencyTrack => x !== undefined);
    const vsAlbum = deviation(t, others);
    const vsNeighbours = deviation(t, neighbours);
    const findings: ConsistencyFinding[] = [];
    const track = i + 1;
    const { title } = t;
    if (others.length === 0) return { track, title, vsAlbum, vsNeighbours, findings };
    const L = CONSISTENCY_LIMITS;
    if (vsAlbum.loudnessLu !== null && Math.abs(vsAlbum.loudnessLu) > L.loudnessLu) {
      const gainDb = move(-vsAlbum.loudnessLu);
      findings.push({ id: 'loudness', track, title, message: `${signed(vsAlbum.loudnessLu, 'LU')} against the album's other tracks (integrated).`, suggestion: `Gain ${signed(gainDb, 'dB')}, if the difference is not meant.`, gainDb });
    } else if (vsNeighbours.loudnessLu !== null && Math.abs(vsNeighbours.loudnessLu) > L.neighbourLu) {
      const gainDb = move(-vsNeighbours.loudnessLu);
      findings.push({ id: 'neighbour-loudness', track, title, message: `${signed(vsNeighbours.loudnessLu, 'LU')} against the tracks either side: a jump in the running order.`, suggestion: `Gain ${signed(gainDb, 'dB')}, or a different place in the order.`, gainDb });
    }
    if (vsAlbum.shortTermLu !== null && Math.abs(vsAlbum.shortTermLu) > L.shortTermLu && !(vsAlbum.loudnessLu !== null && Math.abs(vsAlbum.loudnessLu) > L.loudnessLu)) {
      const gainDb = move(-vsAlbum.shortTermLu);
      findings.push({ id: 'short-term', track, title, message: `Its loudest 3 s are ${signed(vsAlbum.shortTermLu, 'LU')} from the album's loudest passages, though its average matches.`, suggestion: `Gain ${signed(gainDb, 'dB')} on the loud passage, or less of it in the limiter.`, gainDb });
    }
    findings.push(...toneFindings(vsAlbum, track, title));
    if (vsAlbum.widthDb !== null && Math.abs(vsAlbum.widthDb) > L.widthDb) {
      findings.push({ id: 'width', track, title, message: `${vsAlbum.widthDb > 0 ? 'Wider' : 'Narrower'} than the album: side-to-mid ${signed(vsAlbum.widthDb, 'dB')}.`, suggestion: `Width ${signed(move(-vsAlbum.widthDb), 'dB')} of side (an M/S gain or the imager).`, gainDb: move(-vsAlbum.widthDb) });
    }
    const dyn: string[] = [];
    if (vsAlbum.plrDb !== null && Math.abs(vsAlbum.plrDb) > L.plrDb) dyn.push(`PLR ${signed(vsAlbum.plrDb, 'dB')}`);
    if (vsAlbum.lraLu !== null && Math.abs(vsAlbum.lraLu) > L.lraLu) dyn.push(`LRA ${signed(vsAlbum.lraLu, 'LU')}`);
    if (dyn.length) {
      const squashed = (vsAlbum.plrDb ?? 0) < 0 || (vsAlbum.plrDb === null && (vsAlbum.lraLu ?? 0) < 0);
      findings.push({ id: 'dynamics', track, title, message: `${squashed ? 'More compressed' : 'More dynamic'} than the album: ${dyn.join(', ')}.`, suggestion: squashed ? 'Less limiting or compression on this track.' : 'A little more level control, or leave it if the song wants it.' });
    }
    return { track, title, vsAlbum, vsNeighbours, findings };
  });
  return { albumOctaveDb, tracks: result, findings: result.flatMap((t) => t.findings) };
}
