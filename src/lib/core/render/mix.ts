/** Mixes the clips sounding in a window of the album into planar output, at the album rate. */
import type { Album, Clip } from '../album/model';
import type { AlbumLayout } from '../album/timeline';
import { LatheError } from '../errors';
import { applyClipEnvelope } from '../dsp/fades';
import { clipSpans } from './spans';
import type { ClipReader } from './readers';


export class WindowMixer {
  private readonly scratch: Float32Array[];

  constructor(
    readonly channels: number,
    readonly maxFrames: number
  ) {
    this.scratch = Array.from({ length: channels }, () => new Float32Array(maxFrames));
  }

  /** Fills out[c][0..n) with album samples [from, from + n). */
  async mix(album: Album, layout: AlbumLayout, from: number, n: number, out: Float32Array[], read: ClipReader): Promise<void> {
    if (n > this.maxFrames) throw new LatheError('bad-window', `A window of ${n} frames exceeds the mixer's ${this.maxFrames}.`);
    for (const ch of out) ch.fill(0, 0, n);
    for (const span of clipSpans(album, layout, from, from + n)) {
      const views = this.scratch.map((s) => s.subarray(0, span.lengthSamples));
      await read(span.clip, span.clip.sourceOffsetSamples + span.clipOffset, span.lengthSamples, views);
      applyClipEnvelope(span.clip, views, span.lengthSamples, span.clipOffset);
      const at = span.albumStart - from;
      for (let c = 0; c < out.length; c++) {
        const dst = out[c];
        const src = views[c];
        for (let i = 0; i < span.lengthSamples; i++) dst[at + i] += src[i];
      }
    }
  }
}
