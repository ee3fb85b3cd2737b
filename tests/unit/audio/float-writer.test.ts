import { describe, expect, it } from 'vitest';
import { CHUNK_FRAMES, FloatChunkWriter, type ChunkSink } from '../../../src/lib/core/audio/ingest';
import { decodeInterleaved } from '../../../src/lib/core/audio/pcm';

function memorySink(): ChunkSink & { chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  return { chunks, writeChunk: async (index, bytes) => void (chunks[index] = bytes) };
}

describe('FloatChunkWriter', () => {
  it('stores audio pushed in any block sizes as whole chunks, sample for sample', async () => {
    const frames = CHUNK_FRAMES * 2 + 1234;
    const l = Float32Array.from({ length: frames }, (_, i) => Math.sin(i / 10));
    const r = Float32Array.from({ length: frames }, (_, i) => Math.cos(i / 7) * 0.5);
    const sink = memorySink();
    const writer = new FloatChunkWriter(2, frames, sink);
    for (let at = 0, k = 0; at < frames; k++) {
      const n = Math.min(frames - at, [1, 127, 40_000, 65_536][k % 4]);
      await writer.push([l, r], n, at);
      at += n;
    }
    const { chunks, peaks } = await writer.finish();
    expect(chunks).toBe(3);
    expect(sink.chunks.map((c) => c.length / 8)).toEqual([CHUNK_FRAMES, CHUNK_FRAMES, 1234]);
    const back = [new Float32Array(frames), new Float32Array(frames)];
    sink.chunks.forEach((bytes, i) => decodeInterleaved(bytes, 'f32le', 2, back, i * CHUNK_FRAMES, bytes.length / 8));
    expect(back[0]).toEqual(l);
    expect(back[1]).toEqual(r);
    expect(peaks.levels.length).toBeGreaterThan(0);
  });

  it('refuses more or fewer frames than announced', async () => {
    const writer = new FloatChunkWriter(1, 10, memorySink());
    await expect(writer.push([new Float32Array(11)], 11)).rejects.toThrow(/pass the 10 announced/);
    await writer.push([new Float32Array(4)], 4);
    await expect(writer.finish()).rejects.toThrow(/4 frames were written of the 10/);
  });
});
