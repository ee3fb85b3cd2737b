/** The immersive parts of the album model (album/model.ts holds them on clips and the album). */
import type { LayoutId } from './layouts';

export interface Keyframe {
  /** From the clip's start, in samples at the album rate. */
  atSamples: number;
  x: number;
  y: number;
  z: number;
  /** Jump to this position at atSamples instead of moving to it from the keyframe before. */
  jump?: boolean;
}

export interface SpatialObject {
  x: number;
  y: number;
  z: number;
  gainDb: number;
  /** 0 a point .. 1 the whole room. */
  size: number;
  keyframes: Keyframe[];
}

/** A clip in an immersive album: a bed on a layout, or an object. No `spatial`: a stereo bed pair. */
export type ClipSpatial = { bed: LayoutId } | { object: SpatialObject };

export interface ImmersiveSettings {
  /** The layout the mix is rendered and monitored on. */
  monitor: LayoutId;
}

