import { BlockHash } from './block-hash';

/** Incremental MD5 (RFC 1321): DDP checksums are md5sum-compatible, and IMAGE.DAT can be large. */
const S = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
const K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);

export class Md5 extends BlockHash {
  private h = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
  private m = new Int32Array(16);

  hex(): string {
    this.pad(true);
    let out = '';
    for (const word of this.h) for (let b = 0; b < 4; b++) out += ((word >>> (8 * b)) & 0xff).toString(16).padStart(2, '0');
    return out;
  }

  protected compress(d: Uint8Array, at: number): void {
    const m = this.m;
    for (let t = 0; t < 16; t++) {
      const p = at + t * 4;
      m[t] = d[p] | (d[p + 1] << 8) | (d[p + 2] << 16) | (d[p + 3] << 24);
    }
    let [a, b, c, dd] = this.h;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) [f, g] = [(b & c) | (~b & dd), i];
      else if (i < 32) [f, g] = [(dd & b) | (~dd & c), (5 * i + 1) % 16];
      else if (i < 48) [f, g] = [b ^ c ^ dd, (3 * i + 5) % 16];
      else [f, g] = [c ^ (b | ~dd), (7 * i) % 16];
      const x = (a + f + K[i] + m[g]) | 0;
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
