/** Peak pyramids: min/max per channel over bins of frames, at several zooms, for waveforms. */

export const PEAK_BASE_FRAMES = 256;
export const PEAK_FACTOR = 4;
const SCALE = 32767;

export interface PeakLevel {
  framesPerBin: number;
  bins: number;
  /** Interleaved per bin and channel: min, max, scaled to +-32767. */
  data: Int16Array;
}

export interface PeakPyramid {
  channels: number;
  frames: number;
  levels: PeakLevel[];
}

const toI16 = (x: number) => Math.max(-SCALE, Math.min(SCALE, Math.round(x * SCALE)));

/** Builds a pyramid block by block; memory is 1/64 of the 16-bit stereo source at most. */
export class PeakBuilder {
  private readonly base: Int16Array;
  private readonly min: Float32Array;
  private readonly max: Float32Array;
  private framesSeen = 0;
  private inBin = 0;
  private bin = 0;

  constructor(
    readonly channels: number,
    readonly frames: number
  ) {
    this.base = new Int16Array(Math.max(1, Math.ceil(frames / PEAK_BASE_FRAMES)) * channels * 2);
    this.min = new Float32Array(channels).fill(Infinity);
    this.max = new Float32Array(channels).fill(-Infinity);
  }

  push(planar: Float32Array[], n: number, offset = 0): void {
    const channels = this.channels;
    let i = offset;
    const end = offset + n;
    // A bin begun by the last block is finished first; then whole bins straight into the base level.
    if (this.inBin > 0) {
      const take = Math.min(PEAK_BASE_FRAMES - this.inBin, n);
      this.accumulate(planar, i, i + take);
      i += take;
      this.inBin += take;
      if (this.inBin === PEAK_BASE_FRAMES) this.flushBin();
    }
    const base = this.base;
    const capacity = base.length / (channels * 2);
    while (end - i >= PEAK_BASE_FRAMES && this.bin < capacity) {
      for (let ch = 0; ch < channels; ch++) {
        const x = planar[ch];
        // Four running minima and maxima: independent chains the processor can overlap.
        let lo0 = x[i], lo1 = x[i + 1], lo2 = x[i + 2], lo3 = x[i + 3];
        let hi0 = lo0, hi1 = lo1, hi2 = lo2, hi3 = lo3;
        for (let k = i + 4; k < i + PEAK_BASE_FRAMES; k += 4) {
          const a = x[k], b = x[k + 1], c = x[k + 2], d = x[k + 3];
          if (a < lo0) lo0 = a;
          if (a > hi0) hi0 = a;
          if (b < lo1) lo1 = b;
          if (b > hi1) hi1 = b;
          if (c < lo2) lo2 = c;
          if (c > hi2) hi2 = c;
          if (d < lo3) lo3 = d;
          if (d > hi3) hi3 = d;
        }
        const lo = Math.min(lo0, lo1, lo2, lo3);
        const hi = Math.max(hi0, hi1, hi2, hi3);
        const at = (this.bin * channels + ch) * 2;
        base[at] = toI16(lo);
        base[at + 1] = toI16(hi);
      }
      this.bin++;
      i += PEAK_BASE_FRAMES;
    }
    if (i < end) {
      this.accumulate(planar, i, end);
      this.inBin += end - i;
      if (this.inBin === PEAK_BASE_FRAMES) this.flushBin();
    }
    this.framesSeen += n;
  }

  /** Folds frames [from, to) of a bin into the running min and max. */
  private accumulate(planar: Float32Array[], from: number, to: number): void {
    for (let ch = 0; ch < this.channels; ch++) {
      const x = planar[ch];
      let lo = this.min[ch];
      let hi = this.max[ch];
      for (let k = from; k < to; k++) {
        const v = x[k];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
      }
      this.min[ch] = lo;
      this.max[ch] = hi;
    }
  }

  private flushBin(): void {
    const { channels, min, max, base } = this;
    if (this.bin * channels * 2 < base.length) {
      for (let ch = 0; ch < channels; ch++) {
        base[(this.bin * channels + ch) * 2] = toI16(min[ch]);
        base[(this.bin * channels + ch) * 2 + 1] = toI16(max[ch]);
      }
    }
    min.fill(Infinity);
    max.fill(-Infinity);
    this.inBin = 0;
    this.bin++;
  }

  finish(): PeakPyramid {
    if (this.inBin > 0) this.flushBin();
    const levels: PeakLevel[] = [{ framesPerBin: PEAK_BASE_FRAMES, bins: this.base.length / (this.channels * 2), data: this.base }];
    let prev = levels[0];
    while (prev.bins > 1) {
      const bins = Math.ceil(prev.bins / PEAK_FACTOR);
      const data = new Int16Array(bins * this.channels * 2);
      for (let b = 0; b < bins; b++) {
        for (let ch = 0; ch < this.channels; ch++) {
          let lo = SCALE;
          let hi = -SCALE;
          for (let k = b * PEAK_FACTOR; k < Math.min(prev.bins, (b + 1) * PEAK_FACTOR); k++) {
            lo = Math.min(lo, prev.data[(k * this.channels + ch) * 2]);
            hi = Math.max(hi, prev.data[(k * this.channels + ch) * 2 + 1]);
          }
          data[(b * this.channels + ch) * 2] = lo;
          data[(b * this.channels + ch) * 2 + 1] = hi;
        }
      }
      prev = { framesPerBin: prev.framesPerBin * PEAK_FACTOR, bins, data };
      levels.push(prev);
    }
    return { channels: this.channels, frames: this.framesSeen, levels };
  }
}

/**
 * Min/max over all channels for `columns` equal spans of frames [start, end), from the
 * coarsest level that still gives at least one bin per column.
 */
export function peaksForSpan(pyramid: PeakPyramid, start: number, end: number, columns: number): { min: Float32Array; max: Float32Array } {
  const min = new Float32Array(columns);
  const max = new Float32Array(columns);
  const framesPerColumn = (end - start) / columns;
  let level = pyramid.levels[0];
  for (const l of pyramid.levels) if (l.framesPerBin <= framesPerColumn) level = l;
  const ch = pyramid.channels;
  for (let c = 0; c < columns; c++) {
    const b0 = Math.floor((start + c * framesPerColumn) / level.framesPerBin);
    const b1 = Math.max(b0 + 1, Math.ceil((start + (c + 1) * framesPerColumn) / level.framesPerBin));
    let lo = SCALE;
    let hi = -SCALE;
    for (let b = b0; b < Math.min(b1, level.bins); b++) {
      for (let k = 0; k < ch; k++) {
        lo = Math.min(lo, level.data[(b * ch + k) * 2]);
        hi = Math.max(hi, level.data[(b * ch + k) * 2 + 1]);
      }
    }
    if (lo > hi) lo = hi = 0;
    min[c] = lo / SCALE;
    max[c] = hi / SCALE;
  }
  return { min, max };
}
