import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadedClipReader } from '../../../src/cli/threaded-reader';
import { createClip } from '../../../src/lib/core/album/model';
import { encodeWav, readWavInfo } from '../../../src/lib/core/audio/wav';
import { memorySource } from '../../../src/lib/core/audio/source';
import { LatheError } from '../../../src/lib/core/errors';

describe('threaded clip reader', () => {
  it('reads a clip in the worker thread, and a missing file fails the read with its name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lathe-thread-'));
    const n = 50_000;
    const ch = [new Float32Array(n).map((_, i) => ((i % 200) - 100) / 128), new Float32Array(n).map((_, i) => (25 - (i % 50)) / 32)];
    const bytes = encodeWav(ch, { rateHz: 44_100, encoding: 's16le' });
    writeFileSync(join(dir, 'a.wav'), bytes);
    const info = await readWavInfo(memorySource('a.wav', bytes));
    const clip = createClip({ assetId: 'a.wav', lengthSamples: n });
    const reader = threadedClipReader({ sources: [{ id: 'a.wav', path: join(dir, 'a.wav'), info }], renderRateHz: 44_100, channels: 2, aheadFrames: 4096 });
    try {
      for (let from = 0; from < n; from += 4096) {
        const m = Math.min(4096, n - from);
        const out = [new Float32Array(m), new Float32Array(m)];
        await reader.read(clip, from, m, out);
        expect(out[0]).toEqual(ch[0].subarray(from, from + m));
        expect(out[1]).toEqual(ch[1].subarray(from, from + m));
      }
    } finally {
      await reader.close();
    }
    const broken = threadedClipReader({ sources: [{ id: 'gone.wav', path: join(dir, 'gone.wav'), info }], renderRateHz: 44_100, channels: 2, aheadFrames: 4096 });
    try {
      const err = await broken.read(createClip({ assetId: 'gone.wav', lengthSamples: n }), 0, 100, [new Float32Array(100), new Float32Array(100)]).catch((e) => e);
      expect(err).toBeInstanceOf(LatheError);
      expect(String(err.message)).toMatch(/gone\.wav/);
    } finally {
      await broken.close();
    }
  });
});
