/** How the renderer reads audio: clips from their sources, or a whole programme rendered elsewhere. */
import type { Clip } from '../album/model';

/** Reads frames [start, start + n) of a clip's asset into `out` (zeros past its end; mono fills every channel). */
export type ClipReader = (clip: Clip, start: number, n: number, out: Float32Array[]) => Promise<void>;

/** Reads frames [from, from + n) of a whole programme at the render rate. */
export type ProgrammeReader = (from: number, n: number, out: Float32Array[]) => Promise<void>;
