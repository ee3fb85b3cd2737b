/**
 * The album as a CD: every INDEX on a frame (588 samples at 44.1 kHz). The album view, the export
 * dialog, `lathe info` and the render all read this one layout, so every time shown is the one written.
 *
 * Where a track has a pause, the pause grows by less than a frame so its audio starts exactly on a
 * frame; where tracks run into each other, the audio stays put and the mark goes on the frame that
 * holds the audio's first sample, so it is never after it. With `markLeadFrames`, INDEX 01 goes that
 * many frames earlier still, as far as the pause leaves room (track 1's never before 00:02:00).
 */
import type { Album } from './model';
import { rescaleAlbum } from './model';
import { LatheError } from '../errors';
import { layoutAlbum, SAMPLES_PER_CD_FRAME, CD_FRAMES_PER_SEC, formatMsf } from './timeline';

export const CD_RATE_HZ = 44_100;
export const BYTES_PER_FRAME = 2352;
/** Red Book: track 1's INDEX 01 at 00:02:00 or later. */
export const FIRST_INDEX01_FRAME = 150;

export interface CdTrack {
  number: number;
  /** INDEX 00 sector, or null when the track has no pause (a segue or a 0 s gap). */
  index00: number | null;
  index01: number;
  /** Further INDEX marks (02...), in sectors. */
  indexes: number[];
  /** Sector where the next track's first index (or the lead-out) starts. */
  end: number;
  isrc: string;
  preEmphasis: boolean;
  copyPermitted: boolean;
}

/** Where each track's own audio begins, at 44.1 kHz, for the marks-after-audio check. */
export interface CdTrackAudio {
  /** Album sample where the track's INDEX 01 is meant to be (its position 0). */
  startSample: number;
  /** Album samples of its index marks. */
  indexSamples: number[];
}

export interface CdLayout {
  tracks: CdTrack[];
  /** Lead-out sector: the whole programme in sectors, track 1's pregap included. */
  leadOut: number;
  /** The album at 44.1 kHz with its pauses adjusted to whole frames: render this one for the CD. */
  album: Album;
  audio: CdTrackAudio[];
}

const ceilFrame = (s: number) => Math.ceil(s / SAMPLES_PER_CD_FRAME);
const floorFrame = (s: number) => Math.floor(s / SAMPLES_PER_CD_FRAME);

/** The CD layout of an album at any rate: positions are rescaled to 44.1 kHz first, as the render does. */
export function cdLayout(albumIn: Album): CdLayout {
  const album = albumIn.rateHz === CD_RATE_HZ ? albumIn : rescaleAlbum(albumIn, CD_RATE_HZ);
  if (album.rateHz !== CD_RATE_HZ) throw new LatheError('not-cd-rate', `The album is at ${album.rateHz} Hz; the CD layout is made from its 44.1 kHz render.`);
  // Grow each pause so that the track's audio starts on a frame boundary.
  const snapped: Album = { ...album, tracks: album.tracks.map((t) => ({ ...t })) };
  let layout = layoutAlbum(snapped);
  for (let i = 0; i < snapped.tracks.length; i++) {
    const t = snapped.tracks[i];
    const p = layout.tracks[i];
    if (p.gapSamples > 0) {
      const target = ceilFrame(p.index01Samples) * SAMPLES_PER_CD_FRAME;
      if (target !== p.index01Samples) {
        snapped.tracks[i] = { ...t, gapBeforeSamples: p.gapSamples + (target - p.index01Samples) };
        layout = layoutAlbum(snapped);
      }
    }
  }
  const lead = Math.max(0, Math.round(album.markLeadFrames ?? 0));
  const tracks: CdTrack[] = layout.tracks.map((p, i) => {
    const t = snapped.tracks[i];
    const audioFrame = floorFrame(p.index01Samples);
    // The pause starts on the first whole frame after the previous track's audio, never inside it.
    const pauseFrame = p.gapSamples > 0 ? ceilFrame(p.index00Samples) : audioFrame;
    const earliest = i === 0 ? FIRST_INDEX01_FRAME : pauseFrame;
    const index01 = Math.max(Math.min(audioFrame, earliest), audioFrame - lead);
    let last = index01;
    const indexes = t.indexMarksSamples.map((m) => {
      last = Math.max(last + 1, floorFrame(p.index01Samples + m) - lead);
      return last;
    });
    return {
      number: i + 1,
      index00: i === 0 ? 0 : pauseFrame < index01 ? pauseFrame : null,
      index01,
      indexes,
      end: 0,
      isrc: t.isrc,
      preEmphasis: t.flags.preEmphasis,
      copyPermitted: t.flags.copyPermitted
    };
  });
  const leadOut = ceilFrame(layout.totalSamples);
  tracks.forEach((t, i) => {
    const next = tracks[i + 1];
    t.end = next ? (next.index00 ?? next.index01) : leadOut;
  });
  const audio = layout.tracks.map((p, i) => ({ startSample: p.index01Samples, indexSamples: snapped.tracks[i].indexMarksSamples.map((m) => p.index01Samples + m) }));
  return { tracks, leadOut, album: snapped, audio };
}

/** A track's CD length: INDEX 01 to the next track's INDEX 01 or the lead-out. */
export function cdTrackFrames(tracks: readonly CdTrack[], i: number, leadOut: number): number {
  const next = tracks[i + 1];
  return (next ? next.index01 : leadOut) - tracks[i].index01;
}

/** A track's pause: INDEX 00 to INDEX 01, 0 when it has none. */
export function cdPauseFrames(t: CdTrack): number {
  return t.index00 === null ? 0 : t.index01 - t.index00;
}

/** MM:SS:FF of a sector count. */
export function msf(frames: number): string {
  return formatMsf(frames * SAMPLES_PER_CD_FRAME, CD_RATE_HZ);
}

export function framesToSec(frames: number): number {
  return frames / CD_FRAMES_PER_SEC;
}
