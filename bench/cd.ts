import { timed } from './timing';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeProgrammeWav } from './audio';

/** A 96 kHz 24-bit album rendered to the CD variant, against sox's `rate -v` and `dither -s`. */
export async function cdBench(): Promise<void> {
  const minutes = Number(process.env.BENCH_MINUTES ?? 60);
  const dir = resolve('bench', 'out');
  mkdirSync(dir, { recursive: true });
  const wav = join(dir, `album-${minutes}min-96k-24.wav`);
  if (!existsSync(wav)) {
    console.log(`Writing ${minutes} min of stereo 96 kHz 24-bit audio to ${wav}...`);
    await writeProgrammeWav(wav, minutes * 60, 96_000, 's24le');
  }
  const album = join(dir, 'album-96k.json');
  writeFileSync(album, JSON.stringify({ format: 'lathe-album', version: 1, title: 'Bench', rateHz: 96_000, tracks: [{ title: 'All of it', clips: [{ source: `album-${minutes}min-96k-24.wav`, gainDb: -0.5 }] }] }));
  const out = join(dir, 'cd');
  rmSync(out, { recursive: true, force: true });
  console.log(`\n== CD variant: ${minutes} min stereo 96 kHz 24-bit -> DDP, CUE/BIN, PQ sheet ==`);
  const ours = timed(() => spawnSync(process.execPath, ['bin/lathe.js', 'render', album, '--variant', 'cd', '--out', out, '--shaping', 'lipshitz'], { encoding: 'utf8' }));
  if (ours.value.status !== 0) throw new Error(`lathe render failed: ${ours.value.stderr}`);
  console.log(`lathe render --variant cd   ${ours.sec.toFixed(2)} s (resample, dither, DDP + BIN written, MD5, per-track loudness)`);
  const hasSox = spawnSync('sox', ['--version']).status === 0;
  if (!hasSox) {
    console.log('sox is not installed: no reference run (apt-get install sox).');
  } else {
    const soxOut = join(dir, 'sox-cd.wav');
    const sox = timed(() => spawnSync('sox', [wav, '-b', '16', soxOut, 'rate', '-v', '44100', 'dither', '-s'], { encoding: 'utf8' }));
    if (sox.value.status !== 0) throw new Error(`sox failed: ${sox.value.stderr}`);
    console.log(`sox rate -v 44100 dither -s ${sox.sec.toFixed(2)} s`);
    console.log(`speed: lathe takes ${(ours.sec / sox.sec).toFixed(2)}x sox's time (target <= 1x)`);
    rmSync(soxOut, { force: true });
  }
  rmSync(out, { recursive: true, force: true });
  if (process.env.BENCH_KEEP !== '1') rmSync(wav, { force: true });
}
