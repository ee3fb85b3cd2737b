import { timed } from './timing';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeProgrammeWav } from './audio';

/**
 * Every variant of a 96 kHz 24-bit album in one run, against the same work done with the
 * reference tools in the same run: sox for each rate change and dither, flac for each FLAC. The
 * all-variants render is also set against the CD render alone (target: under twice its time).
 */
export async function variantsBench(): Promise<void> {
  const minutes = Number(process.env.BENCH_MINUTES ?? 60);
  const tracks = 12;
  const dir = resolve('bench', 'out');
  mkdirSync(dir, { recursive: true });
  const name = `album-${minutes}min-96k-24.wav`;
  const wav = join(dir, name);
  if (!existsSync(wav)) {
    console.log(`Writing ${minutes} min of stereo 96 kHz 24-bit audio to ${wav}...`);
    await writeProgrammeWav(wav, minutes * 60, 96_000, 's24le');
  }
  const each = (minutes * 60) / tracks;
  const album = (codecCheck: boolean) => {
    const path = join(dir, `variants-${codecCheck ? 'codecs' : 'plain'}.json`);
    writeFileSync(path, JSON.stringify({
      format: 'lathe-album', version: 1, title: 'Bench', artist: 'Lathe', rateHz: 96_000,
      variants: { streaming: { formats: ['wav', 'flac'], cd16: true, codecCheck } },
      tracks: Array.from({ length: tracks }, (_, i) => ({ title: `Track ${i + 1}`, gapBeforeSec: i ? 0 : 2, clips: [{ source: name, sourceOffsetSec: i * each, lengthSec: each, gainDb: -0.5 }] })),
      masterChain: [{ plugin: 'lathe.limiter', params: { ceilingDbtp: -1 } }]
    }));
    return path;
  };
  const lathe = (json: string, variant: string) => {
    const out = join(dir, `variants-out-${variant}`);
    rmSync(out, { recursive: true, force: true });
    const r = timed(() => spawnSync(process.execPath, ['bin/lathe.js', 'render', json, '--variant', variant, '--out', out], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    if (r.value.status !== 0) throw new Error(`lathe render --variant ${variant} failed: ${r.value.stderr}`);
    rmSync(out, { recursive: true, force: true });
    return r.sec;
  };
  console.log(`\n== All variants: ${minutes} min stereo 96 kHz 24-bit, ${tracks} tracks, master limiter ==`);
  const cd = lathe(album(false), 'cd');
  console.log(`lathe render --variant cd                 ${cd.toFixed(2)} s`);
  const all = lathe(album(false), 'all');
  console.log(`lathe render --variant all                ${all.toFixed(2)} s (CD; streaming 24/48 and 16/44.1 WAV + FLAC; hi-res 24/96 WAV + FLAC; tags, hashes, release report)`);
  const withCodecs = lathe(album(true), 'all');
  console.log(`  the same with the codec round trip      ${withCodecs.toFixed(2)} s (Vorbis and MP3 encoded and decoded per track: ${(withCodecs - all).toFixed(2)} s more)`);
  console.log(`all variants against the CD alone: ${(all / cd).toFixed(2)}x (target < 2x); with the codec check ${(withCodecs / cd).toFixed(2)}x`);

  const missing = ['sox', 'flac'].filter((t) => spawnSync(t, ['--version']).error);
  if (missing.length) {
    console.log(`${missing.join(' and ')} not installed: no reference run (apt-get install sox flac).`);
  } else {
    // The same products from the tools: each rate change and dither by sox, each FLAC by flac.
    const steps: [string, string[]][] = [
      ['sox', [wav, '-b', '16', join(dir, 'ref-cd.wav'), 'gain', '-0.5', 'rate', '-v', '44100', 'dither', '-s']],
      ['sox', [wav, '-b', '24', join(dir, 'ref-48.wav'), 'gain', '-0.5', 'rate', '-v', '48000', 'dither']],
      ['sox', [wav, '-b', '16', join(dir, 'ref-44-16.wav'), 'gain', '-0.5', 'rate', '-v', '44100', 'dither', '-s']],
      ['sox', [wav, '-b', '24', join(dir, 'ref-96.wav'), 'gain', '-0.5', 'dither']],
      ['flac', ['-f', '-s', '-5', '-o', join(dir, 'ref-48.flac'), join(dir, 'ref-48.wav')]],
      ['flac', ['-f', '-s', '-5', '-o', join(dir, 'ref-44-16.flac'), join(dir, 'ref-44-16.wav')]],
      ['flac', ['-f', '-s', '-5', '-o', join(dir, 'ref-96.flac'), join(dir, 'ref-96.wav')]]
    ];
    let tools = 0;
    for (const [cmd, args] of steps) {
      const r = timed(() => spawnSync(cmd, args, { encoding: 'utf8' }));
      if (r.value.status !== 0) throw new Error(`${cmd} failed: ${r.value.stderr}`);
      tools += r.sec;
      console.log(`  ${cmd} ${args.filter((a) => !a.includes('/')).join(' ').padEnd(44)} ${r.sec.toFixed(2)} s`);
    }
    console.log(`reference tools, the same files            ${tools.toFixed(2)} s`);
    console.log(`speed: lathe --variant all takes ${(all / tools).toFixed(2)}x the tools' time (target <= 1x; Lathe also limits, meters, tags and hashes)`);
    for (const f of ['ref-cd.wav', 'ref-48.wav', 'ref-44-16.wav', 'ref-96.wav', 'ref-48.flac', 'ref-44-16.flac', 'ref-96.flac']) rmSync(join(dir, f), { force: true });
  }
  if (process.env.BENCH_KEEP !== '1') rmSync(wav, { force: true });
}
