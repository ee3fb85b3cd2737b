/** Incremental MD5 (RFC 1321): DDP checksums are md5sum-compatible, and IMAGE.DAT can be large. */
const S = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
const K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);

export class Md5 {
  private h = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
  private block = new Uint8Array(64);
  private m = new Int32Array(16);
  private blockLength = 0;
  private totalBytes = 0;

  update(data: Uint8Array): this {
    let i = 0;
    this.totalBytes += data.length;
    if (this.blockLength > 0) {
      const take = Math.min(64 - this.blockLength, data.length);
      this.block.set(data.subarray(0, take), this.blockLength);
      this.blockLength += take;
      i = take;
      if (this.blockLength === 64) {
        this.compress(this.block, 0);
        this.blockLength = 0;
      }
    }
    for (; i + 64 <= data.length; i += 64) this.compress(data, i);
    if (i < data.length) {
      this.block.set(data.subarray(i), 0);
      this.blockLength = data.length - i;
    }
    return this;
  }

  hex(): string {
    const bits = this.totalBytes * 8;
    const pad = new Uint8Array((this.blockLength < 56 ? 56 : 120) - this.blockLength + 8);
    pad[0] = 0x80;
    const v = new DataView(pad.buffer);
    v.setUint32(pad.length - 8, bits >>> 0, true);
    v.setUint32(pad.length - 4, Math.floor(bits / 2 ** 32), true);
    this.totalBytes -= pad.length;
    this.update(pad);
    let out = '';
    for (const word of this.h) for (let b = 0; b < 4; b++) out += ((word >>> (8 * b)) & 0xff).toString(16).padStart(2, '0');
    return out;
  }

  private compress(d: Uint8Array, at: number): void {
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
