import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { memorySource } from '../../../src/lib/core/audio/source';
import { entryDataOffset, readZipDirectory } from '../../../src/lib/core/archive/zip';

const u16 = (v: number) => [v & 255, (v >> 8) & 255];
const u32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255];
const u64 = (v: number) => [...u32(v % 2 ** 32), ...u32(Math.floor(v / 2 ** 32))];

/**
 * A ZIP64 archive of stored entries, written by hand from the format's rules (APPNOTE 4.3.9-4.3.15,
 * 4.5.3): every size and offset 0xFFFFFFFF in the classic fields, the real ones in ZIP64 extras,
 * and the ZIP64 end record with its locator. `pad` bytes of zeros before the first entry push the
 * offsets up, as a multi-gigabyte archive would.
 */
function zip64(files: [string, Uint8Array][], pad = 0): Uint8Array {
  const out: number[] = new Array(pad).fill(0);
  const central: number[] = [];
  for (const [name, data] of files) {
    const at = out.length;
    const nameBytes = [...strToU8(name)];
    const extra = [...u16(1), ...u16(24), ...u64(data.length), ...u64(data.length), ...u64(at)];
    out.push(...u32(0x04034b50), ...u16(45), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(0xffffffff), ...u32(0xffffffff), ...u16(nameBytes.length), ...u16(0), ...nameBytes, ...data);
    central.push(...u32(0x02014b50), ...u16(45), ...u16(45), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(0xffffffff), ...u32(0xffffffff), ...u16(nameBytes.length), ...u16(extra.length), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(0xffffffff), ...nameBytes, ...extra);
  }
  const dirAt = out.length;
  out.push(...central);
  const eocd64At = out.length;
  out.push(...u32(0x06064b50), ...u64(44), ...u16(45), ...u16(45), ...u32(0), ...u32(0), ...u64(files.length), ...u64(files.length), ...u64(central.length), ...u64(dirAt));
  out.push(...u32(0x07064b50), ...u32(0), ...u64(eocd64At), ...u32(1));
  out.push(...u32(0x06054b50), ...u16(0xffff), ...u16(0xffff), ...u16(0xffff), ...u16(0xffff), ...u32(0xffffffff), ...u32(0xffffffff), ...u16(0));
  return Uint8Array.from(out);
}

describe('zip directory', () => {
  it('lists stored and deflated entries of a zip fflate wrote, and finds each one\'s data', async () => {
    const audio = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 255);
    const bytes = zipSync({ 'album.json': [strToU8('{"a":1}'), { level: 6 }], 'audio/a.wav': [audio, { level: 0 }] });
    const src = memorySource('x.lathe', bytes);
    const entries = await readZipDirectory(src);
    expect(entries.map((e) => [e.name, e.method, e.size])).toEqual([['album.json', 8, 7], ['audio/a.wav', 0, 5000]]);
    const wav = entries[1];
    const at = await entryDataOffset(src, wav);
    expect(bytes.subarray(at, at + wav.size)).toEqual(audio);
  });

  it('reads a ZIP64 archive: sizes and offsets from its extras, the directory from its ZIP64 end record', async () => {
    const a = strToU8('{"title":"x"}');
    const b = Uint8Array.from({ length: 3000 }, (_, i) => i & 255);
    const bytes = zip64([['album.json', a], ['audio/b.wav', b]], 70_000);
    const src = memorySource('big.lathe', bytes);
    const entries = await readZipDirectory(src);
    expect(entries.map((e) => [e.name, e.method, e.size, e.compressedSize])).toEqual([['album.json', 0, a.length, a.length], ['audio/b.wav', 0, 3000, 3000]]);
    expect(entries[0].headerOffset).toBe(70_000);
    const at = await entryDataOffset(src, entries[1]);
    expect(bytes.subarray(at, at + 3000)).toEqual(b);
  });

  it('refuses what is not a zip, or a truncated one, by name', async () => {
    await expect(readZipDirectory(memorySource('n.lathe', strToU8('not a zip at all')))).rejects.toThrow(/^n\.lathe: this is not a valid \.lathe archive \(no end of central directory\)/);
    const bytes = zipSync({ 'album.json': strToU8('{}') });
    const cut = bytes.subarray(10);
    await expect(readZipDirectory(memorySource('c.lathe', cut))).rejects.toThrow(/c\.lathe: this is not a valid \.lathe archive/);
  });
});
