import type { Album, Track } from './model';

/** One CD frame (sector) is 1/75 s. */
export const CD_FRAMES_PER_SEC = 75;
/** At 44.1 kHz a CD frame holds 588 sample frames. */
export const SAMPLES_PER_CD_FRAME = 588;

/** The end of a track's audio relative to its INDEX 01 (the last clip's end). */
export function trackContentSamples(track: Track): number {
  let end = 0;
  for (const clip of track.clips) end = Math.max(end, clip.positionSamples + clip.lengthSamples);
  return end;
}

/** How far a track's audio reaches before its INDEX 01, into its pause (0 for none). */
export function trackPregapAudioSamples(track: Track): number {
  let first = 0;
  for (const clip of track.clips) first = Math.min(first, clip.positionSamples);
  return -first;
}

export interface TrackPlacement {
  trackId: string;
  /** Album sample where the pause before the track starts (INDEX 00), equal to index01 when there is none. */
  index00Samples: number;
  /** Album sample of INDEX 01. */
  index01Samples: number;
  /** Album sample where the track's own audio ends. */
  contentEndSamples: number;
  /** Album sample where the next track's INDEX 01 begins (or the lead-out). */
  nextStartSamples: number;
  /** Length from INDEX 01 to the next INDEX 01 or the lead-out: the CD track length. */
  lengthSamples: number;
  gapSamples: number;
}

export interface AlbumLayout {
  rateHz: number;
  tracks: TrackPlacement[];
  /** Album sample of the lead-out: the programme's total length, pregap included. */
  totalSamples: number;
}

/**
 * Places tracks on the album timeline: each INDEX 01 sits after the previous track's audio plus
 * its gap, or earlier by its overlap for a segue.
 */
export function layoutAlbum(album: Album): AlbumLayout {
  const tracks: TrackPlacement[] = [];
  let cursor = 0;
  for (let i = 0; i < album.tracks.length; i++) {
    const track = album.tracks[i];
    const overlap = i === 0 ? 0 : Math.min(track.overlapSamples, cursor);
    const gap = overlap > 0 ? 0 : Math.max(0, track.gapBeforeSamples);
    const index01 = cursor - overlap + gap;
    const contentEnd = index01 + trackContentSamples(track);
    tracks.push({
      trackId: track.id,
      index00Samples: index01 - gap,
      index01Samples: index01,
      contentEndSamples: contentEnd,
      nextStartSamples: contentEnd,
      lengthSamples: contentEnd - index01,
      gapSamples: gap
    });
    cursor = Math.max(cursor, contentEnd);
  }
  for (let i = 0; i < tracks.length; i++) {
    const next = tracks[i + 1];
    const end = next ? next.index01Samples : cursor;
    tracks[i].nextStartSamples = end;
    tracks[i].lengthSamples = end - tracks[i].index01Samples;
  }
  return { rateHz: album.rateHz, tracks, totalSamples: cursor };
}

/** Whole CD frames in a span of samples (rounded down), at any rate. */
export function samplesToCdFrames(samples: number, rateHz: number): number {
  return Math.floor((samples * CD_FRAMES_PER_SEC) / rateHz + 1e-9);
}

export function cdFramesToSamples(frames: number, rateHz: number): number {
  return Math.round((frames * rateHz) / CD_FRAMES_PER_SEC);
}

/** MM:SS:FF with 75 frames a second; minutes may exceed 59, as on a CD. */
export function formatMsf(samples: number, rateHz: number): string {
  const sign = samples < 0 ? '-' : '';
  const frames = samplesToCdFrames(Math.abs(samples), rateHz);
  const ff = frames % CD_FRAMES_PER_SEC;
  const totalSec = Math.floor(frames / CD_FRAMES_PER_SEC);
  const ss = totalSec % 60;
  const mm = Math.floor(totalSec / 60);
  return `${sign}${pad2(mm)}:${pad2(ss)}:${pad2(ff)}`;
}

/** Parses MM:SS:FF into samples. */
export function parseMsf(text: string, rateHz: number): number | null {
  const m = /^\s*(\d+):(\d{1,2}):(\d{1,2})\s*$/.exec(text);
  if (!m) return null;
  const [mm, ss, ff] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (ss > 59 || ff > 74) return null;
  return cdFramesToSamples((mm * 60 + ss) * CD_FRAMES_PER_SEC + ff, rateHz);
}

/** H:MM:SS.mmm or MM:SS.mmm for a clock display. */
export function formatClock(samples: number, rateHz: number): string {
  const totalMs = Math.floor((Math.max(0, samples) * 1000) / rateHz);
  const ms = totalMs % 1000;
  const totalSec = Math.floor(totalMs / 1000);
  const s = totalSec % 60;
  const m = Math.floor(totalSec / 60) % 60;
  const h = Math.floor(totalSec / 3600);
  const head = h > 0 ? `${h}:${pad2(m)}` : pad2(m);
  return `${head}:${pad2(s)}.${String(ms).padStart(3, '0')}`;
}

export function secToSamples(sec: number, rateHz: number): number {
  return Math.round(sec * rateHz);
}

export function samplesToSec(samples: number, rateHz: number): number {
  return samples / rateHz;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
