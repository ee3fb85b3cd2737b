/** Which pieces of which clips sound in a window of the album timeline. */
import type { Album, Clip } from '../album/model';
import type { AlbumLayout } from '../album/timeline';

export interface ClipSpan {
  clip: Clip;
  trackIndex: number;
  /** Album sample where this span starts. */
  albumStart: number;
  /** Offset of the span's start from the clip's start. */
  clipOffset: number;
  lengthSamples: number;
}

export function clipSpans(album: Album, layout: AlbumLayout, from: number, to: number): ClipSpan[] {
  const spans: ClipSpan[] = [];
  album.tracks.forEach((track, trackIndex) => {
    const base = layout.tracks[trackIndex]?.index01Samples ?? 0;
    for (const clip of track.clips) {
      if (clip.muted) continue;
      const start = base + clip.positionSamples;
      const end = start + clip.lengthSamples;
      const a = Math.max(from, start);
      const b = Math.min(to, end);
      if (b > a) spans.push({ clip, trackIndex, albumStart: a, clipOffset: a - start, lengthSamples: b - a });
    }
  });
  return spans;
}
