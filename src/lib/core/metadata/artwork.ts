/**
 * Cover art for the masters' tags: a JPEG or PNG, square, large enough for the stores (Apple asks
 * for 3000 x 3000 px; 1400 px is the least any store takes).
 */
import { LatheError } from '../errors';

export const ARTWORK_MIN_PX = 1400;
export const ARTWORK_ADVISED_PX = 3000;
/** Larger files are refused by some stores and bloat every tagged file. */
export const ARTWORK_MAX_BYTES = 20 * 1024 * 1024;

export interface Artwork {
  bytes: Uint8Array;
  mimeType: 'image/jpeg' | 'image/png';
  widthPx: number;
  heightPx: number;
  /** Advice that does not refuse it (smaller than advised). */
  notes: string[];
}

function pngSize(b: Uint8Array): [number, number] | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 24 || sig.some((x, i) => b[i] !== x)) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return String.fromCharCode(...b.subarray(12, 16)) === 'IHDR' ? [v.getUint32(16), v.getUint32(20)] : null;
}

/** Walks the JPEG markers to the first start-of-frame (baseline, progressive or lossless). */
function jpegSize(b: Uint8Array): [number, number] | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let p = 2;
  while (p + 9 < b.length) {
    if (b[p] !== 0xff) return null;
    const marker = b[p + 1];
    if (marker === 0xff) {
      p++;
      continue;
    }
    const len = (b[p + 2] << 8) | b[p + 3];
    const sof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (sof) return [(b[p + 7] << 8) | b[p + 8], (b[p + 5] << 8) | b[p + 6]];
    p += 2 + len;
  }
  return null;
}

/** Reads and checks a cover; refuses, naming the file, anything a store would refuse. */
export function readArtwork(bytes: Uint8Array, fileName: string): Artwork {
  const png = pngSize(bytes);
  const jpeg = png ? null : jpegSize(bytes);
  const size = png ?? jpeg;
  if (!size) throw new LatheError('bad-artwork', 'the artwork must be a JPEG or PNG image.', { file: fileName });
  const [w, h] = size;
  if (w !== h) throw new LatheError('bad-artwork', `the artwork is ${w} x ${h} px; covers must be square.`, { file: fileName });
  if (w < ARTWORK_MIN_PX) throw new LatheError('bad-artwork', `the artwork is ${w} x ${h} px; stores take no less than ${ARTWORK_MIN_PX} x ${ARTWORK_MIN_PX} px.`, { file: fileName });
  if (bytes.length > ARTWORK_MAX_BYTES) throw new LatheError('bad-artwork', `the artwork is ${(bytes.length / 1048576).toFixed(1)} MB; keep it under ${ARTWORK_MAX_BYTES / 1048576} MB.`, { file: fileName });
  const notes = w < ARTWORK_ADVISED_PX ? [`The artwork is ${w} x ${h} px; Apple Music asks for ${ARTWORK_ADVISED_PX} x ${ARTWORK_ADVISED_PX} px.`] : [];
  return { bytes, mimeType: png ? 'image/png' : 'image/jpeg', widthPx: w, heightPx: h, notes };
}
