/**
 * Serves a render's clip reads and reads each clip's next block before it is asked for, so that a
 * reader running in another thread works while the mixer mixes. The reads that reach the inner
 * reader are, per clip, the render's own reads in the same order (only grown by what comes
 * next), so a resampler behind it gives exactly the samples it would give in the mixer's thread.
 */
import type { Clip } from '../album/model';
import type { ClipReader } from './mix';

interface Ahead {
  clip: Clip;
  /** Clip-source position (render rate) of the next read, and how much of it is ready. */
  from: number;
  ready: number;
  data: Float32Array[];
}

export class ReadAhead {
  private readonly ahead = new Map<string, Ahead>();
  private last: Ahead | null = null;

  constructor(
    private readonly read: ClipReader,
    private readonly channels: number,
    private readonly aheadFrames: number
  ) {}

  /** Fills out[c][0..n) with the clip's frames [from, from + n), from what was read ahead when it can. */
  async serve(clip: Clip, from: number, n: number, out: Float32Array[]): Promise<void> {
    let a = this.ahead.get(clip.id);
    if (a && a.from === from && n <= a.ready) {
      for (let c = 0; c < out.length; c++) out[c].set(a.data[c].subarray(0, n));
    } else await this.read(clip, from, n, out);
    if (!a) {
      a = { clip, from: 0, ready: 0, data: Array.from({ length: this.channels }, () => new Float32Array(this.aheadFrames)) };
      this.ahead.set(clip.id, a);
    }
    a.from = from + n;
    a.ready = 0;
    this.last = a;
  }

  /** Reads the block after the last one served, unless its clip ended there. */
  async prefetch(): Promise<void> {
    const a = this.last;
    if (!a) return;
    this.last = null;
    const left = a.clip.sourceOffsetSamples + a.clip.lengthSamples - a.from;
    if (left <= 0) {
      this.ahead.delete(a.clip.id);
      return;
    }
    const n = Math.min(this.aheadFrames, left);
    await this.read(a.clip, a.from, n, a.data);
    a.ready = n;
  }
}
