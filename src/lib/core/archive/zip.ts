/**
 * Reading a zip's central directory (ZIP64 included, so archives past 4 GB open) from random-access
 * bytes: which entries there are, how each is stored, and where its data lies. The entries'
 * data is never read here, so an archive of any size is opened with a few small reads.
 */
import { LatheError } from '../errors';
import type { ByteSource } from '../audio/source';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the local file header. */
  headerOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function u64(v: DataView, at: number): number {
  return v.getUint32(at, true) + v.getUint32(at + 4, true) * 2 ** 32;
}

const bad = (file: string, why: string) => new LatheError('bad-archive', `this is not a valid .lathe archive (${why}).`, { file });

/** Every entry of the archive, from its central directory. */
export async function readZipDirectory(source: ByteSource): Promise<ZipEntry[]> {
  const tailLength = Math.min(source.size, 65_557);
  const tail = await source.read(source.size - tailLength, tailLength);
  const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad(source.name, 'no end of central directory');
  let count = tv.getUint16(eocd + 10, true);
  let dirSize = tv.getUint32(eocd + 12, true);
  let dirOffset = tv.getUint32(eocd + 16, true);
  // ZIP64: the locator sits just before the classic record and points at the 64-bit one.
  if (eocd >= 20 && tv.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    const at = u64(tv, eocd - 20 + 8);
    const rec = await source.read(at, 56);
    const rv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
    if (rv.getUint32(0, true) !== ZIP64_EOCD) throw bad(source.name, 'a broken ZIP64 directory');
    count = u64(rv, 32);
    dirSize = u64(rv, 40);
    dirOffset = u64(rv, 48);
  }
  if (dirOffset + dirSize > source.size) throw bad(source.name, 'its directory lies past the end of the file');
  const dir = await source.read(dirOffset, dirSize);
  const dv = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
  const entries: ZipEntry[] = [];
  const text = new TextDecoder();
  for (let p = 0, k = 0; k < count; k++) {
    if (p + 46 > dir.length || dv.getUint32(p, true) !== CENTRAL) throw bad(source.name, `entry ${k + 1} of its directory is broken`);
    const method = dv.getUint16(p + 10, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLength = dv.getUint16(p + 28, true);
    const extraLength = dv.getUint16(p + 30, true);
    const commentLength = dv.getUint16(p + 32, true);
    let headerOffset = dv.getUint32(p + 42, true);
    const name = text.decode(dir.subarray(p + 46, p + 46 + nameLength));
    // ZIP64 extra field: the 64-bit values, in this order, for those the classic fields left at 0xFFFFFFFF.
    for (let e = p + 46 + nameLength; e + 4 <= p + 46 + nameLength + extraLength; ) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) (size = u64(dv, q)), (q += 8);
        if (compressedSize === 0xffffffff) (compressedSize = u64(dv, q)), (q += 8);
        if (headerOffset === 0xffffffff) headerOffset = u64(dv, q);
      }
      e += 4 + len;
    }
    entries.push({ name, method, compressedSize, size, headerOffset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Where an entry's (stored or compressed) data begins: after its local header. */
export async function entryDataOffset(source: ByteSource, entry: ZipEntry): Promise<number> {
  const h = await source.read(entry.headerOffset, 30);
  const hv = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (h.length < 30 || hv.getUint32(0, true) !== LOCAL) throw bad(source.name, `the entry ${entry.name} has no local header`);
  const start = entry.headerOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
  if (start + entry.compressedSize > source.size) throw bad(source.name, `the entry ${entry.name} runs past the end of the file`);
  return start;
}
