import { timed } from './timing';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { wavHeader } from '../src/lib/core/audio/wav';
import { encodeInterleaved } from '../src/lib/core/audio/pcm';
import { seededRandom } from '../src/lib/core/audio/synth';

/** Seeded noise at -20 dBFS on `channels` channels, written in blocks. */
async function noiseWav(path: string, seconds: number, channels: number, rateHz: number): Promise<void> {
  const frames = Math.round(seconds * rateHz);
  const file = await open(path, 'w');
  await file.write(wavHeader({ rateHz, channels, encoding: 's24le', frames }));
  const block = 1 << 15;
  const planar = Array.from({ length: channels }, () => new Float32Array(block));
  const bytes = new Uint8Array(block * channels * 3);
  const rand = seededRandom(7);
  for (let start = 0; start < frames; start += block) {
    const n = Math.min(block, frames - start);
    for (const ch of planar) for (let i = 0; i < n; i++) ch[i] = 0.1 * (rand() * 2 - 1);
    encodeInterleaved(planar, 0, n, 's24le', bytes.subarray(0, n * channels * 3));
    await file.write(bytes.subarray(0, n * channels * 3));
  }
  await file.close();
}

/**
 * An immersive album of 12 tracks, each a 7.1.2 bed and 16 moving objects, rendered to ADM BWF and
 * the stereo fold-down by Lathe, against ffmpeg writing the same channels again from the rendered
 * file (the floor for the I/O), in the same run.
 */
export async function admBench(): Promise<void> {
  const minutes = Number(process.env.BENCH_MINUTES ?? 60);
  const tracks = 12;
  const R = 48_000;
  const each = (minutes * 60) / tracks;
  const dir = resolve('bench', 'out', 'adm');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`\n== ADM BWF: ${minutes} min at 48 kHz, ${tracks} tracks of a 7.1.2 bed and 16 objects ==`);
  await noiseWav(join(dir, 'bed.wav'), each, 10, R);
  await noiseWav(join(dir, 'obj.wav'), each, 1, R);
  const objects = Array.from({ length: 16 }, (_, k) => ({
    source: 'obj.wav',
    gainDb: -6,
    object: {
      x: Math.cos((2 * Math.PI * k) / 16), y: Math.sin((2 * Math.PI * k) / 16), z: (k % 4) / 4,
      keyframes: Array.from({ length: Math.floor(each / 2) }, (_, j) => ({ atSec: 2 * (j + 1), x: Math.cos((2 * Math.PI * (k + j)) / 16), y: Math.sin((2 * Math.PI * (k + j)) / 16), z: ((k + j) % 4) / 4 }))
    }
  }));
  const json = join(dir, 'album.json');
  writeFileSync(json, JSON.stringify({
    format: 'lathe-album', version: 1, title: 'Bench', artist: 'Lathe', rateHz: R, immersive: { monitor: '7.1.4' },
    tracks: Array.from({ length: tracks }, (_, i) => ({ title: `Track ${i + 1}`, gapBeforeSec: i ? 0 : 2, clips: [{ source: 'bed.wav', bed: '7.1.2' }, ...objects] }))
  }));
  const out = join(dir, 'out');
  const lathe = timed(() => spawnSync(process.execPath, ['bin/lathe.js', 'render', json, '--variant', 'adm', '--out', out], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  if (lathe.value.status !== 0) throw new Error(`lathe render --variant adm failed: ${lathe.value.stderr}`);
  const adm = join(out, 'adm', 'album ADM.wav');
  const bytes = statSync(adm).size + statSync(join(out, 'adm', 'album stereo.wav')).size;
  console.log(`lathe render --variant adm                ${lathe.sec.toFixed(2)} s (26 channels and the stereo master, ${(bytes / 2 ** 30).toFixed(2)} GiB)`);
  if (spawnSync('ffmpeg', ['-version']).error) {
    console.log('ffmpeg not installed: no reference run (apt-get install ffmpeg).');
  } else {
    const copy = join(dir, 'ffmpeg.wav');
    const stereo = join(dir, 'ffmpeg-stereo.wav');
    const ff = timed(() => spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', adm, '-c:a', 'pcm_s24le', '-rf64', 'auto', copy, '-map', '0:a', '-af', 'pan=stereo|c0=c0|c1=c1', '-c:a', 'pcm_s24le', stereo], { encoding: 'utf8' }));
    if (ff.value.status !== 0) throw new Error(`ffmpeg failed: ${ff.value.stderr}`);
    console.log(`ffmpeg, the same channels written again  ${ff.sec.toFixed(2)} s`);
    console.log(`ADM render against the I/O floor: ${(lathe.sec / ff.sec).toFixed(2)}x`);
  }
  if (process.env.BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
}
