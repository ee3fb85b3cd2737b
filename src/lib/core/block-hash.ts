/** The buffering every 64-byte-block hash needs (MD5, SHA-256): feed any sizes, compress whole blocks. */
export abstract class BlockHash {
  private block = new Uint8Array(64);
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

  /** Appends the 0x80 byte, zeros and the bit length (8 bytes, in the hash's byte order). */
  protected pad(littleEndian: boolean): void {
    const bits = this.totalBytes * 8;
    const pad = new Uint8Array((this.blockLength < 56 ? 56 : 120) - this.blockLength + 8);
    pad[0] = 0x80;
    const v = new DataView(pad.buffer);
    const hi = Math.floor(bits / 2 ** 32);
    const lo = bits >>> 0;
    v.setUint32(pad.length - 8, littleEndian ? lo : hi, littleEndian);
    v.setUint32(pad.length - 4, littleEndian ? hi : lo, littleEndian);
    this.update(pad);
  }

  protected abstract compress(data: Uint8Array, at: number): void;
}
