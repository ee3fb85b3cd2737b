/**
 * The album as a CD: every INDEX on a frame (588 samples at 44.1 kHz). Where a track has a pause,
 * the pause grows by less than a frame so its audio starts exactly on INDEX 01; where tracks run
 * into each other, the audio stays put and only the mark is rounded to the nearest frame.
 */
import type { Album } from '../album/model';
import { LatheError } from '../errors';
import { layoutAlbum, SAMPLES_PER_CD_FRAME, CD_FRAMES_PER_SEC, formatMsf } from '../album/timeline';

export const CD_RATE_HZ = 44_100;
export const BYTES_PER_FRAME = 2352;

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

export interface CdLayout {
  tracks: CdTrack[];
  /** Lead-out sector: the whole programme in sectors, track 1's pregap included. */
  leadOut: number;
  /** The album with its pauses adjusted to whole frames: render this one for the CD. */
  album: Album;
}

const ceilFrame = (s: number) => Math.ceil(s / SAMPLES_PER_CD_FRAME);
const roundFrame = (s: number) => Math.round(s / SAMPLES_PER_CD_FRAME);

export function cdLayout(album: Album): CdLayout {
  if (album.rateHz !== CD_RATE_HZ) throw new LatheError('not-cd-rate', `The album is at ${album.rateHz} Hz; the CD layout is made from its 44.1 kHz render.`);
  // Grow each pause so that INDEX 01 falls on a frame boundary.
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
  const tracks: CdTrack[] = layout.tracks.map((p, i) => {
    const t = snapped.tracks[i];
    const index01 = p.gapSamples > 0 ? p.index01Samples / SAMPLES_PER_CD_FRAME : roundFrame(p.index01Samples);
    // The pause starts on the first whole frame after the previous track's audio, never inside it.
    const index00 = p.gapSamples > 0 ? ceilFrame(p.index00Samples) : index01;
    return {
      number: i + 1,
      index00: i === 0 ? 0 : index00 < index01 ? index00 : null,
      index01,
      indexes: t.indexMarksSamples.map((m) => index01 + roundFrame(m)),
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
  return { tracks, leadOut, album: snapped };
}

/** MM:SS:FF of a sector count. */
export function msf(frames: number): string {
  return formatMsf(frames * SAMPLES_PER_CD_FRAME, CD_RATE_HZ);
}

export function framesToSec(frames: number): number {
  return frames / CD_FRAMES_PER_SEC;
}
