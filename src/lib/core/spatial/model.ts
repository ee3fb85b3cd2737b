/**
 * An immersive album: each clip is a bed (a multichannel file on a layout's speakers, or a stereo
 * pair) or an object (a mono or stereo clip at a position in the room cube, moved by keyframes).
 */
import { LatheError } from '../errors';
import type { Album, Clip } from '../album/model';
import { layoutAlbum } from '../album/timeline';
import { LAYOUTS, type LayoutId } from './layouts';
import type { ClipSpatial, SpatialObject } from './types';

export type { ClipSpatial, ImmersiveSettings, Keyframe, SpatialObject } from './types';

/** The Dolby Atmos Master ADM profile's limits. */
export const MAX_OBJECTS = 118;
export const MAX_CHANNELS = 128;

export function clipSpatial(clip: Clip): ClipSpatial {
  return clip.spatial ?? { bed: '2.0' };
}

/** A position along the clip: linear between keyframes, a jump where one says so; held past the ends. */
export function positionAt(o: SpatialObject, offsetSamples: number, out: Float64Array): void {
  const k = o.keyframes;
  let x = o.x;
  let y = o.y;
  let z = o.z;
  let t0 = 0;
  for (let i = 0; i < k.length; i++) {
    const f = k[i];
    if (offsetSamples < f.atSamples) {
      if (!f.jump) {
        const a = (offsetSamples - t0) / (f.atSamples - t0);
        x += (f.x - x) * a;
        y += (f.y - y) * a;
        z += (f.z - z) * a;
      }
      out[0] = x;
      out[1] = y;
      out[2] = z;
      return;
    }
    x = f.x;
    y = f.y;
    z = f.z;
    t0 = f.atSamples;
  }
  out[0] = x;
  out[1] = y;
  out[2] = z;
}

/** One channel of an object clip where it plays in the album. */
export interface ObjectUse {
  clip: Clip;
  trackIndex: number;
  clipIndex: number;
  /** Which channel of the clip (a stereo object is two objects). */
  channel: number;
  startSamples: number;
  lengthSamples: number;
}

/**
 * The album's object clips packed into as few object channels as play at once: a channel carries
 * clips one after another (in time order, the first channel free), as an ADM object spans the programme.
 */
export function objectChannels(album: Album, channelsOf: (clip: Clip) => number): ObjectUse[][] {
  const pos = layoutAlbum(album);
  const uses: ObjectUse[] = [];
  album.tracks.forEach((t, trackIndex) =>
    t.clips.forEach((clip, clipIndex) => {
      if (!clip.spatial || !('object' in clip.spatial)) return;
      const startSamples = pos.tracks[trackIndex].index01Samples + clip.positionSamples;
      for (let channel = 0; channel < Math.min(2, channelsOf(clip)); channel++) uses.push({ clip, trackIndex, clipIndex, channel, startSamples, lengthSamples: clip.lengthSamples });
    })
  );
  uses.sort((a, b) => a.startSamples - b.startSamples);
  const channels: ObjectUse[][] = [];
  for (const u of uses) {
    const free = channels.find((c) => {
      const last = c[c.length - 1];
      return last.startSamples + last.lengthSamples <= u.startSamples;
    });
    if (free) free.push(u);
    else channels.push([u]);
  }
  return channels;
}

/** Object channels (objects playing at once; a stereo object clip is two) and channels in all, refused beyond the profile's limits. */
export function spatialCounts(album: Album, channelsOf: (clip: Clip) => number): { objects: number; bedChannels: number; channels: number } {
  const beds = new Set<LayoutId>();
  for (const t of album.tracks) for (const c of t.clips) {
    const s = clipSpatial(c);
    if ('bed' in s) beds.add(s.bed);
  }
  const objects = objectChannels(album, channelsOf).length;
  // Beds share their speakers: the bed channels are those of the widest bed layout used, all beds summed into it.
  const bedChannels = beds.size ? Math.max(...[...beds].map((b) => LAYOUTS[b].speakers.length)) : 0;
  return { objects, bedChannels, channels: bedChannels + objects };
}

export function assertSpatialLimits(album: Album, channelsOf: (clip: Clip) => number): void {
  const n = spatialCounts(album, channelsOf);
  if (n.objects > MAX_OBJECTS) throw new LatheError('bad-value', `the album plays ${n.objects} objects at once; an immersive master holds at most ${MAX_OBJECTS}.`);
  if (n.channels > MAX_CHANNELS) throw new LatheError('bad-value', `the album uses ${n.channels} channels (${n.bedChannels} bed, ${n.objects} objects); an immersive master holds at most ${MAX_CHANNELS}.`);
}
