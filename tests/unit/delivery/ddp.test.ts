import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack, type Album, type Clip } from '../../../src/lib/core/album/model';
import { deliverCd } from '../../../src/lib/core/delivery/cd';
import { readDdp, readTrackPcm } from '../../../src/lib/core/delivery/ddp-reader';
import type { SourceFormat } from '../../../src/lib/core/render/engine';
import { decodeInterleaved } from '../../../src/lib/core/audio/pcm';
import { md5Hex } from '../../../src/lib/core/hash';
import { createHash } from 'node:crypto';
import { gridNoise, firstDifference, arrayReader } from '../../helpers/signals';
import { MemoryFolder } from '../../helpers/memory-folder';

const R = 44_100;

/** Sources held in memory: stereo 16-bit noise, different per asset. */
function sources(lengths: Record<string, number>, bits = 16) {
  const audio = new Map<string, Float32Array[]>();
  const formats = new Map<string, SourceFormat>();
  let seed = 1;
  for (const [id, sec] of Object.entries(lengths)) {
    const n = Math.round(sec * R);
    // Half-scale noise still on the source's grid: k / 2^(bits-1).
    audio.set(id, [gridNoise(n, bits - 1, seed++).map((x) => x * 0.5 + 0), gridNoise(n, bits - 1, seed++).map((x) => x * 0.5 + 0)]);
    formats.set(id, { rateHz: R, bitDepth: bits, sampleFormat: 'int' });
  }
  const read = async (clip: Clip, start: number, n: number, out: Float32Array[]) => {
    const a = audio.get(clip.assetId) as Float32Array[];
    for (let c = 0; c < 2; c++) {
      out[c].fill(0, 0, n);
      out[c].set(a[c].subarray(Math.max(0, start), Math.min(a[c].length, start + n)));
    }
  };
  return { audio, formats, read };
}

function album(tracks: { id: string; sec: number; gapSec?: number; title?: string; isrc?: string; position?: number }[], extra: Partial<Album> = {}): Album {
  return createAlbum({
    title: 'Round Trip',
    artist: 'Lathe',
    upc: '4006381333931',
    ...extra,
    tracks: tracks.map((t, i) =>
      createTrack(R, {
        title: t.title ?? `Track ${i + 1}`,
        performer: 'Lathe',
        isrc: t.isrc ?? `GBAYE24${String(i + 1).padStart(5, '0')}`,
        gapBeforeSamples: Math.round((t.gapSec ?? 2) * R),
        clips: [createClip({ assetId: t.id, lengthSamples: Math.round(t.sec * R), positionSamples: t.position ?? 0 })]
      })
    )
  });
}

async function deliver(a: Album, src: ReturnType<typeof sources>, seed = 1) {
  const out = new MemoryFolder();
  const report = await deliverCd(a, src.formats, src.read, out, { baseName: 'disc', shaping: 'none', seed, createdIso: '2026-11-21T00:00:00Z' });
  return { out, report };
}

const toPlanar = (pcm: Uint8Array) => {
  const n = pcm.length / 4;
  const p = [new Float32Array(n), new Float32Array(n)];
  decodeInterleaved(pcm, 's16le', 2, p, 0, n);
  return p;
};

/** Moves a PQ entry (track/index, like '0201') to another sector, as a fileset made elsewhere might have it. */
function movePq(out: MemoryFolder, entry: string, frame: number) {
  const pq = out.files.get('DDP/PQDESCR') as Uint8Array;
  for (let i = 0; i < pq.length / 64; i++) {
    const e = pq.subarray(i * 64, i * 64 + 64);
    if (String.fromCharCode(e[4], e[5], e[6], e[7]) !== entry) continue;
    e.set(new TextEncoder().encode(`${String(Math.floor(frame / 4500)).padStart(2, '0')}${String(Math.floor(frame / 75) % 60).padStart(2, '0')}${String(frame % 75).padStart(2, '0')}`), 10);
  }
}

describe('marks after the audio', () => {
  it('the reader warns when a track\'s audio starts after silence but before its INDEX 01', async () => {
    const src = sources({ a: 10, b: 8 });
    const { out, report } = await deliver(album([{ id: 'a', sec: 10 }, { id: 'b', sec: 8, gapSec: 2 }]), src);
    expect((await readDdp(out.fileset())).problems).toEqual([]);
    // One frame late: the first 588 samples of track 2 play before its mark.
    movePq(out, '0201', report.tracks[1].index01Frame + 1);
    const back = await readDdp(out.fileset());
    const late = back.problems.filter((p) => p.code === 'mark-after-audio');
    expect(late).toEqual([expect.objectContaining({ severity: 'warning', trackIndex: 1 })]);
    expect(late[0].message).toMatch(/^Track 2's audio starts 588 samples \(13\.3 ms\) before its INDEX 01 at \d\d:\d\d:\d\d: a player starting the track skips them\.$/);
  });

  it('says nothing of a segue, which has no silence before its mark', async () => {
    const src = sources({ a: 10, b: 8 });
    const a = album([{ id: 'a', sec: 10 }, { id: 'b', sec: 8, gapSec: 0 }]);
    a.tracks[1].overlapSamples = 2 * R + 123;
    const { out } = await deliver(a, src);
    expect((await readDdp(out.fileset())).problems).toEqual([]);
  });
});

describe('CD-Text per track', () => {
  it('fills a field a track leaves empty from the album, as authoring tools do; the title and message stay the track\'s', async () => {
    const src = sources({ a: 5, b: 5 });
    const a = album([{ id: 'a', sec: 5, title: 'Eins' }, { id: 'b', sec: 5, title: 'Zwei' }], { artist: 'The Band', composer: 'C. Omposer', arranger: 'A. Rranger', message: 'Disc note' });
    a.tracks[0].performer = '';
    a.tracks[1].performer = 'Guest';
    a.tracks[1].composer = 'Own Composer';
    const { out } = await deliver(a, src);
    const text = (await readDdp(out.fileset())).fileset.cdText;
    expect(text?.disc).toMatchObject({ title: 'Round Trip', performer: 'The Band', composer: 'C. Omposer', arranger: 'A. Rranger', message: 'Disc note' });
    expect(text?.tracks[0]).toMatchObject({ title: 'Eins', performer: 'The Band', composer: 'C. Omposer', arranger: 'A. Rranger' });
    expect(text?.tracks[0].message).toBeUndefined();
    expect(text?.tracks[1]).toMatchObject({ title: 'Zwei', performer: 'Guest', composer: 'Own Composer', arranger: 'A. Rranger' });
  });
});

describe('DDP round trip', () => {
  it('writes and reads back the same tracks, metadata and samples (bit-exact for untouched 16-bit)', async () => {
    const src = sources({ a: 10.37, b: 7.5, c: 5 });
    const a = album([{ id: 'a', sec: 10.37, title: 'Eins' }, { id: 'b', sec: 7.5, gapSec: 1.3, title: 'Zwei' }, { id: 'c', sec: 5, title: 'Drei' }]);
    const { out, report } = await deliver(a, src);
    const back = await readDdp(out.fileset());
    expect(back.problems).toEqual([]);
    expect(back.checksums.every((c) => c.ok)).toBe(true);
    const f = back.fileset;
    expect(f).toMatchObject({ upc: '4006381333931', title: 'Round Trip', performer: 'Lathe', leadOut: report.leadOutFrame });
    expect(f.tracks.map((t) => [t.number, t.title, t.isrc, t.index01])).toEqual(report.tracks.map((t) => [t.number, t.title, t.isrc, t.index01Frame]));
    expect(f.tracks[0].index01).toBe(150);
    // Track 2's pause: from the first whole frame after track 1's audio to its INDEX 01, 1.3 s on.
    expect(f.tracks[1].index00).toBe(Math.ceil((150 * 588 + 10.37 * R) / 588));
    expect(f.tracks[1].index01).toBe(Math.ceil((150 * 588 + 10.37 * R + 1.3 * R) / 588));
    // Every track's audio is its source, sample for sample, followed only by digital silence.
    for (const [i, id] of ['a', 'b', 'c'].entries()) {
      const pcm = toPlanar(await readTrackPcm(out.fileset(), back, i));
      const source = src.audio.get(id) as Float32Array[];
      expect(firstDifference(pcm[0].subarray(0, source[0].length), source[0])).toBeNull();
      expect(firstDifference(pcm[1].subarray(0, source[1].length), source[1])).toBeNull();
      expect(pcm[0].subarray(source[0].length).every((x) => x === 0)).toBe(true);
    }
    // IMAGE.DAT: whole sectors, pregap included, and md5sum-compatible checksums.
    const image = out.files.get('DDP/IMAGE.DAT') as Uint8Array;
    expect(image.length).toBe(report.leadOutFrame * 2352);
    expect(image.subarray(0, 150 * 2352).every((b) => b === 0)).toBe(true);
    expect(out.text('DDP/CHECKSUM.MD5')).toContain(`${createHash('md5').update(image).digest('hex')} *IMAGE.DAT`);
    expect(await md5Hex(image)).toBe(report.imageMd5);
    expect(firstDifference(out.files.get('disc.bin') as Uint8Array, image)).toBeNull();
  });

  it('keeps audio hidden in the pregap before track 1', async () => {
    const src = sources({ hidden: 6, a: 8 });
    const a = album([{ id: 'a', sec: 8 }]);
    // Track 1: a 10 s pause holding 6 s of audio that ends 2 s before INDEX 01.
    a.tracks[0] = { ...a.tracks[0], gapBeforeSamples: 10 * R, clips: [...a.tracks[0].clips, createClip({ assetId: 'hidden', lengthSamples: 6 * R, positionSamples: -8 * R })] };
    const { out } = await deliver(a, src);
    const back = await readDdp(out.fileset());
    expect(back.problems).toEqual([]);
    expect(back.fileset.tracks[0]).toMatchObject({ index00: 0, index01: 750 });
    const image = toPlanar((out.files.get('DDP/IMAGE.DAT') as Uint8Array).subarray(0, 750 * 2352));
    const hidden = src.audio.get('hidden') as Float32Array[];
    expect(firstDifference(image[0].subarray(2 * R, 8 * R), hidden[0])).toBeNull();
    expect(image[0].subarray(0, 2 * R).every((x) => x === 0)).toBe(true);
    const ms = out.files.get('DDP/DDPMS') as Uint8Array;
    const d0 = ms.subarray(ms.length - 128);
    expect(String.fromCharCode(...d0.subarray(46, 50))).toBe(' 750');
  });

  it('writes 0 s gaps without INDEX 00, the audio continuous', async () => {
    const src = sources({ a: 6, b: 6 });
    const a = album([{ id: 'a', sec: 6 }, { id: 'b', sec: 6, gapSec: 0 }]);
    const { out } = await deliver(a, src);
    const back = await readDdp(out.fileset());
    expect(back.problems).toEqual([]);
    expect(back.fileset.tracks[1].index00).toBeNull();
    expect(back.fileset.tracks[1].index01).toBe(Math.round((8 * R) / 588));
    expect(back.fileset.pq.filter((e) => e.track === '02').map((e) => e.index)).toEqual([1]);
    const image = toPlanar(out.files.get('DDP/IMAGE.DAT') as Uint8Array);
    expect(firstDifference(image[1].subarray(8 * R, 14 * R), (src.audio.get('b') as Float32Array[])[1])).toBeNull();
  });

  it('writes 99 tracks and refuses 100', async () => {
    const lengths = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`t${i}`, 4]));
    const src = sources(lengths);
    const specs = Object.keys(lengths).map((id) => ({ id, sec: 4, gapSec: 0.5 }));
    specs[0].gapSec = 2;
    const { out } = await deliver(album(specs.slice(0, 99)), src);
    const back = await readDdp(out.fileset());
    expect(back.problems).toEqual([]);
    expect(back.fileset.tracks).toHaveLength(99);
    expect(back.fileset.pq.filter((e) => e.track === '99' && e.index === 1)).toHaveLength(1);
    await expect(deliver(album(specs), src)).rejects.toThrow(/100 tracks; a CD holds at most 99/);
  });

  it('refuses tracks under 4 s, and the reader flags them in a fileset', async () => {
    const src = sources({ a: 10, b: 3.9, c: 6 });
    await expect(deliver(album([{ id: 'a', sec: 10 }, { id: 'b', sec: 3.9, gapSec: 0 }]), src)).rejects.toThrow(/Track 2 is 00:03:68 long; a CD track must last at least 00:04:00/);
    // A fileset made elsewhere with a 3 s track: move track 2's INDEX 01 to 3 s before the lead-out.
    const { out } = await deliver(album([{ id: 'a', sec: 10 }, { id: 'c', sec: 6, gapSec: 1 }]), src);
    const pq = out.files.get('DDP/PQDESCR') as Uint8Array;
    const entries = pq.length / 64;
    const leadOut = (await readDdp(out.fileset())).fileset.leadOut;
    for (let i = 0; i < entries; i++) {
      const e = pq.subarray(i * 64, i * 64 + 64);
      if (String.fromCharCode(e[4], e[5], e[6], e[7]) === '0201') {
        const f = leadOut - 225;
        e.set(new TextEncoder().encode(`${String(Math.floor(f / 4500)).padStart(2, '0')}${String(Math.floor(f / 75) % 60).padStart(2, '0')}${String(f % 75).padStart(2, '0')}`), 10);
      }
    }
    const back = await readDdp(out.fileset());
    expect(back.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['track-too-short', 'checksum']));
  });

  it('catches one corrupted byte of IMAGE.DAT', async () => {
    const src = sources({ a: 5 });
    const { out } = await deliver(album([{ id: 'a', sec: 5 }]), src);
    (out.files.get('DDP/IMAGE.DAT') as Uint8Array)[200_000] ^= 1;
    const back = await readDdp(out.fileset());
    expect(back.problems).toEqual([{ code: 'checksum', severity: 'error', message: 'IMAGE.DAT does not match its MD5 in CHECKSUM.MD5.' }]);
  });

  it('refuses metadata problems, naming them all', async () => {
    const src = sources({ a: 5, b: 5 });
    const a = album([{ id: 'a', sec: 5, isrc: 'GBAYE2400001' }, { id: 'b', sec: 5, isrc: 'GBAYE2400001' }], { upc: '4006381333932' });
    await expect(deliver(a, src)).rejects.toThrow(/should end in 1.*Tracks 1, 2 share the ISRC GB-AYE-24-00001/);
  });

  it('dithers processed audio with a seed: the same project gives the same bytes', async () => {
    const src = sources({ a: 5 }, 24);
    const a = album([{ id: 'a', sec: 5 }]);
    const one = (await deliver(a, src, 7)).report.imageMd5;
    const two = (await deliver(a, src, 7)).report.imageMd5;
    const other = (await deliver(a, src, 8)).report.imageMd5;
    expect(two).toBe(one);
    expect(other).not.toBe(one);
  });

  it('prints titles as text in the PQ sheet', async () => {
    const src = sources({ a: 5 });
    const { out } = await deliver(album([{ id: 'a', sec: 5, title: '<script>alert(1)</script>' }], { title: 'A & B "live"' }), src);
    const html = out.text('pq-sheet.html');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('A &amp; B &quot;live&quot;');
    expect(html).toMatch(/@media print/);
    expect(html).toContain('GB-AYE-24-00001');
  });
});

describe('CD from a 96 kHz 24-bit album', () => {
  it('resamples, dithers and lays out on frames; the tone keeps its pitch and level', async () => {
    const rate = 96_000;
    const n = Math.round(6 * rate);
    const tone = new Float32Array(n).map((_, i) => Math.round(0.25 * Math.sin((2 * Math.PI * 1000 * i) / rate) * 8388607) / 8388608);
    const formats = new Map<string, SourceFormat>([['hi', { rateHz: rate, bitDepth: 24, sampleFormat: 'int' }]]);
    const read = arrayReader(tone);
    const a = createAlbum({
      rateHz: rate,
      title: 'Hi-res',
      tracks: [createTrack(rate, { title: 'Tone', isrc: 'GBAYE2400001', clips: [createClip({ assetId: 'hi', lengthSamples: n })] })]
    });
    const out = new MemoryFolder();
    const report = await deliverCd(a, formats, read, out, { baseName: 'hi', shaping: 'none', seed: 3, createdIso: 'x' });
    const back = await readDdp(out.fileset());
    expect(back.problems).toEqual([]);
    expect(back.fileset.tracks[0].index01).toBe(150);
    expect(report.leadOutFrame).toBe(150 + 6 * 75);
    const pcm = toPlanar(await readTrackPcm(out.fileset(), back, 0));
    // Fit a 1 kHz sine over the middle: level -12 dBFS, and the rest is dither noise.
    const s0 = 44_100 * 2;
    const s1 = 44_100 * 4;
    let sy = 0, cy = 0;
    for (let i = s0; i < s1; i++) {
      sy += Math.sin((2 * Math.PI * 1000 * i) / 44_100) * pcm[0][i];
      cy += Math.cos((2 * Math.PI * 1000 * i) / 44_100) * pcm[0][i];
    }
    const amp = (2 * Math.hypot(sy, cy)) / (s1 - s0);
    expect(Math.abs(20 * Math.log10(amp / 0.25))).toBeLessThan(0.01);
    expect(typeof report.tracks[0].truePeakDbtp).toBe('number');
  });
});
