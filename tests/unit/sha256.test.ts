import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Sha256, sha256Hex } from '../../src/lib/core/sha256';
import { seededRandom } from '../../src/lib/core/audio/synth';

describe('SHA-256', () => {
  it('matches the standard vectors', () => {
    expect(sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('gives the same digest however the input is split', () => {
    const rand = seededRandom(9);
    for (const n of [1, 55, 56, 63, 64, 65, 119, 120, 1000, 100_003]) {
      const data = new Uint8Array(n).map(() => Math.floor(rand() * 256));
      const h = new Sha256();
      for (let p = 0; p < n; p += 17 + (p % 61)) h.update(data.subarray(p, Math.min(n, p + 17 + (p % 61))));
      expect(h.hex()).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });
});
