/** Pure edits: each takes an album and returns a new one, never changing its input. */
import { LatheError } from '../errors';
import type { Album, Clip, FadeCurve, Track, CdFlags, TextFields } from './model';
import { newId } from './model';

function trackIndex(album: Album, trackId: string): number {
  const i = album.tracks.findIndex((t) => t.id === trackId);
  if (i < 0) throw new LatheError('no-such-track', `No track with id ${trackId}.`);
  return i;
}

function mapTrack(album: Album, trackId: string, f: (t: Track) => Track): Album {
  const i = trackIndex(album, trackId);
  const tracks = album.tracks.slice();
  tracks[i] = f(tracks[i]);
  return { ...album, tracks };
}

function findClip(album: Album, clipId: string): { track: Track; clip: Clip } {
  for (const track of album.tracks) {
    const clip = track.clips.find((c) => c.id === clipId);
    if (clip) return { track, clip };
  }
  throw new LatheError('no-such-clip', `No clip with id ${clipId}.`);
}

export function mapClip(album: Album, clipId: string, f: (c: Clip) => Clip): Album {
  const { track } = findClip(album, clipId);
  return mapTrack(album, track.id, (t) => ({ ...t, clips: t.clips.map((c) => (c.id === clipId ? f(c) : c)) }));
}

function nonNegativeInt(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0) throw new LatheError('bad-value', `${what} must be a number of 0 or more.`);
  return Math.round(value);
}

function clampFades(c: Clip): Clip {
  const fadeIn = Math.min(c.fadeInSamples, c.lengthSamples);
  const fadeOut = Math.min(c.fadeOutSamples, c.lengthSamples - fadeIn);
  return { ...c, fadeInSamples: fadeIn, fadeOutSamples: fadeOut };
}

export function addTrack(album: Album, track: Track, atIndex = album.tracks.length): Album {
  const tracks = album.tracks.slice();
  tracks.splice(Math.max(0, Math.min(atIndex, tracks.length)), 0, track);
  return { ...album, tracks };
}

export function removeTrack(album: Album, trackId: string): Album {
  const i = trackIndex(album, trackId);
  return { ...album, tracks: album.tracks.filter((_, j) => j !== i) };
}

/** Moves a track to a new index in the running order. */
export function moveTrack(album: Album, trackId: string, toIndex: number): Album {
  const from = trackIndex(album, trackId);
  const to = Math.max(0, Math.min(toIndex, album.tracks.length - 1));
  if (from === to) return album;
  const tracks = album.tracks.slice();
  const [track] = tracks.splice(from, 1);
  tracks.splice(to, 0, track);
  return { ...album, tracks };
}

/** Sets the pause before a track's INDEX 01; a gap ends any segue. */
export function setGap(album: Album, trackId: string, gapSamples: number): Album {
  const gap = nonNegativeInt(gapSamples, 'The gap');
  return mapTrack(album, trackId, (t) => ({ ...t, gapBeforeSamples: gap, overlapSamples: gap > 0 ? 0 : t.overlapSamples }));
}

/** Makes a track start before the previous one ends (a segue); sets its gap to 0. */
export function setOverlap(album: Album, trackId: string, overlapSamples: number): Album {
  const overlap = nonNegativeInt(overlapSamples, 'The overlap');
  if (trackIndex(album, trackId) === 0 && overlap > 0) {
    throw new LatheError('bad-value', 'Track 1 has no previous track to overlap.');
  }
  return mapTrack(album, trackId, (t) => ({ ...t, overlapSamples: overlap, gapBeforeSamples: overlap > 0 ? 0 : t.gapBeforeSamples }));
}

export type TrackMetadata = Partial<TextFields> & Partial<Pick<Track, 'isrc'>> & {
  flags?: Partial<CdFlags>;
};

export function setTrackMetadata(album: Album, trackId: string, meta: TrackMetadata): Album {
  return mapTrack(album, trackId, (t) => {
    const { flags, ...rest } = meta;
    return { ...t, ...rest, flags: flags ? { ...t.flags, ...flags } : t.flags };
  });
}

export type AlbumMetadata = Partial<Pick<Album, 'title' | 'artist' | 'songwriter' | 'composer' | 'arranger' | 'message' | 'upc' | 'catalog' | 'markLeadFrames' | 'year' | 'copyright' | 'artwork'>>;

export function setAlbumMetadata(album: Album, meta: AlbumMetadata): Album {
  return { ...album, ...meta };
}

export function addClip(album: Album, trackId: string, clip: Clip): Album {
  if (clip.lengthSamples <= 0) throw new LatheError('bad-value', 'A clip must be at least one sample long.');
  return mapTrack(album, trackId, (t) => ({ ...t, clips: [...t.clips, clampFades(clip)] }));
}

export function removeClip(album: Album, clipId: string): Album {
  const { track } = findClip(album, clipId);
  return mapTrack(album, track.id, (t) => ({ ...t, clips: t.clips.filter((c) => c.id !== clipId) }));
}

/**
 * Moves a clip within its track, or into another track when `toTrackId` is given. A negative
 * position puts audio before INDEX 01, inside the track's pause.
 */
export function moveClip(album: Album, clipId: string, positionSamples: number, toTrackId?: string): Album {
  if (!Number.isFinite(positionSamples)) throw new LatheError('bad-value', 'The clip position must be a number of samples.');
  const position = Math.round(positionSamples);
  const { track, clip } = findClip(album, clipId);
  const moved = { ...clip, positionSamples: position };
  if (!toTrackId || toTrackId === track.id) return mapClip(album, clipId, () => moved);
  const without = removeClip(album, clipId);
  return mapTrack(without, toTrackId, (t) => ({ ...t, clips: [...t.clips, moved] }));
}

/**
 * Trims a clip's edges. `startDelta` > 0 cuts its head (the clip keeps its audio in place:
 * position and source offset move together); `endDelta` > 0 extends its tail.
 */
export function trimClip(album: Album, clipId: string, startDelta: number, endDelta: number, sourceLengthSamples?: number): Album {
  return mapClip(album, clipId, (c) => {
    const d = Math.round(startDelta);
    const offset = c.sourceOffsetSamples + d;
    const position = c.positionSamples + d;
    const length = c.lengthSamples - d + Math.round(endDelta);
    if (offset < 0) throw new LatheError('bad-trim', 'The clip cannot start before its source.');
    if (length <= 0) throw new LatheError('bad-trim', 'A trim cannot leave the clip empty.');
    if (sourceLengthSamples !== undefined && offset + length > sourceLengthSamples) {
      throw new LatheError('bad-trim', 'The clip cannot extend past the end of its source.');
    }
    return clampFades({ ...c, sourceOffsetSamples: offset, positionSamples: position, lengthSamples: length });
  });
}

/** Splits a clip in two at a point relative to the clip's start; returns the album and the new clip's id. */
export function splitClip(album: Album, clipId: string, atSamples: number, newClipId = newId()): { album: Album; newClipId: string } {
  const { track, clip } = findClip(album, clipId);
  const at = Math.round(atSamples);
  if (at <= 0 || at >= clip.lengthSamples) throw new LatheError('bad-split', 'A split point must lie inside the clip.');
  const head: Clip = { ...clip, lengthSamples: at, fadeOutSamples: 0 };
  const tail: Clip = {
    ...clip,
    id: newClipId,
    positionSamples: clip.positionSamples + at,
    sourceOffsetSamples: clip.sourceOffsetSamples + at,
    lengthSamples: clip.lengthSamples - at,
    fadeInSamples: 0
  };
  const next = mapTrack(album, track.id, (t) => {
    const clips = t.clips.slice();
    const i = clips.findIndex((c) => c.id === clipId);
    clips.splice(i, 1, clampFades(head), clampFades(tail));
    return { ...t, clips };
  });
  return { album: next, newClipId };
}

export function setClipGain(album: Album, clipId: string, gainDb: number): Album {
  if (!Number.isFinite(gainDb)) throw new LatheError('bad-value', 'The clip gain must be a number of dB.');
  return mapClip(album, clipId, (c) => ({ ...c, gainDb }));
}

export function setClipMute(album: Album, clipId: string, muted: boolean): Album {
  return mapClip(album, clipId, (c) => ({ ...c, muted }));
}

export interface FadeSettings {
  fadeInSamples?: number;
  fadeOutSamples?: number;
  fadeInCurve?: FadeCurve;
  fadeOutCurve?: FadeCurve;
}

/** Sets fades; they are clamped so that together they never exceed the clip. */
export function setClipFades(album: Album, clipId: string, fades: FadeSettings): Album {
  return mapClip(album, clipId, (c) => {
    const fadeIn = fades.fadeInSamples === undefined ? c.fadeInSamples : nonNegativeInt(fades.fadeInSamples, 'The fade-in');
    const fadeOut = fades.fadeOutSamples === undefined ? c.fadeOutSamples : nonNegativeInt(fades.fadeOutSamples, 'The fade-out');
    return clampFades({
      ...c,
      fadeInSamples: fadeIn,
      fadeOutSamples: fadeOut,
      fadeInCurve: fades.fadeInCurve ?? c.fadeInCurve,
      fadeOutCurve: fades.fadeOutCurve ?? c.fadeOutCurve
    });
  });
}
