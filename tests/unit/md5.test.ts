import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Md5, md5Hex } from '../../src/lib/core/md5';
import { seededRandom } from '../../src/lib/core/audio/synth';

describe('MD5', () => {
  it('equals node:crypto on every length around the block and padding edges', () => {
    const rand = seededRandom(5);
    for (let n = 0; n < 200; n++) {
      const data = Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
      expect(md5Hex(data), `${n} bytes`).toBe(createHash('md5').update(data).digest('hex'));
    }
  });

  it('gives the same digest however the input is split', () => {
    const rand = seededRandom(6);
    const data = Uint8Array.from({ length: 10_000 }, () => Math.floor(rand() * 256));
    const md5 = new Md5();
    for (let at = 0; at < data.length; ) {
      const n = Math.min(data.length - at, 1 + Math.floor(rand() * 300));
      md5.update(data.subarray(at, at + n));
      at += n;
    }
    expect(md5.hex()).toBe(createHash('md5').update(data).digest('hex'));
  });
});
