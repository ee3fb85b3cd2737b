import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { md5Hex, md5Stream, sha256Hex, sha256Stream } from '../../src/lib/core/hash';
import { seededRandom } from '../../src/lib/core/audio/synth';

// hash-wasm against Node's OpenSSL: the standard vectors, every length around the block and padding
// edges, and any way of splitting the input.
describe('hashes', () => {
  it('SHA-256 matches the standard vectors', async () => {
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  for (const [name, one, stream] of [['sha256', sha256Hex, sha256Stream], ['md5', md5Hex, md5Stream]] as const) {
    it(`${name} equals node:crypto on lengths 0-199 and when fed in pieces`, async () => {
      const rand = seededRandom(5);
      for (let n = 0; n < 200; n++) {
        const data = Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
        expect(await one(data), `${n} bytes`).toBe(createHash(name).update(data).digest('hex'));
      }
      const data = Uint8Array.from({ length: 100_003 }, () => Math.floor(rand() * 256));
      const h = await stream();
      for (let at = 0; at < data.length; ) {
        const n = Math.min(data.length - at, 1 + Math.floor(rand() * 300));
        h.update(data.subarray(at, at + n));
        at += n;
      }
      expect(h.hex()).toBe(createHash(name).update(data).digest('hex'));
    });
  }

  it('streams are independent of each other', async () => {
    const [a, b] = await Promise.all([sha256Stream(), sha256Stream()]);
    a.update(new TextEncoder().encode('one'));
    b.update(new TextEncoder().encode('two'));
    expect(a.hex()).toBe(createHash('sha256').update('one').digest('hex'));
    expect(b.hex()).toBe(createHash('sha256').update('two').digest('hex'));
  });
});
