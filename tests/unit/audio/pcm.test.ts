import { describe, expect, it } from 'vitest';
import { decodeInterleaved } from '../../../src/lib/core/audio/pcm';

/** int24 / 2^23 from three little-endian bytes, by the definition. */
function s24(b0: number, b1: number, b2: number): number {
  const v = b0 | (b1 << 8) | (b2 << 16);
  return (v >= 0x800000 ? v - 0x1000000 : v) / 8388608;
}

describe('24-bit little-endian decoding', () => {
  for (const channels of [1, 2, 3]) {
    it(`gives int24 / 2^23 for every sample, ${channels} channel(s), into an offset, from bytes inside a larger buffer`, () => {
      const frames = 700;
      // Extremes first, then a spread of values; one byte before and after the samples.
      const extremes = [0x800000, 0x7fffff, 0, 0xffffff, 1, 0x400000];
      const whole = new Uint8Array(frames * channels * 3 + 2);
      const bytes = whole.subarray(1, whole.length - 1);
      whole[0] = 0xab;
      whole[whole.length - 1] = 0xcd;
      for (let i = 0; i < frames * channels; i++) {
        const v = i < extremes.length ? extremes[i] : (i * 2654435761) >>> 8;
        bytes.set([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff], 3 * i);
      }
      const offset = 5;
      const out = Array.from({ length: channels }, () => new Float32Array(offset + frames));
      decodeInterleaved(bytes, 's24le', channels, out, offset, frames);
      for (let f = 0; f < frames; f++) {
        for (let c = 0; c < channels; c++) {
          const p = 3 * (f * channels + c);
          expect(out[c][offset + f]).toBe(Math.fround(s24(bytes[p], bytes[p + 1], bytes[p + 2])));
        }
      }
      expect(out[0][offset]).toBe(-1);
      expect(out.every((ch) => ch.subarray(0, offset).every((v) => v === 0))).toBe(true);
    });
  }
});
