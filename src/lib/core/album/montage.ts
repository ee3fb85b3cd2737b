/**
 * The montage: the album on one time axis as the CD plays it, and the edits a drag or a key on
 * the timeline makes. Every function is pure (album in, album out), so the UI only maps pointer
 * and key events to these and the history records each result.
 */
import { LatheError } from '../errors';
import type { Album, Asset, Clip, FadeCurve, Track } from './model';
import { assetLengthAtRate, newId, rescaleAlbum } from './model';
import { layoutAlbum, cdFramesToSamples, CD_FRAMES_PER_SEC, type AlbumLayout } from './timeline';

/** A clip where the album plays it. */
export interface PlacedClip {
  trackIndex: number;
  trackId: string;
  clipIndex: number;
  clip: Clip;
  startSamples: number;
  endSamples: number;
}

export function placeClips(album: Album, layout: AlbumLayout = layoutAlbum(album)): PlacedClip[] {
  const out: PlacedClip[] = [];
  album.tracks.forEach((track, trackIndex) => {
    const index01 = layout.tracks[trackIndex].index01Samples;
    track.clips.forEach((clip, clipIndex) => {
      const startSamples = index01 + clip.positionSamples;
      out.push({ trackIndex, trackId: track.id, clipIndex, clip, startSamples, endSamples: startSamples + clip.lengthSamples });
    });
  });
  return out;
}

/** One CD frame (1/75 s) at the album rate, in samples. */
export function cdFrameSamples(rateHz: number): number {
  return cdFramesToSamples(1, rateHz);
}

/** The nearest CD frame boundary of the album's time axis. */
export function nearestFrame(samples: number, rateHz: number): number {
  return cdFramesToSamples(Math.round((samples * CD_FRAMES_PER_SEC) / rateHz), rateHz);
}

/** The CD frame boundary at or before a point: where a mark goes so it is never after its audio. */
export function frameAtOrBefore(samples: number, rateHz: number): number {
  const f = Math.floor((samples * CD_FRAMES_PER_SEC) / rateHz + 1e-9);
  const at = cdFramesToSamples(f, rateHz);
  return at > samples ? cdFramesToSamples(f - 1, rateHz) : at;
}

export type SnapKind = 'edge' | 'playhead' | 'frame';

export interface SnapSettings {
  rateHz: number;
  /** Other objects' edges, album samples. */
  edges: readonly number[];
  playheadSamples: number | null;
  /** How close an edge or the playhead must be to catch, in samples (a few pixels at the zoom). */
  toleranceSamples: number;
  /** Off while the person holds the suspend key. */
  enabled: boolean;
  /** Quantize to CD frames when nothing closer catches. */
  frames: boolean;
}

export interface Snapped {
  samples: number;
  to: SnapKind | null;
}

/** Snaps one point: an edge or the playhead within the tolerance wins, else the CD frame grid. */
export function snapPoint(samples: number, s: SnapSettings): Snapped {
  const at = Math.round(samples);
  if (!s.enabled) return { samples: at, to: null };
  const caught = nearestTarget([at], s);
  if (caught) return { samples: at + caught.delta, to: caught.to };
  return s.frames ? { samples: nearestFrame(at, s.rateHz), to: 'frame' } : { samples: at, to: null };
}

/**
 * Snaps a moving object of a given length: either of its edges may catch an edge or the playhead
 * (the closer wins); otherwise its start goes to the CD frame grid. Returns the snapped start.
 */
export function snapSpan(startSamples: number, lengthSamples: number, s: SnapSettings): Snapped {
  const at = Math.round(startSamples);
  if (!s.enabled) return { samples: at, to: null };
  const caught = nearestTarget([at, at + lengthSamples], s);
  if (caught) return { samples: at + caught.delta, to: caught.to };
  return s.frames ? { samples: nearestFrame(at, s.rateHz), to: 'frame' } : { samples: at, to: null };
}

function nearestTarget(points: number[], s: SnapSettings): { delta: number; to: SnapKind } | null {
  let best: { delta: number; to: SnapKind } | null = null;
  const consider = (target: number, to: SnapKind) => {
    for (const p of points) {
      const delta = target - p;
      if (Math.abs(delta) <= s.toleranceSamples && (!best || Math.abs(delta) < Math.abs(best.delta))) best = { delta, to };
    }
  };
  for (const e of s.edges) consider(e, 'edge');
  if (s.playheadSamples !== null) consider(s.playheadSamples, 'playhead');
  return best;
}

/** Edges of every clip not in `exclude`, and the album's track starts, for snapping. */
export function snapEdges(album: Album, exclude: ReadonlySet<string>, layout: AlbumLayout = layoutAlbum(album)): number[] {
  const edges: number[] = [];
  for (const p of placeClips(album, layout)) {
    if (exclude.has(p.clip.id)) continue;
    edges.push(p.startSamples, p.endSamples);
  }
  for (const t of layout.tracks) edges.push(t.index01Samples);
  return edges;
}

function findClip(album: Album, clipId: string): { trackIndex: number; track: Track; clip: Clip } {
  for (let trackIndex = 0; trackIndex < album.tracks.length; trackIndex++) {
    const track = album.tracks[trackIndex];
    const clip = track.clips.find((c) => c.id === clipId);
    if (clip) return { trackIndex, track, clip };
  }
  throw new LatheError('no-such-clip', `No clip with id ${clipId}.`);
}

function withTrack(album: Album, trackIndex: number, track: Track): Album {
  const tracks = album.tracks.slice();
  tracks[trackIndex] = track;
  return { ...album, tracks };
}

/** The clip that opens a track: the earliest, the first in order on a tie. */
export function leadClip(track: Track): Clip | undefined {
  let lead: Clip | undefined;
  for (const c of track.clips) if (!lead || c.positionSamples < lead.positionSamples) lead = c;
  return lead;
}

/** Where the tracks before this one end: INDEX 01 sits this far plus the gap, or earlier by the overlap. */
function previousEnd(layout: AlbumLayout, trackIndex: number): number {
  let end = 0;
  for (let j = 0; j < trackIndex; j++) end = Math.max(end, layout.tracks[j].contentEndSamples);
  return end;
}

/** Puts a track's INDEX 01 at an album sample: a pause when after the previous audio, a segue when before it. */
function placeIndex01(track: Track, trackIndex: number, index01Samples: number, prevEnd: number): Track {
  if (trackIndex === 0) return { ...track, gapBeforeSamples: Math.max(0, Math.round(index01Samples)), overlapSamples: 0 };
  const rel = Math.round(index01Samples) - prevEnd;
  if (rel >= 0) return { ...track, gapBeforeSamples: rel, overlapSamples: 0 };
  return { ...track, gapBeforeSamples: 0, overlapSamples: Math.min(prevEnd, -rel) };
}

/** Clip positions shifted so their audio stays in place while INDEX 01 moves by `d`. */
function shiftContent(track: Track, d: number): Track {
  return { ...track, clips: track.clips.map((c) => ({ ...c, positionSamples: c.positionSamples - d })) };
}

function clampFades(c: Clip): Clip {
  const fadeIn = Math.min(c.fadeInSamples, c.lengthSamples);
  return { ...c, fadeInSamples: fadeIn, fadeOutSamples: Math.min(c.fadeOutSamples, c.lengthSamples - fadeIn) };
}

/**
 * Two clips of a track that overlap crossfade over the overlap: fades follow it, equal power
 * unless a curve was already chosen. A pair that stops overlapping drops the fades it had.
 */
export function crossfadeOverlaps(track: Track, before?: Track): Track {
  const pairs = (t: Track) => {
    const sorted = t.clips.slice().sort((a, b) => a.positionSamples - b.positionSamples);
    const out = new Map<string, { a: Clip; b: Clip; overlap: number }>();
    for (let i = 0; i + 1 < sorted.length; i++) {
      const a = sorted[i];
      const b = sorted[i + 1];
      out.set(`${a.id}|${b.id}`, { a, b, overlap: a.positionSamples + a.lengthSamples - b.positionSamples });
    }
    return out;
  };
  const now = pairs(track);
  const was = before ? pairs(before) : new Map();
  const patch = new Map<string, Partial<Clip>>();
  const set = (id: string, p: Partial<Clip>) => patch.set(id, { ...patch.get(id), ...p });
  for (const [key, { a, b, overlap }] of now) {
    const old = was.get(key);
    if (overlap > 0) {
      if (old && old.overlap === overlap) continue;
      set(a.id, { fadeOutSamples: overlap, fadeOutCurve: a.fadeOutSamples > 0 && old?.overlap > 0 ? a.fadeOutCurve : 'equalPower' });
      set(b.id, { fadeInSamples: overlap, fadeInCurve: b.fadeInSamples > 0 && old?.overlap > 0 ? b.fadeInCurve : 'equalPower' });
    } else if (old && old.overlap > 0) {
      if (a.fadeOutSamples === old.overlap) set(a.id, { fadeOutSamples: 0 });
      if (b.fadeInSamples === old.overlap) set(b.id, { fadeInSamples: 0 });
    }
  }
  if (!patch.size) return track;
  return { ...track, clips: track.clips.map((c) => (patch.has(c.id) ? clampFades({ ...c, ...patch.get(c.id) }) : c)) };
}

/**
 * A segue crossfades the previous track's last audio into this track's first: both fades follow
 * the audio overlap; when the segue ends, the fades it made go.
 */
function crossfadeSegue(album: Album, trackIndex: number, before: Album): Album {
  if (trackIndex <= 0 || trackIndex >= album.tracks.length) return album;
  const overlapOf = (a: Album) => {
    const layout = layoutAlbum(a);
    const prev = a.tracks[trackIndex - 1];
    const cur = a.tracks[trackIndex];
    const tail = prev.clips.reduce<Clip | undefined>((m, c) => (!m || c.positionSamples + c.lengthSamples > m.positionSamples + m.lengthSamples ? c : m), undefined);
    const head = leadClip(cur);
    if (!tail || !head) return null;
    const tailEnd = layout.tracks[trackIndex - 1].index01Samples + tail.positionSamples + tail.lengthSamples;
    const headStart = layout.tracks[trackIndex].index01Samples + head.positionSamples;
    return { tail, head, overlap: tailEnd - headStart };
  };
  const now = overlapOf(album);
  const was = overlapOf(before);
  if (!now) return album;
  const fade = (a: Album, ti: number, id: string, p: Partial<Clip>) =>
    withTrack(a, ti, { ...a.tracks[ti], clips: a.tracks[ti].clips.map((c) => (c.id === id ? clampFades({ ...c, ...p }) : c)) });
  let out = album;
  if (now.overlap > 0) {
    if (was && was.tail.id === now.tail.id && was.head.id === now.head.id && was.overlap === now.overlap) return album;
    const kept = was && was.overlap > 0;
    out = fade(out, trackIndex - 1, now.tail.id, { fadeOutSamples: Math.min(now.overlap, now.tail.lengthSamples), fadeOutCurve: kept ? now.tail.fadeOutCurve : 'equalPower' });
    out = fade(out, trackIndex, now.head.id, { fadeInSamples: Math.min(now.overlap, now.head.lengthSamples), fadeInCurve: kept ? now.head.fadeInCurve : 'equalPower' });
  } else if (was && was.overlap > 0) {
    if (now.tail.fadeOutSamples === was.overlap) out = fade(out, trackIndex - 1, now.tail.id, { fadeOutSamples: 0 });
    if (now.head.fadeInSamples === was.overlap) out = fade(out, trackIndex, now.head.id, { fadeInSamples: 0 });
  }
  return out;
}

/** After an edit of some tracks: their own overlaps crossfade, and so do the segues into them and out of them. */
function settle(album: Album, before: Album, touched: Iterable<number>): Album {
  let out = album;
  const set = new Set(touched);
  for (const ti of set) {
    const prev = before.tracks.find((t) => t.id === out.tracks[ti].id);
    out = withTrack(out, ti, crossfadeOverlaps(out.tracks[ti], prev));
  }
  for (const ti of set) {
    out = crossfadeSegue(out, ti, before);
    out = crossfadeSegue(out, ti + 1, before);
  }
  return out;
}

/**
 * Moves clips by a number of samples on the album's time axis. A track's lead clip carries its
 * whole track: INDEX 01, its marks and its other clips move with it (the pause grows or shrinks,
 * or past the previous track's end it becomes a segue). Other clips move within their track
 * (before INDEX 01 they play in its pause).
 */
export function moveClipsBy(album: Album, clipIds: readonly string[], deltaSamples: number): Album {
  const d = Math.round(deltaSamples);
  if (d === 0 || clipIds.length === 0) return album;
  const ids = new Set(clipIds);
  let out = album;
  const touched = new Set<number>();
  for (let ti = 0; ti < out.tracks.length; ti++) {
    const track = out.tracks[ti];
    if (!track.clips.some((c) => ids.has(c.id))) continue;
    touched.add(ti);
    const lead = leadClip(track);
    if (lead && ids.has(lead.id)) {
      const layout = layoutAlbum(out);
      const index01 = layout.tracks[ti].index01Samples;
      const prevEnd = previousEnd(layout, ti);
      // Nothing starts before the disc does.
      const target = Math.max(0, index01 + d);
      out = withTrack(out, ti, placeIndex01(track, ti, target, prevEnd));
    } else {
      out = withTrack(out, ti, { ...track, clips: track.clips.map((c) => (ids.has(c.id) ? { ...c, positionSamples: c.positionSamples + d } : c)) });
    }
  }
  return settle(out, album, touched);
}

/** Moves clips so the first of them starts at an album sample. */
export function moveClipsTo(album: Album, clipIds: readonly string[], startSamples: number): Album {
  const placed = placeClips(album).filter((p) => clipIds.includes(p.clip.id));
  if (!placed.length) return album;
  const first = Math.min(...placed.map((p) => p.startSamples));
  return moveClipsBy(album, clipIds, startSamples - first);
}

/**
 * Moves one edge of a clip to an album sample, keeping its audio where it plays. Trimming the head
 * of the clip at INDEX 01 keeps INDEX 01 on the first audio: the track closes up and the pause
 * before it stays as set.
 */
export function trimEdgeTo(album: Album, clipId: string, edge: 'start' | 'end', albumSamples: number, sourceLengthSamples: number): Album {
  const { trackIndex, track, clip } = findClip(album, clipId);
  const layout = layoutAlbum(album);
  const start = layout.tracks[trackIndex].index01Samples + clip.positionSamples;
  const at = Math.round(albumSamples);
  let c: Clip;
  if (edge === 'start') {
    const d = Math.max(-clip.sourceOffsetSamples, Math.min(clip.lengthSamples - 1, at - start));
    if (d === 0) return album;
    c = { ...clip, positionSamples: clip.positionSamples + d, sourceOffsetSamples: clip.sourceOffsetSamples + d, lengthSamples: clip.lengthSamples - d };
  } else {
    const maxLength = sourceLengthSamples - clip.sourceOffsetSamples;
    const length = Math.max(1, Math.min(maxLength, at - start));
    if (length === clip.lengthSamples) return album;
    c = { ...clip, lengthSamples: length };
  }
  c = clampFades(c);
  let next: Track = { ...track, clips: track.clips.map((x) => (x.id === clipId ? c : x)) };
  if (edge === 'start' && clip.positionSamples === 0 && leadClip(track)?.id === clipId && c.positionSamples > 0) {
    const d = c.positionSamples;
    next = { ...shiftContent(next, d), indexMarksSamples: next.indexMarksSamples.map((m) => Math.max(0, m - d)) };
  }
  return settle(withTrack(album, trackIndex, next), album, [trackIndex]);
}

/** Sets a fade by its handle: the length from the clip's edge to an album sample. */
export function fadeTo(album: Album, clipId: string, which: 'in' | 'out', albumSamples: number): Album {
  const { trackIndex, track, clip } = findClip(album, clipId);
  const start = layoutAlbum(album).tracks[trackIndex].index01Samples + clip.positionSamples;
  const at = Math.round(albumSamples);
  const c =
    which === 'in'
      ? { ...clip, fadeInSamples: Math.max(0, Math.min(clip.lengthSamples - clip.fadeOutSamples, at - start)) }
      : { ...clip, fadeOutSamples: Math.max(0, Math.min(clip.lengthSamples - clip.fadeInSamples, start + clip.lengthSamples - at)) };
  return withTrack(album, trackIndex, { ...track, clips: track.clips.map((x) => (x.id === clipId ? c : x)) });
}

export const MIN_CLIP_GAIN_DB = -60;
export const MAX_CLIP_GAIN_DB = 24;

/** Clip gain as the handle sets it: clamped, to a hundredth of a dB. */
export function clampGainDb(gainDb: number): number {
  return Math.round(Math.max(MIN_CLIP_GAIN_DB, Math.min(MAX_CLIP_GAIN_DB, gainDb)) * 100) / 100;
}

/** Splits every given clip that the point crosses; returns the album and the new clips' ids. */
export function splitAt(album: Album, clipIds: readonly string[], albumSamples: number): { album: Album; newClipIds: string[] } {
  const at = Math.round(albumSamples);
  let out = album;
  const newClipIds: string[] = [];
  for (const p of placeClips(album)) {
    if (!clipIds.includes(p.clip.id) || at <= p.startSamples || at >= p.endSamples) continue;
    const cut = at - p.startSamples;
    const id = newId();
    const track = out.tracks[p.trackIndex];
    const head: Clip = { ...p.clip, lengthSamples: cut, fadeOutSamples: 0 };
    const tail: Clip = { ...p.clip, id, positionSamples: p.clip.positionSamples + cut, sourceOffsetSamples: p.clip.sourceOffsetSamples + cut, lengthSamples: p.clip.lengthSamples - cut, fadeInSamples: 0, chain: structuredClone(p.clip.chain) };
    const clips = track.clips.slice();
    clips.splice(clips.findIndex((c) => c.id === p.clip.id), 1, clampFades(head), clampFades(tail));
    out = withTrack(out, p.trackIndex, { ...track, clips });
    newClipIds.push(id);
  }
  return { album: out, newClipIds };
}

/** The clips under a point, for a split with nothing selected. */
export function clipsAt(album: Album, albumSamples: number): string[] {
  return placeClips(album).filter((p) => albumSamples > p.startSamples && albumSamples < p.endSamples).map((p) => p.clip.id);
}

/** A copy of each clip, placed right after it on its track; returns the copies' ids. */
export function duplicateClips(album: Album, clipIds: readonly string[]): { album: Album; newClipIds: string[] } {
  let out = album;
  const newClipIds: string[] = [];
  for (const id of clipIds) {
    const { trackIndex, track, clip } = findClip(out, id);
    const copy: Clip = { ...structuredClone(clip), id: newId(), positionSamples: clip.positionSamples + clip.lengthSamples };
    const clips = track.clips.slice();
    clips.splice(clips.indexOf(clip) + 1, 0, copy);
    out = withTrack(out, trackIndex, { ...track, clips });
    newClipIds.push(copy.id);
  }
  return { album: out, newClipIds };
}

export function removeClips(album: Album, clipIds: readonly string[]): Album {
  const ids = new Set(clipIds);
  return { ...album, tracks: album.tracks.map((t) => (t.clips.some((c) => ids.has(c.id)) ? { ...t, clips: t.clips.filter((c) => !ids.has(c.id)) } : t)) };
}

/** Mutes the clips, or unmutes them when all were muted. */
export function toggleMute(album: Album, clipIds: readonly string[]): Album {
  const ids = new Set(clipIds);
  const all = album.tracks.every((t) => t.clips.every((c) => !ids.has(c.id) || c.muted));
  return { ...album, tracks: album.tracks.map((t) => ({ ...t, clips: t.clips.map((c) => (ids.has(c.id) ? { ...c, muted: !all } : c)) })) };
}

/** Two clips that play over each other: on one track, or the two sides of a segue. */
export interface Overlap {
  a: PlacedClip;
  b: PlacedClip;
  startSamples: number;
  endSamples: number;
  /** True for the seam between two tracks. */
  segue: boolean;
}

export function findOverlaps(album: Album, layout: AlbumLayout = layoutAlbum(album)): Overlap[] {
  const placed = placeClips(album, layout);
  const out: Overlap[] = [];
  for (let i = 0; i < placed.length; i++) {
    for (let j = 0; j < placed.length; j++) {
      const a = placed[i];
      const b = placed[j];
      if (i === j || Math.abs(a.trackIndex - b.trackIndex) > 1 || b.trackIndex < a.trackIndex) continue;
      if (a.trackIndex === b.trackIndex && (b.startSamples < a.startSamples || (b.startSamples === a.startSamples && j < i))) continue;
      const start = Math.max(a.startSamples, b.startSamples);
      const end = Math.min(a.endSamples, b.endSamples);
      if (end > start && b.startSamples >= a.startSamples) out.push({ a, b, startSamples: start, endSamples: end, segue: a.trackIndex !== b.trackIndex });
    }
  }
  return out;
}

/**
 * Sets a crossfade at an overlap: its curve for both sides, and its length by moving the later
 * object (a clip, or for a segue the whole next track) so the overlap is that long.
 */
export function setCrossfade(album: Album, aId: string, bId: string, lengthSamples: number, curve: FadeCurve): Album {
  const placed = placeClips(album);
  const a = placed.find((p) => p.clip.id === aId);
  const b = placed.find((p) => p.clip.id === bId);
  if (!a || !b) throw new LatheError('no-such-clip', 'The crossfade names a clip that is not in the album.');
  const length = Math.round(lengthSamples);
  if (!(length > 0) || length >= Math.min(a.clip.lengthSamples, b.clip.lengthSamples)) {
    throw new LatheError('bad-value', 'A crossfade must be longer than 0 and shorter than both clips.');
  }
  const moved = moveClipsBy(album, [bId], a.endSamples - length - b.startSamples);
  const fade = (x: Album, id: string, p: Partial<Clip>) => ({ ...x, tracks: x.tracks.map((t) => ({ ...t, clips: t.clips.map((c) => (c.id === id ? clampFades({ ...c, ...p }) : c)) })) });
  return fade(fade(moved, aId, { fadeOutSamples: length, fadeOutCurve: curve }), bId, { fadeInSamples: length, fadeInCurve: curve });
}

/**
 * Moves a track's INDEX 01 to the CD frame at or before an album sample, its audio staying where
 * it plays: in a segue the mark can sit inside the crossfade; after a pause it lengthens the pause
 * with audio before the mark. It stays after the previous track's INDEX 01 and inside the track.
 */
export function moveIndex01(album: Album, trackId: string, albumSamples: number): Album {
  const ti = album.tracks.findIndex((t) => t.id === trackId);
  if (ti < 0) throw new LatheError('no-such-track', `No track with id ${trackId}.`);
  const layout = layoutAlbum(album);
  const place = layout.tracks[ti];
  const frame = cdFrameSamples(album.rateHz);
  const low = ti === 0 ? 0 : layout.tracks[ti - 1].index01Samples + frame;
  const high = Math.max(low, place.contentEndSamples - frame);
  const target = frameAtOrBefore(Math.max(low, Math.min(high, Math.round(albumSamples))), album.rateHz);
  const d = target - place.index01Samples;
  if (d === 0) return album;
  const track = album.tracks[ti];
  const shifted = { ...shiftContent(track, d), indexMarksSamples: track.indexMarksSamples.map((m) => m - d) };
  const kept = { ...shifted, ...marksKept(shifted) };
  return withTrack(album, ti, placeIndex01(kept, ti, target, previousEnd(layout, ti)));
}

/** Marks that fall at or before INDEX 01 after a move are dropped, with their names. */
function marksKept(track: Track): Pick<Track, 'indexMarksSamples' | 'indexMarkNames'> {
  const names = track.indexMarkNames ?? [];
  const keep = track.indexMarksSamples.map((m, i) => ({ m, name: names[i] ?? '' })).filter((x) => x.m > 0);
  return { indexMarksSamples: keep.map((x) => x.m), indexMarkNames: keep.map((x) => x.name) };
}

function sortedMarks(track: Track, marks: { m: number; name: string }[]): Track {
  const s = marks.slice().sort((x, y) => x.m - y.m);
  return { ...track, indexMarksSamples: s.map((x) => x.m), indexMarkNames: s.map((x) => x.name) };
}

function marksOf(track: Track): { m: number; name: string }[] {
  return track.indexMarksSamples.map((m, i) => ({ m, name: track.indexMarkNames?.[i] ?? '' }));
}

/** The track an album sample falls in: from its INDEX 01 to the next track's. */
export function trackAt(album: Album, albumSamples: number, layout: AlbumLayout = layoutAlbum(album)): number {
  for (let i = layout.tracks.length - 1; i >= 0; i--) if (albumSamples >= layout.tracks[i].index01Samples) return i;
  return 0;
}

/** Adds an index mark (INDEX 02...) at the CD frame at or before an album sample, in the track it falls in. */
export function addIndexMarkAt(album: Album, albumSamples: number, name = ''): { album: Album; trackIndex: number; markIndex: number } {
  if (!album.tracks.length) throw new LatheError('no-tracks', 'An index mark needs a track.');
  const layout = layoutAlbum(album);
  const ti = trackAt(album, albumSamples, layout);
  const rel = frameAtOrBefore(Math.round(albumSamples), album.rateHz) - layout.tracks[ti].index01Samples;
  if (rel <= 0) throw new LatheError('bad-mark', `An index mark must come after track ${ti + 1}'s INDEX 01.`);
  const track = album.tracks[ti];
  if (track.indexMarksSamples.includes(rel)) throw new LatheError('bad-mark', `Track ${ti + 1} already has a mark there.`);
  if (track.indexMarksSamples.length >= 98) throw new LatheError('bad-mark', 'A CD track holds at most 98 index marks after INDEX 01.');
  const next = sortedMarks(track, [...marksOf(track), { m: rel, name }]);
  return { album: withTrack(album, ti, next), trackIndex: ti, markIndex: next.indexMarksSamples.indexOf(rel) };
}

/** Moves an index mark to the CD frame at or before an album sample, within its track. */
export function moveIndexMark(album: Album, trackId: string, markIndex: number, albumSamples: number): Album {
  const ti = album.tracks.findIndex((t) => t.id === trackId);
  const track = album.tracks[ti];
  if (!track || markIndex < 0 || markIndex >= track.indexMarksSamples.length) throw new LatheError('bad-mark', 'No such index mark.');
  const layout = layoutAlbum(album);
  const frame = cdFrameSamples(album.rateHz);
  const index01 = layout.tracks[ti].index01Samples;
  const rel = Math.max(frame, Math.min(layout.tracks[ti].lengthSamples - frame, frameAtOrBefore(Math.round(albumSamples), album.rateHz) - index01));
  const marks = marksOf(track);
  marks[markIndex] = { ...marks[markIndex], m: rel };
  if (marks.some((x, i) => i !== markIndex && x.m === rel)) return album;
  return withTrack(album, ti, sortedMarks(track, marks));
}

export function removeIndexMark(album: Album, trackId: string, markIndex: number): Album {
  const ti = album.tracks.findIndex((t) => t.id === trackId);
  const track = album.tracks[ti];
  if (!track) throw new LatheError('no-such-track', `No track with id ${trackId}.`);
  return withTrack(album, ti, sortedMarks(track, marksOf(track).filter((_, i) => i !== markIndex)));
}

export function renameIndexMark(album: Album, trackId: string, markIndex: number, name: string): Album {
  const ti = album.tracks.findIndex((t) => t.id === trackId);
  const track = album.tracks[ti];
  if (!track) throw new LatheError('no-such-track', `No track with id ${trackId}.`);
  return withTrack(album, ti, sortedMarks(track, marksOf(track).map((x, i) => (i === markIndex ? { ...x, name } : x))));
}

export const ALBUM_RATES_HZ = [44_100, 48_000, 88_200, 96_000, 176_400, 192_000] as const;

/** Changes the album's rate: every position is rescaled, and no clip reaches past its source at the new rate. */
export function setAlbumRate(album: Album, rateHz: number, assets: ReadonlyMap<string, Pick<Asset, 'frames' | 'rateHz'>>): Album {
  if (!Number.isInteger(rateHz) || rateHz < 8000 || rateHz > 768_000) throw new LatheError('bad-value', `${rateHz} Hz is not an album rate.`);
  const scaled = rescaleAlbum(album, rateHz);
  return {
    ...scaled,
    tracks: scaled.tracks.map((t) => ({
      ...t,
      clips: t.clips.map((c) => {
        const asset = assets.get(c.assetId);
        if (!asset) return c;
        const room = assetLengthAtRate(asset, rateHz) - c.sourceOffsetSamples;
        return room < c.lengthSamples ? clampFades({ ...c, lengthSamples: Math.max(1, room) }) : c;
      })
    }))
  };
}

/**
 * One clip as it sounds on its own (gain, fades, not muted, before any chain), as a one-track album,
 * so a clip is measured by the same code as a track.
 */
export function clipAlone(album: Album, clipId: string): Album {
  const track = album.tracks.find((t) => t.clips.some((c) => c.id === clipId));
  const clip = track?.clips.find((c) => c.id === clipId);
  if (!track || !clip) throw new LatheError('no-such-clip', `there is no clip ${clipId} in the album.`);
  const alone: Track = { ...track, gapBeforeSamples: 0, overlapSamples: 0, indexMarksSamples: [], indexMarkNames: [], chain: [], clips: [{ ...clip, positionSamples: 0, muted: false, chain: [] }] };
  return { ...album, tracks: [alone], masterChain: [] };
}
