import { BlockHash } from './block-hash';

/** Incremental MD5 (RFC 1321): DDP checksums are md5sum-compatible, and IMAGE.DAT can be large. */
const S = Uint8Array.of(7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21);
const K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);
/** Which message word each step reads. */
const G = Uint8Array.from({ length: 64 }, (_, i) => (i < 16 ? i : i < 32 ? (5 * i + 1) % 16 : i < 48 ? (3 * i + 5) % 16 : (7 * i) % 16));

/** Any MD5 fed in pieces: core's own, or a platform's native one where there is one (the CLI's). */
export interface Md5Stream {
  update(data: Uint8Array): unknown;
  hex(): string;
}

export type Md5Factory = () => Md5Stream;

export const coreMd5: Md5Factory = () => new Md5();

export class Md5 extends BlockHash implements Md5Stream {
  private h = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
  private m = new Int32Array(16);

  hex(): string {
    this.pad(true);
    let out = '';
    for (const word of this.h) for (let b = 0; b < 4; b++) out += ((word >>> (8 * b)) & 0xff).toString(16).padStart(2, '0');
    return out;
  }

  // One loop per round, so each loop body has a single boolean function and no branches.
  protected compress(d: Uint8Array, at: number): void {
    const m = this.m;
    for (let t = 0; t < 16; t++) {
      const p = at + t * 4;
      m[t] = d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24);
    }
    let a = this.h[0];
    let b = this.h[1];
    let c = this.h[2];
    let dd = this.h[3];
    let i = 0;
    for (; i < 16; i++) {
      const x = (a + ((b & c) | (~b & dd)) + K[i] + m[G[i]]) | 0;
      a = dd;
      dd = c;
      c = b;
      b = (b + ((x << S[i]) | (x >>> (32 - S[i])))) | 0;
    }
    for (; i < 32; i++) {
      const x = (a + ((dd & b) | (~dd & c)) + K[i] + m[G[i]]) | 0;
      a = dd;
      dd = c;
      c = b;
      b = (b + ((x << S[i]) | (x >>> (32 - S[i])))) | 0;
    }
    for (; i < 48; i++) {
      const x = (a + (b ^ c ^ dd) + K[i] + m[G[i]]) | 0;
      a = dd;
      dd = c;
      c = b;
      b = (b + ((x << S[i]) | (x >>> (32 - S[i])))) | 0;
    }
    for (; i < 64; i++) {
      const x = (a + (c ^ (b | ~dd)) + K[i] + m[G[i]]) | 0;
      a = dd;
      dd = c;
      c = b;
      b = (b + ((x << S[i]) | (x >>> (32 - S[i])))) | 0;
    }
    this.h[0] += a;
    this.h[1] += b;
    this.h[2] += c;
    this.h[3] += dd;
  }
}

export function md5Hex(data: Uint8Array): string {
  return new Md5().update(data).hex();
}
