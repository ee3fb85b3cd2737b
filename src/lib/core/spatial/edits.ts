/** Pure edits of an album's immersive parts, for the app's undo history. */
import type { Album } from '../album/model';
import { mapClip } from '../album/edits';
import { LatheError } from '../errors';
import type { LayoutId } from './layouts';
import type { ClipSpatial, Keyframe, SpatialObject } from './types';

export const NEW_OBJECT: SpatialObject = { x: 0, y: 1, z: 0, gainDb: 0, size: 0, keyframes: [] };

/** Makes the album immersive on a monitor layout, or stereo again (null); clips keep their roles. */
export function setImmersive(album: Album, monitor: LayoutId | null): Album {
  if (monitor === null) {
    const { immersive: _, ...rest } = album;
    return rest;
  }
  return { ...album, immersive: { monitor } };
}

/** A clip as a bed, an object, or (undefined) the stereo bed pair. */
export function setClipSpatial(album: Album, clipId: string, spatial: ClipSpatial | undefined): Album {
  return mapClip(album, clipId, (c) => {
    const { spatial: _, ...rest } = c;
    return spatial ? { ...rest, spatial } : rest;
  });
}

const clampUnit = (v: number) => Math.max(-1, Math.min(1, v));
const clampHeight = (v: number) => Math.max(0, Math.min(1, v));

function objectOf(album: Album, clipId: string): SpatialObject {
  for (const t of album.tracks) {
    const c = t.clips.find((k) => k.id === clipId);
    if (c?.spatial && 'object' in c.spatial) return c.spatial.object;
  }
  throw new LatheError('bad-value', 'the clip is not an object.');
}

function mapObject(album: Album, clipId: string, f: (o: SpatialObject) => SpatialObject): Album {
  const o = f(objectOf(album, clipId));
  return setClipSpatial(album, clipId, { object: o });
}

/** The object's start (keyframe null) or one keyframe moved, and its gain and size; kept inside the room. */
export function setObjectPosition(album: Album, clipId: string, keyframe: number | null, p: Partial<{ x: number; y: number; z: number }>): Album {
  const fix = (q: { x: number; y: number; z: number }) => ({ x: clampUnit(p.x ?? q.x), y: clampUnit(p.y ?? q.y), z: clampHeight(p.z ?? q.z) });
  return mapObject(album, clipId, (o) => (keyframe === null ? { ...o, ...fix(o) } : { ...o, keyframes: o.keyframes.map((k, i) => (i === keyframe ? { ...k, ...fix(k) } : k)) }));
}

export function setObjectShape(album: Album, clipId: string, p: Partial<{ gainDb: number; size: number }>): Album {
  return mapObject(album, clipId, (o) => ({ ...o, gainDb: Math.min(12, p.gainDb ?? o.gainDb), size: Math.max(0, Math.min(1, p.size ?? o.size)) }));
}

/** A keyframe at `atSamples` from the clip's start, at the position the object has there; returns its index too. */
export function addKeyframe(album: Album, clipId: string, atSamples: number, at: { x: number; y: number; z: number }): { album: Album; index: number } {
  const o = objectOf(album, clipId);
  const t = Math.max(1, Math.round(atSamples));
  if (o.keyframes.some((k) => k.atSamples === t)) throw new LatheError('bad-value', 'there is a keyframe there already.');
  const k: Keyframe = { atSamples: t, x: at.x, y: at.y, z: at.z };
  const keyframes = [...o.keyframes, k].sort((a, b) => a.atSamples - b.atSamples);
  return { album: setClipSpatial(album, clipId, { object: { ...o, keyframes } }), index: keyframes.indexOf(k) };
}

export function removeKeyframe(album: Album, clipId: string, index: number): Album {
  return mapObject(album, clipId, (o) => ({ ...o, keyframes: o.keyframes.filter((_, i) => i !== index) }));
}

export function setKeyframe(album: Album, clipId: string, index: number, p: Partial<{ atSamples: number; jump: boolean }>): Album {
  return mapObject(album, clipId, (o) => {
    const keyframes = o.keyframes.map((k, i) => (i === index ? { ...k, ...(p.atSamples !== undefined ? { atSamples: Math.max(1, Math.round(p.atSamples)) } : {}), ...(p.jump !== undefined ? { jump: p.jump } : {}) } : k));
    const times = keyframes.map((k) => k.atSamples);
    if (new Set(times).size !== times.length) throw new LatheError('bad-value', 'two keyframes cannot share a time.');
    return { ...o, keyframes: keyframes.sort((a, b) => a.atSamples - b.atSamples) };
  });
}
