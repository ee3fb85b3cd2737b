/**
 * An immersive album: each clip is a bed (a multichannel file on a layout's speakers, or a stereo
 * pair) or an object (a mono or stereo clip at a position in the room cube, moved by keyframes).
 */
import { LatheError } from '../errors';
import type { Album, Clip } from '../album/model';
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

/** Objects (a stereo object clip is two) and channels the album uses, refused beyond the profile's limits. */
export function spatialCounts(album: Album, channelsOf: (clip: Clip) => number): { objects: number; bedChannels: number; channels: number } {
  let objects = 0;
  const beds = new Set<LayoutId>();
  for (const t of album.tracks) {
    for (const c of t.clips) {
      const s = clipSpatial(c);
      if ('object' in s) objects += Math.min(2, channelsOf(c));
      else beds.add(s.bed);
    }
  }
  // Beds share their speakers: the bed channels are those of the widest bed layout used, all beds summed into it.
  const bedChannels = beds.size ? Math.max(...[...beds].map((b) => LAYOUTS[b].speakers.length)) : 0;
  return { objects, bedChannels, channels: bedChannels + objects };
}

export function assertSpatialLimits(album: Album, channelsOf: (clip: Clip) => number): void {
  const n = spatialCounts(album, channelsOf);
  if (n.objects > MAX_OBJECTS) throw new LatheError('bad-value', `the album has ${n.objects} objects; an immersive master holds at most ${MAX_OBJECTS}.`);
  if (n.channels > MAX_CHANNELS) throw new LatheError('bad-value', `the album uses ${n.channels} channels (${n.bedChannels} bed, ${n.objects} objects); an immersive master holds at most ${MAX_CHANNELS}.`);
}
