/**
 * Serves a render's clip reads from blocks read ahead of time, so that a reader running in another
 * thread works while the mixer mixes. Each clip is read forward in whole blocks from where the
 * render first asked for it, so a resampler behind `read` gives exactly the samples it would give
 * the mixer directly (its output depends only on where a clip's reading starts).
 */
import type { Clip } from '../album/model';
import type { ClipReader } from './readers';

interface Block {
  from: number;
  n: number;
  /** Frames of this block already served. */
  used: number;
  data: Float32Array[];
}

interface ClipAhead {
  clip: Clip;
  /** Where the next block read ahead starts (render-rate frames of the clip's source). */
  next: number;
  ready: Block[];
  failure: unknown;
}

export class ReadAhead {
  private readonly clips = new Map<string, ClipAhead>();
  private readonly spare: Float32Array[][] = [];

  /** Keeps up to `depth` blocks of `blockFrames` ready per clip being read. */
  constructor(
    private readonly read: ClipReader,
    private readonly channels: number,
    private readonly blockFrames: number,
    private readonly depth = 4
  ) {}

  /**
   * Fills out[c][0..n) with the clip's frames [from, from + n): from the blocks read ahead, as many
   * as the request spans, and the rest read now, continuing where they end.
   */
  async serve(clip: Clip, from: number, n: number, out: Float32Array[]): Promise<void> {
    let a = this.clips.get(clip.id);
    if (a?.failure) throw a.failure;
    let done = 0;
    while (a && done < n && a.ready.length > 0) {
      const front = a.ready[0];
      if (front.from + front.used !== from + done) break;
      const take = Math.min(n - done, front.n - front.used);
      for (let c = 0; c < out.length; c++) out[c].set(front.data[c].subarray(front.used, front.used + take), done);
      front.used += take;
      done += take;
      if (front.used === front.n) this.spare.push((a.ready.shift() as Block).data);
    }
    if (done === n) return;
    if (done === 0) {
      // Not what was read ahead (a first read, or a jump): read from here on.
      if (a) for (const b of a.ready.splice(0)) this.spare.push(b.data);
      await this.read(clip, from, n, out);
    } else {
      await this.read(clip, from + done, n - done, out.map((o) => o.subarray(done)));
    }
    if (!a) {
      a = { clip, next: 0, ready: [], failure: null };
      this.clips.set(clip.id, a);
    }
    a.next = from + n;
  }

  /** Reads one more block for the clip with the least ready; false when every clip has enough or ended. */
  async prefetch(): Promise<boolean> {
    let pick: ClipAhead | null = null;
    for (const a of this.clips.values()) {
      if (a.failure || a.ready.length >= this.depth) continue;
      if (a.next >= a.clip.sourceOffsetSamples + a.clip.lengthSamples) {
        if (a.ready.length === 0) this.clips.delete(a.clip.id);
        continue;
      }
      if (!pick || a.ready.length < pick.ready.length) pick = a;
    }
    if (!pick) return false;
    const n = Math.min(this.blockFrames, pick.clip.sourceOffsetSamples + pick.clip.lengthSamples - pick.next);
    const data = this.spare.pop() ?? Array.from({ length: this.channels }, () => new Float32Array(this.blockFrames));
    try {
      await this.read(pick.clip, pick.next, n, data);
    } catch (e) {
      pick.failure = e;
      return true;
    }
    pick.ready.push({ from: pick.next, n, used: 0, data });
    pick.next += n;
    return true;
  }
}
