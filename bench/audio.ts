/** Writes long generated WAVs in blocks, so an hour of audio never sits in memory. */
import { open } from 'node:fs/promises';
import { wavHeader } from '../src/lib/core/audio/wav';
import { encodeInterleaved, bytesPerSample } from '../src/lib/core/audio/pcm';
import { seededRandom } from '../src/lib/core/audio/synth';
import type { SampleEncoding } from '../src/lib/core/album/model';

/** Programme-like stereo: pinkish noise, bass and kick, with the level moving every 20 s. */
export async function writeProgrammeWav(path: string, seconds: number, rateHz: number, encoding: SampleEncoding): Promise<void> {
  const frames = Math.round(seconds * rateHz);
  const file = await open(path, 'w');
  await file.write(wavHeader({ rateHz, channels: 2, encoding, frames }));
  const block = 1 << 16;
  const l = new Float32Array(block);
  const r = new Float32Array(block);
  const bytes = new Uint8Array(block * 2 * bytesPerSample(encoding));
  const rand = seededRandom(42);
  let p1 = 0, p2 = 0, q1 = 0, q2 = 0;
  for (let start = 0; start < frames; start += block) {
    const n = Math.min(block, frames - start);
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const t = i / rateHz;
      const w = rand() * 2 - 1;
      const u = rand() * 2 - 1;
      p1 = 0.997 * p1 + 0.03 * w; p2 = 0.95 * p2 + 0.05 * w;
      q1 = 0.997 * q1 + 0.03 * u; q2 = 0.95 * q2 + 0.05 * u;
      const beat = t % 0.5;
      const kick = 0.5 * Math.sin(2 * Math.PI * (45 + 80 * Math.exp(-beat * 40)) * beat) * Math.exp(-beat * 12);
      const g = 0.25 + 0.2 * Math.sin((2 * Math.PI * t) / 40);
      const bass = 0.25 * Math.sin(2 * Math.PI * 55 * t);
      l[k] = g * (p1 + p2 + bass + kick);
      r[k] = g * (0.7 * (p1 + p2) + 0.3 * (q1 + q2) + bass + kick);
    }
    const len = n * 2 * bytesPerSample(encoding);
    encodeInterleaved([l, r], 0, n, encoding, bytes.subarray(0, len));
    await file.write(bytes.subarray(0, len));
  }
  await file.close();
}
