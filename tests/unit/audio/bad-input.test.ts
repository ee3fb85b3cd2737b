import { describe, expect, it } from 'vitest';
import { encodeWav } from '../../../src/lib/core/audio/wav';
import { memorySource } from '../../../src/lib/core/audio/source';
import { readPcmInfo } from '../../../src/lib/core/audio/sniff';
import { ingestPcm } from '../../../src/lib/core/audio/ingest';
import { isLatheError } from '../../../src/lib/core/errors';
import { channels } from '../../helpers/signals';

const good = () => encodeWav(channels(2, 1000, 16), { rateHz: 44_100, encoding: 's16le' });
const u32 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);
const u16 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint16(at, v, true);

/** Each entry: a name, bytes made in code, and the error code and words expected. */
const CORPUS: [string, () => Uint8Array, string, RegExp][] = [
  ['empty.wav', () => new Uint8Array(0), 'not-audio', /the file is empty/],
  ['truncated-header.wav', () => good().slice(0, 30), 'truncated', /ends inside the fmt chunk/],
  ['text-named.wav', () => new TextEncoder().encode('This is a text file, not audio at all. '.repeat(10)), 'not-audio', /not an audio file/],
  ['png-named.wav', () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]), 'not-audio', /not an audio file/],
  ['riff-not-wave.wav', () => { const b = good(); b.set([0x41, 0x56, 0x49, 0x20], 8); return b; }, 'not-audio', /not an audio file/],
  ['data-past-end.wav', () => { const b = good(); u32(b, 40, 1_000_000); return b; }, 'truncated', /claims 1000000 bytes but only 4000 remain/],
  ['truncated-audio.wav', () => good().slice(0, 2000), 'truncated', /claims 4000 bytes but only 1956 remain/],
  ['zero-frames.wav', () => encodeWav([new Float32Array(0), new Float32Array(0)], { rateHz: 44_100, encoding: 's16le' }), 'no-audio', /0 frames/],
  ['adpcm.wav', () => { const b = good(); u16(b, 20, 2); return b; }, 'unsupported-codec', /Microsoft ADPCM/],
  ['mulaw.wav', () => { const b = good(); u16(b, 20, 7); return b; }, 'unsupported-codec', /mu-law/],
  ['odd-codec.wav', () => { const b = good(); u16(b, 20, 0x1234); return b; }, 'unsupported-codec', /format 0x1234/],
  ['12-bit.wav', () => { const b = good(); u16(b, 34, 12); return b; }, 'unsupported-codec', /12-bit integer/],
  ['bad-block-align.wav', () => { const b = good(); u16(b, 32, 3); return b; }, 'bad-header', /block align is 3 bytes/],
  ['zero-channels.wav', () => { const b = good(); u16(b, 22, 0); return b; }, 'bad-header', /0 channels/],
  ['zero-rate.wav', () => { const b = good(); u32(b, 24, 0); return b; }, 'bad-header', /0 Hz/],
  ['no-fmt.wav', () => { const b = good(); b.set([0x6a, 0x75, 0x6e, 0x6b], 12); return b; }, 'bad-header', /no fmt chunk/],
  ['garbage-chunk.wav', () => { const b = good(); b.set([0, 1, 2, 3], 12); return b; }, 'bad-header', /no valid id/],
  ['huge-chunk.wav', () => { const b = good(); u32(b, 16, 0x7fffffff); return b; }, 'truncated', /a chunk runs past the end of the file/],
  ['rf64-without-ds64.wav', () => { const b = good(); b.set([0x52, 0x46, 0x36, 0x34], 0); u32(b, 40, 0xffffffff); return b; }, 'bad-header', /no ds64/],
  ['short-aiff.aif', () => new TextEncoder().encode('FORM\0\0\0\x04AIFF'), 'bad-header', /no valid COMM/]
];

describe('bad input gets a clear error naming the file and the problem', () => {
  for (const [name, make, code, words] of CORPUS) {
    it(name, async () => {
      const err = await readPcmInfo(memorySource(name, make())).then(
        () => null,
        (e: unknown) => e
      );
      expect(isLatheError(err), `${name} should be refused`).toBe(true);
      expect((err as { code: string }).code).toBe(code);
      expect((err as Error).message.startsWith(`${name}: `)).toBe(true);
      expect((err as Error).message).toMatch(words);
    });
  }

  it('stores nothing when a file fails before its first chunk', async () => {
    const written: number[] = [];
    await expect(ingestPcm(memorySource('x.wav', good().slice(0, 2000)), { writeChunk: async (i) => void written.push(i) })).rejects.toThrow(/x\.wav/);
    expect(written).toEqual([]);
  });

  it('reads a streamed WAV whose data size was never filled in (0xFFFFFFFF)', async () => {
    const b = good();
    u32(b, 40, 0xffffffff);
    expect((await readPcmInfo(memorySource('s.wav', b))).frames).toBe(1000);
  });
});
