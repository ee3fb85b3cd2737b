/** ffmpeg's ebur128 filter as a reference meter, where ffmpeg is installed. */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

export const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

export interface Ebur128Reading {
  integratedLufs: number;
  loudnessRangeLu: number;
  truePeakDbtp: number;
}

/** Integrated loudness and LRA to 3 decimals (frame metadata), true peak from the summary. */
export function ffmpegEbur128(file: string): Ebur128Reading {
  const meta = `${file}.r128.txt`;
  const r = spawnSync(
    'ffmpeg',
    ['-nostats', '-hide_banner', '-i', file, '-af', `ebur128=peak=true:metadata=1,ametadata=mode=print:file=${meta}`, '-f', 'null', '-'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }
  );
  if (r.status !== 0) throw new Error(`ffmpeg failed on ${file}: ${r.stderr.slice(-500)}`);
  const text = readFileSync(meta, 'utf8');
  rmSync(meta, { force: true });
  const last = (key: string) => {
    const all = [...text.matchAll(new RegExp(`^lavfi\\.r128\\.${key.replace('.', '\\.')}=(-?[\\d.]+)`, 'gm'))];
    return Number(all.at(-1)?.[1]);
  };
  const peak = /Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(r.stderr);
  return { integratedLufs: last('I'), loudnessRangeLu: last('LRA'), truePeakDbtp: peak ? Number(peak[1]) : NaN };
}
