import { timed } from './timing';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeProgrammeWav } from './audio';
import { ffmpegEbur128, hasFfmpeg } from '../tests/helpers/ffmpeg';
import { programme } from '../tests/helpers/programme';
import { encodeWav } from '../src/lib/core/audio/wav';

/**
 * lathe.limiter on the master of a CD render (ceiling -3 dBTP, 12 dB into it), read by meters
 * Lathe did not write: sox's very-high-quality 16x upsampling and ffmpeg's ebur128 true peak;
 * and the time the limiter adds to the render, against sox converting the same file.
 */
export async function limiterBench(): Promise<void> {
  const minutes = Number(process.env.BENCH_LIMITER_MINUTES ?? 5);
  const dir = resolve('bench', 'out');
  mkdirSync(dir, { recursive: true });
  console.log(`\n== lathe.limiter on the CD master: ${minutes} min of programme, ceiling -3 dBTP, +12 dB ==`);
  for (const [kind, rateHz] of [['dark', 44_100], ['dark', 48_000], ['dark', 96_000], ['bright', 44_100], ['bright', 96_000]] as const) {
    const name = `limiter-${kind}-${minutes}min-${rateHz}.wav`;
    const wav = join(dir, name);
    // dark: bench/audio.ts's pinkish programme; bright: the tests' programme, white noise in it to Nyquist.
    if (!existsSync(wav)) {
      if (kind === 'dark') await writeProgrammeWav(wav, minutes * 60, rateHz, 's24le');
      else writeFileSync(wav, encodeWav(programme({ rateHz, seconds: minutes * 60, seed: 11, sectionsDb: [-8, -2, 0], width: 0.7 }), { rateHz, encoding: 's24le' }));
    }
    const render = (chain: unknown[]) => {
      const album = join(dir, 'limiter.json');
      writeFileSync(album, JSON.stringify({ format: 'lathe-album', version: 1, title: 'Limited', rateHz, tracks: [{ title: 'All', clips: [{ source: name }] }], masterChain: chain }));
      const out = join(dir, 'limiter-cd');
      rmSync(out, { recursive: true, force: true });
      const r = timed(() => spawnSync(process.execPath, ['bin/lathe.js', 'render', album, '--out', out, '--shaping', 'lipshitz'], { encoding: 'utf8' }));
      if (r.value.status !== 0) throw new Error(`lathe render failed: ${r.value.stderr}`);
      return { out, sec: r.sec };
    };
    const plain = render([]);
    const limited = render([{ plugin: 'lathe.limiter', params: { ceilingDbtp: -3, inputGainDb: 12, releaseMs: 60 } }]);
    const image = join(limited.out, 'DDP', 'IMAGE.DAT');
    const report = JSON.parse(readFileSync(join(limited.out, 'report.json'), 'utf8'));
    let line = `${kind.padEnd(6)} ${(rateHz / 1000).toFixed(1)} kHz source: lathe BS.1770 ${report.tracks[0].truePeakDbtp.toFixed(2)} dBTP`;
    if (spawnSync('sox', ['--version']).status === 0) {
      const r = spawnSync('sox', ['-t', 'raw', '-r', '44100', '-e', 'signed', '-b', '16', '-c', '2', '-L', image, '-n', 'rate', '-v', '705600', 'stat'], { encoding: 'utf8' });
      const peak = Math.max(...['Maximum', 'Minimum'].map((k) => Math.abs(Number(new RegExp(`${k} amplitude:\\s+(-?[\\d.]+)`).exec(r.stderr)?.[1]))));
      line += `, sox 16x ${(20 * Math.log10(peak)).toFixed(3)} dBFS`;
    }
    if (hasFfmpeg) {
      const asWav = join(dir, 'limiter-image.wav');
      spawnSync('ffmpeg', ['-y', '-loglevel', 'error', '-f', 's16le', '-ar', '44100', '-ac', '2', '-i', image, asWav]);
      line += `, ffmpeg ebur128 ${ffmpegEbur128(asWav).truePeakDbtp.toFixed(1)} dBTP`;
      rmSync(asWav, { force: true });
    }
    console.log(line);
    console.log(`  render ${plain.sec.toFixed(2)} s without the limiter, ${limited.sec.toFixed(2)} s with it: the limiter runs at ${((minutes * 60) / (limited.sec - plain.sec)).toFixed(0)}x real time`);
    rmSync(limited.out, { recursive: true, force: true });
    if (process.env.BENCH_KEEP !== '1') rmSync(wav, { force: true });
  }
}
