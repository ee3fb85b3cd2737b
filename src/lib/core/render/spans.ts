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

export interface ChainedSpan {
  clip: Clip;
  /** Where the span's first output lands in the track bus of the current block. */
  busStart: number;
  clipOffset: number;
  lengthSamples: number;
  /** The leading part of the span that holds the clip's audio; the rest feeds its chain zeros. */
  audioSamples: number;
}

/**
 * One track's clips in a block, for chains that delay audio. The track chain's latency shifts the
 * whole track earlier and a clip chain's shifts that clip further, so once the chains have delayed
 * them everything lands in place; a clip runs on for its chain's latency to let the tail out.
 */
export function trackSpans(
  album: Album,
  layout: AlbumLayout,
  trackIndex: number,
  from: number,
  n: number,
  trackLatency: number,
  clipLatency: (clip: Clip) => number
): ChainedSpan[] {
  const spans: ChainedSpan[] = [];
  const base = layout.tracks[trackIndex]?.index01Samples ?? 0;
  for (const clip of album.tracks[trackIndex].clips) {
    if (clip.muted) continue;
    const latency = clipLatency(clip);
    const windowStart = from + trackLatency + latency;
    const start = base + clip.positionSamples;
    const end = start + clip.lengthSamples;
    const a = Math.max(windowStart, start);
    const b = Math.min(windowStart + n, end + latency);
    if (b > a) spans.push({ clip, busStart: a - windowStart, clipOffset: a - start, lengthSamples: b - a, audioSamples: Math.max(0, Math.min(b, end) - a) });
  }
  return spans;
}
