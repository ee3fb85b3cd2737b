import { describe, expect, it } from 'vitest';
import { createClip } from '../../../src/lib/core/album/model';
import { ReadAhead } from '../../../src/lib/core/render/read-ahead';
import { resamplingReader } from '../../../src/lib/core/render/resampling-reader';
import { arrayReader } from '../../helpers/signals';

describe('read-ahead', () => {
  it('serves the same samples as reading directly, and reads each clip ahead only to its end', async () => {
    const rate = 96_000;
    const source = new Float32Array(rate * 2).map((_, i) => Math.sin(i / 7) * 0.5 + 0.3 * Math.sin(i / 1234.5));
    const clips = [createClip({ assetId: 'a', sourceOffsetSamples: 0, lengthSamples: 30_000 }), createClip({ assetId: 'a', sourceOffsetSamples: 12_345, lengthSamples: 40_000 })];
    const inner = resamplingReader(arrayReader(source), () => rate, 44_100, 2);
    const asked: [string, number, number][] = [];
    const counted = (clip: (typeof clips)[0], from: number, n: number, out: Float32Array[]) => {
      asked.push([clip.id, from, n]);
      return inner(clip, from, n, out);
    };
    const ahead = new ReadAhead(counted, 2, 8192, 3);
    const direct = resamplingReader(arrayReader(source), () => rate, 44_100, 2);
    // Reads as a mixer makes them: each clip forward in blocks, the last one short.
    const reads: [number, number, number][] = [];
    for (const [k, clip] of clips.entries()) {
      for (let at = 0; at < clip.lengthSamples; at += 8192) reads.push([k, clip.sourceOffsetSamples + at, Math.min(8192, clip.lengthSamples - at)]);
    }
    for (const [k, from, n] of reads) {
      const got = [new Float32Array(n), new Float32Array(n)];
      const want = [new Float32Array(n), new Float32Array(n)];
      await ahead.serve(clips[k], from, n, got);
      while (await ahead.prefetch());
      await direct(clips[k], from, n, want);
      expect(got).toEqual(want);
    }
    // Everything after each clip's first read came from blocks read ahead; nothing past its end.
    expect(asked.filter(([, , n]) => n !== 8192).length).toBeLessThanOrEqual(4);
    for (const [id, from, n] of asked) {
      const clip = clips.find((c) => c.id === id)!;
      expect(from + n).toBeLessThanOrEqual(clip.sourceOffsetSamples + clip.lengthSamples);
    }
  });

  it('reads directly when the request is not the one read ahead', async () => {
    const source = new Float32Array(50_000).map((_, i) => i);
    const clip = createClip({ assetId: 'a', lengthSamples: 50_000 });
    const ahead = new ReadAhead(arrayReader(source), 1, 1000);
    const out = [new Float32Array(100)];
    await ahead.serve(clip, 0, 100, out);
    await ahead.prefetch();
    await ahead.serve(clip, 5000, 100, out);
    expect(out[0][0]).toBe(5000);
    await ahead.prefetch();
    await ahead.serve(clip, 5100, 1500, out.map(() => new Float32Array(1500)));
    await ahead.serve(clip, 6600, 100, out);
    expect(out[0][99]).toBe(6699);
  });
});

describe('read-ahead, partly served blocks', () => {
  it('serves a block in pieces and keeps up to its depth ready', async () => {
    const source = new Float32Array(100_000).map((_, i) => i);
    const clip = createClip({ assetId: 'a', lengthSamples: 100_000 });
    let reads = 0;
    const ahead = new ReadAhead((c, f, n, o) => (reads++, arrayReader(source)(c, f, n, o)), 1, 1000, 2);
    const out = [new Float32Array(600)];
    await ahead.serve(clip, 0, 10, out);
    expect(await ahead.prefetch()).toBe(true);
    expect(await ahead.prefetch()).toBe(true);
    expect(await ahead.prefetch()).toBe(false);
    expect(reads).toBe(3);
    await ahead.serve(clip, 10, 600, out);
    expect(out[0][599]).toBe(609);
    await ahead.serve(clip, 610, 400, out);
    expect(out[0][399]).toBe(1009);
    expect(reads).toBe(3);
  });

  it('serves a request across several blocks read ahead, and reads on where they end', async () => {
    const source = new Float32Array(100_000).map((_, i) => i);
    const clip = createClip({ assetId: 'a', lengthSamples: 100_000 });
    const asked: [number, number][] = [];
    const ahead = new ReadAhead((c, f, n, o) => (asked.push([f, n]), arrayReader(source)(c, f, n, o)), 1, 1000, 3);
    await ahead.serve(clip, 0, 500, [new Float32Array(500)]);
    while (await ahead.prefetch());
    expect(asked).toEqual([[0, 500], [500, 1000], [1500, 1000], [2500, 1000]]);
    // Three blocks ready: 2500 frames from them, no read.
    const out = [new Float32Array(4000)];
    await ahead.serve(clip, 500, 2500, out);
    expect(asked.length).toBe(4);
    expect([out[0][0], out[0][999], out[0][1000], out[0][2499]]).toEqual([500, 1499, 1500, 2999]);
    // Ahead again, then a request longer than all of it: the rest is read right after.
    while (await ahead.prefetch());
    await ahead.serve(clip, 3000, 4000, out);
    expect(asked.slice(-1)).toEqual([[5500, 1500]]);
    expect(Array.from(out[0]).every((v, i) => v === 3000 + i)).toBe(true);
    while (await ahead.prefetch());
    expect(asked.slice(-1)[0][0]).toBe(9000);
    expect(asked.filter(([f]) => f >= 7000).map(([f]) => f)).toEqual([7000, 8000, 9000]);
  });
});
