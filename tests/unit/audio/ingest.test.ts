import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { encodeWav, wavHeader } from '../../../src/lib/core/audio/wav';
import { memorySource, type ByteSource } from '../../../src/lib/core/audio/source';
import { CHUNK_FRAMES, ingestPcm } from '../../../src/lib/core/audio/ingest';
import { peaksForSpan } from '../../../src/lib/core/audio/peaks';
import { decodeInterleaved } from '../../../src/lib/core/audio/pcm';
import { channels, sine } from '../../helpers/signals';

describe('streaming import', () => {
  it('stores chunks that decode to the file samples, hashes the whole file and builds peaks', async () => {
    const frames = CHUNK_FRAMES * 2 + 1234;
    const planar = channels(2, frames, 24, 5);
    planar[0][100_000] = Math.round(0.999 * 2 ** 23) / 2 ** 23;
    const bytes = encodeWav(planar, { rateHz: 96_000, encoding: 's24le', bext: new Uint8Array(602) });
    const stored: Uint8Array[] = [];
    const progress: number[] = [];
    const r = await ingestPcm(memorySource('a.wav', bytes), { writeChunk: async (i, b) => void (stored[i] = b) }, (f) => progress.push(f));
    expect(r.chunks).toBe(3);
    expect(r.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(progress.at(-1)).toBe(1);
    const back = [new Float32Array(frames), new Float32Array(frames)];
    stored.forEach((b, i) => decodeInterleaved(b, 's24le', 2, back, i * CHUNK_FRAMES, b.length / 6));
    expect(back).toEqual(planar);
    expect(r.peaks.frames).toBe(frames);
    const { max } = peaksForSpan(r.peaks, 0, frames, 1);
    expect(max[0]).toBeCloseTo(planar.reduce((m, ch) => ch.reduce((a, x) => Math.max(a, x), m), -1), 4);
  });

  it('reads a source by its stream where it has one, in pieces of any size, to the same chunks, hash, peaks and measurement', async () => {
    const frames = CHUNK_FRAMES * 23 + 777;
    // More than one read's worth of chunks (21), on the 16-bit grid.
    const planar = [0, 1].map((c) => new Float32Array(frames).map((_, i) => (((i * (c + 3) * 2654435761) >>> 16) - 32768) / 32768));
    const bytes = encodeWav(planar, { rateHz: 44_100, encoding: 's16le' });
    const run = async (source: ByteSource) => {
      const stored: Uint8Array[] = [];
      let seen = 0;
      const r = await ingestPcm(source, { writeChunk: async (i, b) => void (stored[i] = b) }, () => {}, undefined, { onFrames: (_p, n) => void (seen += n) });
      return { r, stored, seen };
    };
    const plain = await run(memorySource('a.wav', bytes));
    // A stream that hands out odd-sized pieces, as a browser's File stream does.
    const streamed: ByteSource = {
      ...memorySource('a.wav', bytes),
      stream: (offset) => {
        let at = offset;
        return new ReadableStream<Uint8Array>({
          pull(c) {
            if (at >= bytes.length) return c.close();
            const n = 1000 + ((at * 7919) % 900_000);
            c.enqueue(bytes.slice(at, at + n));
            at += n;
          }
        });
      }
    };
    const viaStream = await run(streamed);
    expect(viaStream.r.sha256).toBe(plain.r.sha256);
    expect(viaStream.r.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(viaStream.stored.length).toBe(24);
    viaStream.stored.forEach((b, i) => expect(Buffer.compare(b, plain.stored[i]), `chunk ${i}`).toBe(0));
    viaStream.r.peaks.levels.forEach((level, k) => expect(Buffer.compare(Buffer.from(level.data.buffer), Buffer.from(plain.r.peaks.levels[k].data.buffer)), `peak level ${k}`).toBe(0));
    expect(viaStream.seen).toBe(frames);
    // A file cut short inside its audio is refused by name.
    const cut: ByteSource = { ...streamed, stream: (o) => new Blob([bytes.slice(o, bytes.length - 1000)]).stream() };
    await expect(run(cut)).rejects.toThrow(/a\.wav: the file ended at frame \d+ while reading its audio/);
  });

  it('builds peaks that follow the signal envelope', async () => {
    const rate = 44_100;
    const s = sine(rate, rate, 1000, 0.5);
    for (let i = rate / 2; i < rate; i++) s[i] *= 0.1;
    const r = await ingestPcm(memorySource('s.wav', encodeWav([s], { rateHz: rate, encoding: 'f32le' })), { writeChunk: async () => {} });
    const { min, max } = peaksForSpan(r.peaks, 0, rate, 4);
    expect(max[0]).toBeCloseTo(0.5, 2);
    expect(min[1]).toBeCloseTo(-0.5, 2);
    expect(max[3]).toBeCloseTo(0.05, 2);
  });

  it('streams a 2 GB WAV without holding it: memory stays far below the file size', async () => {
    const frames = 2 ** 29; // 2 GiB of 16-bit stereo
    const header = wavHeader({ rateHz: 44_100, channels: 2, encoding: 's16le', frames });
    const size = header.length + frames * 4;
    // The file exists only as a header and a repeating pattern, produced on demand.
    const PERIOD = 1 << 20;
    const pattern = new Uint8Array(2 * PERIOD).map((_, i) => (i * 7 + (i >>> 11)) & 0xff);
    const source: ByteSource = {
      name: 'big.wav',
      size,
      async read(offset, length) {
        const n = Math.min(length, size - offset);
        const out = new Uint8Array(n);
        for (let p = 0; p < n; ) {
          const at = offset + p;
          if (at < header.length) {
            out[p++] = header[at];
            continue;
          }
          const take = Math.min(n - p, PERIOD);
          out.set(pattern.subarray(at % PERIOD, (at % PERIOD) + take), p);
          p += take;
        }
        return out;
      }
    };
    let peakMemory = 0;
    let chunks = 0;
    const base = process.memoryUsage();
    const r = await ingestPcm(source, {
      async writeChunk() {
        chunks++;
        if (chunks % 256 === 0) {
          const m = process.memoryUsage();
          peakMemory = Math.max(peakMemory, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
        }
      }
    });
    expect(r.info.frames).toBe(frames);
    expect(chunks).toBe(frames / CHUNK_FRAMES);
    expect(r.peaks.levels[0].bins).toBe(frames / 256);
    // The pyramid is 1/64 of the source at most (32 MiB); the rest is one chunk and garbage.
    expect(peakMemory).toBeLessThan(200 * 1024 * 1024);
  }, 300_000);
});
