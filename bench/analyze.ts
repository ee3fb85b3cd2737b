import { timed } from './timing';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeProgrammeWav } from './audio';
import { ffmpegEbur128, hasFfmpeg } from '../tests/helpers/ffmpeg';

export async function analyzeBench(): Promise<void> {
  const minutes = Number(process.env.BENCH_MINUTES ?? 60);
  const dir = join('bench', 'out');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `programme-${minutes}min-44k-24.wav`);
  if (!existsSync(file)) {
    console.log(`Writing ${minutes} min of stereo 44.1 kHz 24-bit audio to ${file}...`);
    await writeProgrammeWav(file, minutes * 60, 44_100, 's24le');
  }
  console.log(`\n== analyze: ${minutes} min stereo 44.1 kHz 24-bit ==`);
  const ours = timed(() => spawnSync(process.execPath, ['bin/lathe.js', 'analyze', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  if (ours.value.status !== 0) throw new Error(`lathe analyze failed: ${ours.value.stderr}`);
  const track = JSON.parse(ours.value.stdout).tracks[0];
  console.log(`lathe analyze   ${ours.sec.toFixed(2)} s   I ${track.integratedLufs} LUFS   TP ${track.truePeakDbtp} dBTP   LRA ${track.loudnessRangeLu} LU`);
  if (!hasFfmpeg) {
    console.log('ffmpeg is not installed: no reference run (apt-get install ffmpeg).');
    return;
  }
  const ref = timed(() => ffmpegEbur128(file));
  // ffmpeg logs a line every 100 ms of audio: give it room, or spawnSync kills it part way.
  const plain = timed(() => spawnSync('ffmpeg', ['-nostats', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  if (plain.value.status !== 0) throw new Error(`ffmpeg failed: ${plain.value.error ?? plain.value.stderr.slice(-300)}`);
  console.log(`ffmpeg ebur128  ${plain.sec.toFixed(2)} s   I ${ref.value.integratedLufs} LUFS   TP ${ref.value.truePeakDbtp} dBTP   LRA ${ref.value.loudnessRangeLu} LU`);
  console.log(`speed: lathe is ${(plain.sec / ours.sec).toFixed(2)}x ffmpeg (target >= 2x)`);
  console.log(`difference: I ${(track.integratedLufs - ref.value.integratedLufs).toFixed(3)} LU, TP ${(track.truePeakDbtp - ref.value.truePeakDbtp).toFixed(2)} dB (ffmpeg prints TP to 0.1 dB), LRA ${(track.loudnessRangeLu - ref.value.loudnessRangeLu).toFixed(2)} LU`);
  if (process.env.BENCH_KEEP !== '1') rmSync(file, { force: true });
}
