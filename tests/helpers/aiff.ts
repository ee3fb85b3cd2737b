/** Builds AIFF / AIFF-C bytes for tests (Lathe reads AIFF; it does not write it). */
import { encodeInterleaved } from '../../src/lib/core/audio/pcm';
import type { SampleEncoding } from '../../src/lib/core/album/model';

/** An integer rate as an 80-bit extended float: exponent, then the mantissa with its top bit set. */
function extended80(n: number): Uint8Array {
  const out = new Uint8Array(10);
  const exp = Math.floor(Math.log2(n));
  out[0] = (exp + 16383) >> 8;
  out[1] = (exp + 16383) & 0xff;
  const m = BigInt(n) << BigInt(63 - exp);
  for (let i = 0; i < 8; i++) out[9 - i] = Number((m >> BigInt(8 * i)) & 0xffn);
  return out;
}

export function aiffBytes(planar: Float32Array[], rateHz: number, bits: number, kind: 'AIFF' | 'AIFC-sowt' | 'AIFC-fl32'): Uint8Array {
  const frames = planar[0].length;
  const ch = planar.length;
  const encoding: SampleEncoding = kind === 'AIFC-fl32' ? 'f32be' : kind === 'AIFC-sowt' ? (bits === 16 ? 's16le' : 's24le') : bits === 16 ? 's16be' : 's24be';
  const bps = kind === 'AIFC-fl32' ? 4 : bits / 8;
  const data = new Uint8Array(frames * ch * bps);
  encodeInterleaved(planar, 0, frames, encoding, data);
  const aifc = kind !== 'AIFF';
  const commSize = aifc ? 24 : 18;
  const ssndSize = 8 + data.length;
  const total = 4 + 8 + commSize + 8 + ssndSize;
  const out = new Uint8Array(8 + total);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => [...s].forEach((c, i) => (out[at + i] = c.charCodeAt(0)));
  put(0, 'FORM');
  v.setUint32(4, total);
  put(8, aifc ? 'AIFC' : 'AIFF');
  put(12, 'COMM');
  v.setUint32(16, commSize);
  v.setInt16(20, ch);
  v.setUint32(22, frames);
  v.setInt16(26, bits);
  out.set(extended80(rateHz), 28);
  if (aifc) put(38, kind === 'AIFC-sowt' ? 'sowt' : 'fl32');
  const s = 20 + commSize;
  put(s, 'SSND');
  v.setUint32(s + 4, ssndSize);
  out.set(data, s + 16);
  return out;
}
