import { describe, expect, it } from 'vitest';
import { importAudioFile } from '$lib/web/files/import';
import { readAssetFrames, loadPeaks } from '$lib/web/store/assets';
import { encodeWav } from '$lib/core/audio/wav';
import { CHUNK_FRAMES } from '$lib/core/audio/ingest';
import { freshDb, sineChannels, wavFile } from './util';

async function digest(bytes: BufferSource) {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('import worker', () => {
  it('streams a 24-bit 96 kHz WAV into chunks, sample for sample, with its hash and peaks', async () => {
    const db = freshDb();
    const frames = CHUNK_FRAMES * 3 + 17;
    const planar = sineChannels(frames, 96_000, 2);
    const file = wavFile('hi-res.wav', planar, 96_000, 's24le');
    const progress: number[] = [];
    const asset = await importAudioFile(file, 'p', db.name, (f) => progress.push(f));
    expect(asset).toMatchObject({ name: 'hi-res.wav', rateHz: 96_000, channels: 2, bitDepth: 24, frames, encoding: 's24le', container: 'wav' });
    expect(asset.sha256).toBe(await digest(await file.arrayBuffer()));
    expect(progress.at(-1)).toBe(1);
    expect(await db.chunks.where('assetId').equals(asset.id).count()).toBe(4);
    const out = [new Float32Array(frames), new Float32Array(frames)];
    await readAssetFrames(db, asset, 0, frames, out);
    expect(out).toEqual(planar);
    const part = [new Float32Array(1000), new Float32Array(1000)];
    await readAssetFrames(db, asset, CHUNK_FRAMES - 500, 1000, part);
    expect(part[1]).toEqual(planar[1].subarray(CHUNK_FRAMES - 500, CHUNK_FRAMES + 500));
    expect((await loadPeaks(db, asset.id))?.frames).toBe(frames);
    db.close();
  });

  it('reuses an identical file already stored', async () => {
    const db = freshDb();
    const planar = sineChannels(5000, 44_100);
    const a = await importAudioFile(wavFile('a.wav', planar, 44_100), 'p1', db.name, () => {});
    const b = await importAudioFile(wavFile('b.wav', planar, 44_100), 'p2', db.name, () => {});
    expect(b.id).toBe(a.id);
    expect((await db.assets.get(a.id))?.projectIds.sort()).toEqual(['p1', 'p2']);
    expect(await db.assets.count()).toBe(1);
    db.close();
  });

  it('refuses bad files by name and leaves nothing half-stored', async () => {
    const db = freshDb();
    const good = encodeWav(sineChannels(CHUNK_FRAMES * 2, 44_100), { rateHz: 44_100, encoding: 's16le' });
    const cases: [string, BlobPart, RegExp][] = [
      ['notes.wav', 'just some text', /notes\.wav: this is not an audio file/],
      ['cut.wav', good.slice(0, 300_000) as BlobPart, /cut\.wav: the data chunk claims 524288 bytes but only 299956 remain/],
      ['empty.wav', new Uint8Array(0) as BlobPart, /empty\.wav: the file is empty/]
    ];
    for (const [name, bytes, message] of cases) {
      await expect(importAudioFile(new File([bytes], name), 'p', db.name, () => {})).rejects.toThrow(message);
    }
    expect(await db.assets.count()).toBe(0);
    expect(await db.chunks.count()).toBe(0);
    expect(await db.peaks.count()).toBe(0);
    db.close();
  });

  it('decodes compressed audio at its own rate, never resampled (Opus made by WebCodecs)', async () => {
    // Chromium here encodes only Opus; FLAC and MP3 go through the same decode path (see e2e).
    const db = freshDb();
    const ogg = await encodeOggOpus(sineChannels(48_000, 48_000, 1, 440, 0.5)[0]);
    const asset = await importAudioFile(new File([ogg as BlobPart], 'tone.opus'), 'p', db.name, () => {});
    expect(asset).toMatchObject({ rateHz: 48_000, container: 'ogg', sampleFormat: 'float', encoding: 'f32le' });
    expect(asset.frames).toBeGreaterThan(40_000);
    db.close();
  });
});

/** A minimal Ogg Opus file from WebCodecs packets: enough for decodeAudioData. */
async function encodeOggOpus(mono: Float32Array): Promise<Uint8Array> {
  const packets: Uint8Array[] = [];
  const encoder = new AudioEncoder({ output: (chunk) => { const b = new Uint8Array(chunk.byteLength); chunk.copyTo(b); packets.push(b); }, error: (e) => { throw e; } });
  encoder.configure({ codec: 'opus', sampleRate: 48_000, numberOfChannels: 1, bitrate: 96_000 });
  for (let i = 0; i < mono.length; i += 960) {
    const frame = mono.subarray(i, Math.min(mono.length, i + 960));
    encoder.encode(new AudioData({ format: 'f32-planar', sampleRate: 48_000, numberOfFrames: frame.length, numberOfChannels: 1, timestamp: (i / 48_000) * 1e6, data: frame.slice() }));
  }
  await encoder.flush();
  const head = new Uint8Array(19);
  head.set(new TextEncoder().encode('OpusHead'));
  const hv = new DataView(head.buffer);
  head[8] = 1;
  head[9] = 1;
  hv.setUint16(10, 312, true);
  hv.setUint32(12, 48_000, true);
  const tags = new Uint8Array(16);
  tags.set(new TextEncoder().encode('OpusTags'));
  const pages: Uint8Array[] = [oggPage(head, 0, 0, 2), oggPage(tags, 0, 1, 0)];
  let granule = 312;
  packets.forEach((p, i) => {
    granule += 960;
    pages.push(oggPage(p, granule, i + 2, i === packets.length - 1 ? 4 : 0));
  });
  const total = pages.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of pages) { out.set(p, at); at += p.length; }
  return out;
}

function oggPage(packet: Uint8Array, granule: number, seq: number, flags: number): Uint8Array {
  const lacing: number[] = [];
  let n = packet.length;
  while (n >= 255) { lacing.push(255); n -= 255; }
  lacing.push(n);
  const page = new Uint8Array(27 + lacing.length + packet.length);
  const v = new DataView(page.buffer);
  page.set(new TextEncoder().encode('OggS'));
  page[5] = flags;
  v.setUint32(6, granule % 2 ** 32, true);
  v.setUint32(10, Math.floor(granule / 2 ** 32), true);
  v.setUint32(14, 1, true);
  v.setUint32(18, seq, true);
  page[26] = lacing.length;
  page.set(lacing, 27);
  page.set(packet, 27 + lacing.length);
  let crc = 0;
  for (const b of page) {
    crc ^= b << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  v.setUint32(22, crc >>> 0, true);
  return page;
}
