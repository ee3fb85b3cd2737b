import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runLathe } from '../../helpers/cli';
import { encodeWav } from '../../../src/lib/core/audio/wav';
import { programme } from '../../helpers/programme';
import { ffmpegEbur128, hasFfmpeg } from '../../helpers/ffmpeg';

const hasSox = spawnSync('sox', ['--version']).status === 0;
if (!hasSox) console.log('limiter-cd.test: sox is not installed; its check is skipped (apt-get install sox)');
if (!hasFfmpeg) console.log('limiter-cd.test: ffmpeg is not installed; its check is skipped (apt-get install ffmpeg)');

let dir: string;
const CEILING = -3;

/** The largest |sample| of IMAGE.DAT after sox's very-high-quality 16x upsampling, in dBFS. */
function soxPeak16xDb(image: string): number {
  const r = spawnSync('sox', ['-t', 'raw', '-r', '44100', '-e', 'signed', '-b', '16', '-c', '2', '-L', image, '-n', 'rate', '-v', '705600', 'stat'], { encoding: 'utf8' });
  const max = Number(/Maximum amplitude:\s+(-?[\d.]+)/.exec(r.stderr)?.[1]);
  const min = Number(/Minimum amplitude:\s+(-?[\d.]+)/.exec(r.stderr)?.[1]);
  return 20 * Math.log10(Math.max(Math.abs(max), Math.abs(min)));
}

// The case: a master limiter at -3 dBTP with 12 dB into it, on programme material at 96 kHz
// rendered to the CD; meters Lathe did not write read the delivered image.
describe('a CD mastered through lathe.limiter', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lathe-limiter-'));
    mkdirSync(join(dir, 'audio'));
    const x = programme({ rateHz: 96_000, seconds: 12, seed: 11, sectionsDb: [-8, -2, 0], width: 0.7 });
    writeFileSync(join(dir, 'audio', 'mix.wav'), encodeWav(x, { rateHz: 96_000, encoding: 's24le' }));
    writeFileSync(
      join(dir, 'album.json'),
      JSON.stringify({
        format: 'lathe-album', version: 1, title: 'Loud',
        tracks: [{ title: 'Loud', clips: [{ source: 'audio/mix.wav' }] }],
        masterChain: [{ plugin: 'lathe.limiter', params: { ceilingDbtp: CEILING, inputGainDb: 12, releaseMs: 60 } }]
      })
    );
    const r = await runLathe('render', join(dir, 'album.json'), '--out', join(dir, 'cd'), '--shaping', 'lipshitz');
    expect(r.code, r.err).toBe(0);
  }, 120_000);

  it('stays under its ceiling on its own BS.1770 meter', () => {
    const report = JSON.parse(readFileSync(join(dir, 'cd', 'report.json'), 'utf8'));
    expect(report.tracks[0].truePeakDbtp).toBeLessThanOrEqual(CEILING);
  });

  it.skipIf(!hasSox)('stays within 0.05 dB of its ceiling after sox rate -v 705600 (16x)', () => {
    expect(soxPeak16xDb(join(dir, 'cd', 'DDP', 'IMAGE.DAT'))).toBeLessThanOrEqual(CEILING + 0.05);
  });

  it.skipIf(!hasFfmpeg)('stays at its ceiling on ffmpeg ebur128 (which prints 0.1 dB)', () => {
    const wav = join(dir, 'image.wav');
    const pcm = readFileSync(join(dir, 'cd', 'DDP', 'IMAGE.DAT'));
    const frames = pcm.length / 4;
    const planar = [new Float32Array(frames), new Float32Array(frames)];
    for (let i = 0; i < frames; i++) {
      planar[0][i] = pcm.readInt16LE(i * 4) / 32768;
      planar[1][i] = pcm.readInt16LE(i * 4 + 2) / 32768;
    }
    writeFileSync(wav, encodeWav(planar, { rateHz: 44_100, encoding: 's16le' }));
    expect(ffmpegEbur128(wav).truePeakDbtp).toBeLessThanOrEqual(CEILING);
  });
});
