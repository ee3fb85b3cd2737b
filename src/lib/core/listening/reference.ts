/**
 * Where a reference track plays while the album plays, for A/B: from the same position into the
 * current track (wrapping at the reference's end), or round its own loop region from where play
 * began. Positions are integer samples; the reference at its own rate.
 */
import type { AlbumLayout } from '../album/timeline';

export interface ReferencePlacement {
  frames: number;
  rateHz: number;
  /** Its own loop region, in seconds of the reference; null plays from the relative position. */
  loop: { startSec: number; endSec: number } | null;
}

export interface ReferenceSpan {
  /** Album samples this span plays over. */
  albumStart: number;
  albumFrames: number;
  /** Where in the reference it starts, and how many of its frames cover the span. */
  refStart: number;
  refFrames: number;
}

/** The loop region in reference frames, clamped into the file; null when it holds less than 100 ms. */
export function loopFrames(ref: ReferencePlacement): [number, number] | null {
  if (!ref.loop) return null;
  const start = Math.max(0, Math.min(ref.frames, Math.round(ref.loop.startSec * ref.rateHz)));
  const end = Math.max(0, Math.min(ref.frames, Math.round(ref.loop.endSec * ref.rateHz)));
  return end - start >= ref.rateHz / 10 ? [start, end] : null;
}

/**
 * The reference under album samples [from, to), split where a track begins (the relative position
 * starts again) and where the reference wraps. `anchor` is where play began, for a loop region.
 */
export function referenceSpans(layout: AlbumLayout, albumRateHz: number, from: number, to: number, ref: ReferencePlacement, anchor: number): ReferenceSpan[] {
  const ratio = ref.rateHz / albumRateHz;
  const loop = loopFrames(ref);
  const [wrapStart, wrapEnd] = loop ?? [0, ref.frames];
  const wrapLen = wrapEnd - wrapStart;
  const out: ReferenceSpan[] = [];
  if (wrapLen <= 0 || to <= from) return out;
  let at = from;
  while (at < to) {
    let origin: number;
    let segmentEnd = to;
    if (loop) origin = anchor;
    else {
      // The track that holds `at`; before the first INDEX 01 (the pregap), the first track.
      const tracks = layout.tracks;
      let i = 0;
      while (i + 1 < tracks.length && tracks[i + 1].index01Samples <= at) i++;
      origin = tracks.length ? tracks[i].index01Samples : 0;
      if (i + 1 < tracks.length) segmentEnd = Math.min(segmentEnd, tracks[i + 1].index01Samples);
    }
    const rel = Math.max(0, Math.floor((at - origin) * ratio));
    const refStart = wrapStart + (rel % wrapLen);
    // Album samples left before the reference wraps.
    const untilWrap = Math.ceil((wrapEnd - refStart) / ratio);
    const end = Math.min(segmentEnd, at + Math.max(1, untilWrap));
    const albumFrames = end - at;
    out.push({ albumStart: at, albumFrames, refStart, refFrames: Math.max(1, Math.min(wrapEnd - refStart, Math.round(albumFrames * ratio))) });
    at = end;
  }
  return out;
}

/** The gain that brings the other signal to the album's loudness, dB; null when either is unmeasured or silent. */
export function matchOffsetDb(albumLufs: number | null | undefined, otherLufs: number | null | undefined): number | null {
  if (albumLufs === null || albumLufs === undefined || otherLufs === null || otherLufs === undefined) return null;
  return Math.round((albumLufs - otherLufs) * 100) / 100;
}
