import { describe, expect, it } from 'vitest';
import { encodeWav, readWavInfo, wavHeader } from '../../../src/lib/core/audio/wav';
import { readFrames } from '../../../src/lib/core/audio/reader';
import { memorySource } from '../../../src/lib/core/audio/source';
import { readPcmInfo } from '../../../src/lib/core/audio/sniff';
import type { SampleEncoding } from '../../../src/lib/core/album/model';
import { channels as makeChannels } from '../../helpers/signals';
import { aiffBytes } from '../../helpers/aiff';

async function roundTrip(planar: Float32Array[], rateHz: number, encoding: SampleEncoding, rf64?: boolean | 'bw64', bext?: Uint8Array) {
  const bytes = encodeWav(planar, { rateHz, encoding, rf64, bext });
  const src = memorySource('t.wav', bytes);
  const info = await readWavInfo(src);
  const out = planar.map(() => new Float32Array(planar[0].length));
  await readFrames(src, info, 0, info.frames, out);
  return { info, out };
}

const FORMATS: { encoding: SampleEncoding; bits: number; float: boolean }[] = [
  { encoding: 'u8', bits: 8, float: false },
  { encoding: 's16le', bits: 16, float: false },
  { encoding: 's24le', bits: 24, float: false },
  // 32-bit integers are read into 32-bit floats: exact on a 24-bit grid.
  { encoding: 's32le', bits: 24, float: false },
  { encoding: 'f32le', bits: 24, float: true },
  { encoding: 'f64le', bits: 24, float: true }
];

describe('WAV round trips', () => {
  for (const f of FORMATS) {
    for (const ch of [1, 2, 6, 8]) {
      it(`${f.encoding}, ${ch} channel(s), sample for sample`, async () => {
        const planar = makeChannels(ch, 1500, f.bits, ch * 7);
        const { info, out } = await roundTrip(planar, 48_000, f.encoding);
        expect(info).toMatchObject({ container: 'wav', rateHz: 48_000, channels: ch, frames: 1500, sampleFormat: f.float ? 'float' : 'int', encoding: f.encoding });
        for (let c = 0; c < ch; c++) expect(out[c]).toEqual(planar[c]);
      });
    }
  }

  for (const rate of [44_100, 48_000, 88_200, 96_000, 176_400, 192_000]) {
    it(`keeps ${rate} Hz`, async () => {
      const { info } = await roundTrip(makeChannels(2, 100, 16), rate, 's16le');
      expect(info.rateHz).toBe(rate);
    });
  }

  it('writes WAVE_FORMAT_EXTENSIBLE for 24-bit and multichannel, with a speaker mask', async () => {
    const bytes = encodeWav(makeChannels(6, 10, 24), { rateHz: 48_000, encoding: 's24le' });
    const v = new DataView(bytes.buffer);
    expect(v.getUint16(20, true)).toBe(0xfffe);
    expect((await readWavInfo(memorySource('x', bytes))).channelMask).toBe(0x3f);
  });

  it('reads RF64 and BW64 with ds64 sizes', async () => {
    for (const kind of [true, 'bw64'] as const) {
      const planar = makeChannels(2, 777, 24);
      const { info, out } = await roundTrip(planar, 96_000, 's24le', kind);
      expect(info.container).toBe(kind === true ? 'rf64' : 'bw64');
      expect(out[1]).toEqual(planar[1]);
    }
  });

  it('keeps the bext chunk byte for byte', async () => {
    const bext = new Uint8Array(602);
    new TextEncoder().encodeInto('Lathe test description', bext);
    bext[601] = 7;
    const { info } = await roundTrip(makeChannels(2, 10, 16), 44_100, 's16le', false, bext);
    expect(info.bext).toEqual(bext);
  });

  it('computes the header size for a data chunk past 4 GiB as RF64', () => {
    const h = wavHeader({ rateHz: 48_000, channels: 2, encoding: 's24le', frames: 2 ** 30 });
    expect(String.fromCharCode(...h.subarray(0, 4))).toBe('RF64');
  });

  it('reads part of a file from any frame', async () => {
    const planar = makeChannels(2, 1000, 16);
    const src = memorySource('t.wav', encodeWav(planar, { rateHz: 44_100, encoding: 's16le' }));
    const info = await readWavInfo(src);
    const out = [new Float32Array(100), new Float32Array(100)];
    expect(await readFrames(src, info, 950, 100, out)).toBe(50);
    expect(out[0].subarray(0, 50)).toEqual(planar[0].subarray(950));
  });
});

describe('AIFF', () => {
  for (const [kind, bits] of [['AIFF', 16], ['AIFF', 24], ['AIFC-sowt', 16], ['AIFC-fl32', 32]] as const) {
    it(`reads ${kind} ${bits}-bit`, async () => {
      const planar = makeChannels(2, 300, kind === 'AIFC-fl32' ? 24 : bits);
      const bytes = aiffBytes(planar, 44_100, bits, kind);
      const src = memorySource('t.aif', bytes);
      const info = await readPcmInfo(src);
      expect(info).toMatchObject({ rateHz: 44_100, channels: 2, frames: 300, bitDepth: bits });
      const out = [new Float32Array(300), new Float32Array(300)];
      await readFrames(src, info, 0, 300, out);
      expect(out).toEqual(planar);
    });
  }
});

describe('decoding into fewer outputs', () => {
  it('fills the first channels of a multichannel file and skips the rest', async () => {
    const planar = makeChannels(6, 200, 24);
    const src = memorySource('51.wav', encodeWav(planar, { rateHz: 48_000, encoding: 's24le' }));
    const info = await readWavInfo(src);
    const out = [new Float32Array(200), new Float32Array(200)];
    await readFrames(src, info, 0, 200, out);
    expect(out).toEqual(planar.slice(0, 2));
  });
});

describe('Node Buffers as sources', () => {
  it('reads headers from a Buffer that is a view into a larger pool', async () => {
    const planar = makeChannels(2, 100, 24);
    const wav = encodeWav(planar, { rateHz: 48_000, encoding: 's24le', bext: new Uint8Array([1, 2, 3, 4]) });
    const pool = Buffer.alloc(wav.length + 333);
    pool.set(wav, 333);
    const src = memorySource('pooled.wav', pool.subarray(333));
    const info = await readWavInfo(src);
    expect(info).toMatchObject({ rateHz: 48_000, channels: 2, frames: 100 });
    expect([...(info.bext as Uint8Array)]).toEqual([1, 2, 3, 4]);
    const aif = Buffer.alloc(10_000);
    const bytes = aiffBytes(planar, 44_100, 24, 'AIFF');
    aif.set(bytes, 17);
    expect((await readPcmInfo(memorySource('pooled.aif', aif.subarray(17, 17 + bytes.length)))).frames).toBe(100);
  });
});
