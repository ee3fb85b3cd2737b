/**
 * Reads clips whose sources run at another rate: each clip gets a streaming resampler, primed
 * with real audio before the first sample asked for, so a clip that starts mid-file is exact.
 */
import type { Clip } from '../album/model';
import { Resampler } from '../dsp/resampler';
import type { ClipReader } from './readers';

interface ClipState {
  resampler: Resampler;
  /** Next source frame to feed. */
  sourceNext: number;
  /** Output (render-rate) index of the first buffered sample. */
  bufferStart: number;
  buffered: Float32Array[];
  bufferedCount: number;
}

/**
 * `readSource` reads source frames at the source's own rate; `rateOf` gives each asset's rate.
 * Reads must go forward in time per clip (as a render does); a jump re-primes the clip.
 */
export function resamplingReader(readSource: ClipReader, rateOf: (assetId: string) => number, renderRateHz: number, channels = 2): ClipReader {
  const states = new Map<string, ClipState>();
  const inBlock = 8192;
  const input = Array.from({ length: channels }, () => new Float32Array(inBlock));

  function start(clip: Clip, from: number, fromHz: number): ClipState {
    const probe = new Resampler(fromHz, renderRateHz, channels);
    const { up, down, spanInputFrames } = probe.design;
    // Start on an output whose input time is a whole source frame, far enough back to fill the filters.
    const back = Math.ceil(spanInputFrames / down) + 1;
    const aligned = Math.floor(from / up) * up;
    let firstOut = aligned - back * up;
    let sourceNext = (firstOut / up) * down;
    if (sourceNext < 0) {
      firstOut = 0;
      sourceNext = 0;
    }
    return {
      resampler: new Resampler(fromHz, renderRateHz, channels),
      sourceNext,
      bufferStart: firstOut,
      buffered: Array.from({ length: channels }, () => new Float32Array(0)),
      bufferedCount: 0
    };
  }

  return async (clip, from, n, out) => {
    const fromHz = rateOf(clip.assetId);
    if (fromHz === renderRateHz) return readSource(clip, from, n, out);
    let s = states.get(clip.id);
    if (!s || from < s.bufferStart || from > s.bufferStart + s.bufferedCount + 1_000_000) {
      s = start(clip, from, fromHz);
      states.set(clip.id, s);
    }
    const state = s;
    // Drop what lies before `from`, then produce until [from, from + n) is buffered.
    const drop = Math.min(state.bufferedCount, Math.max(0, from - state.bufferStart));
    if (drop > 0) {
      for (const b of state.buffered) b.copyWithin(0, drop, state.bufferedCount);
      state.bufferStart += drop;
      state.bufferedCount -= drop;
    }
    while (state.bufferStart + state.bufferedCount < from + n) {
      await readSource(clip, state.sourceNext, inBlock, input);
      state.sourceNext += inBlock;
      const need = state.bufferedCount + state.resampler.maxOutput(inBlock);
      if (state.buffered[0].length < need) {
        state.buffered = state.buffered.map((b) => {
          const grown = new Float32Array(Math.max(need, 2 * b.length));
          grown.set(b.subarray(0, state.bufferedCount));
          return grown;
        });
      }
      state.bufferedCount += state.resampler.process(input, inBlock, state.buffered, state.bufferedCount);
      const skip = Math.min(state.bufferedCount, Math.max(0, from - state.bufferStart));
      if (skip > 0) {
        for (const b of state.buffered) b.copyWithin(0, skip, state.bufferedCount);
        state.bufferStart += skip;
        state.bufferedCount -= skip;
      }
    }
    const at = from - state.bufferStart;
    for (let c = 0; c < out.length; c++) out[c].set(state.buffered[Math.min(c, channels - 1)].subarray(at, at + n));
  };
}
