import { extname } from 'node:path';
import { Analyzer, type Analysis } from '../lib/core/analysis/analyzer';
import { mixChecks, type Check } from '../lib/core/analysis/checks';
import { LoudnessHistogram } from '../lib/core/analysis/histogram';
import { readPcmInfo } from '../lib/core/audio/sniff';
import { readFrames } from '../lib/core/audio/reader';
import { layoutAlbum } from '../lib/core/album/timeline';
import { LatheError } from '../lib/core/errors';
import { WindowMixer } from '../lib/core/render/mix';
import { resamplingReader } from '../lib/core/render/resampling-reader';
import type { Clip } from '../lib/core/album/model';
import { fileSource } from './node-source';
import { loadAlbumFile } from './album-file';
import { table } from './table';
import { parseCommand } from './args';

export const ANALYZE_HELP = `lathe analyze <file>... [--json]

Measures each WAV, BW64, RF64 or AIFF file (or each track of an album.json, as the album plays
it: clips, gains, fades and gaps applied): integrated loudness, loudness range, true peak
(BS.1770-4 Annex 2), sample peak, maximum momentary and short-term loudness, PLR, and the
mix-readiness checks; then the album as a whole (all tracks gated together).
Digital silence gives null loudness. Exit status: 0, 1 on bad input, 64 on bad usage.`;

const BLOCK = 65_536;

interface TrackReport extends Omit<Analysis, 'shortTermSeries'> {
  file: string;
  checks: Check[];
}

interface Measured {
  report: TrackReport;
  analyzer: Analyzer;
}

function report(file: string, analyzer: Analyzer): Measured {
  const { shortTermSeries: _series, ...a } = analyzer.finish();
  return { report: { file, ...a, checks: mixChecks(a as Analysis) }, analyzer };
}

async function analyzeFile(path: string): Promise<Measured> {
  const src = await fileSource(path, path);
  try {
    const info = await readPcmInfo(src);
    const analyzer = new Analyzer({ rateHz: info.rateHz, channels: info.channels, bitDepth: info.bitDepth, sampleFormat: info.sampleFormat, channelMask: info.channelMask });
    const planar = Array.from({ length: info.channels }, () => new Float32Array(BLOCK));
    for (let start = 0; start < info.frames; start += BLOCK) {
      const n = await readFrames(src, info, start, Math.min(BLOCK, info.frames - start), planar);
      analyzer.process(planar, n);
    }
    return report(path, analyzer);
  } finally {
    await src.close();
  }
}

async function analyzeAlbum(path: string): Promise<Measured[]> {
  const { album, sources } = await loadAlbumFile(path);
  const layout = layoutAlbum(album);
  const rate = album.rateHz;
  const opened = new Map<string, { src: Awaited<ReturnType<typeof fileSource>>; info: NonNullable<(typeof sources extends Map<string, infer V> ? V : never)['info']> }>();
  for (const s of sources.values()) {
    if (!s.info) throw new LatheError('unsupported', 'album analysis reads WAV, BW64, RF64 and AIFF sources.', { file: s.id });
    opened.set(s.id, { src: await fileSource(s.path, s.id), info: s.info });
  }
  const bitDepth = Math.max(...[...opened.values()].map((o) => o.info.bitDepth));
  const mixer = new WindowMixer(2, BLOCK);
  const out = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
  const scratch = new Map<number, Float32Array[]>();
  const atSourceRate = async (clip: Clip, start: number, count: number, dst: Float32Array[]) => {
    const o = opened.get(clip.assetId);
    if (!o) return;
    let buf = scratch.get(o.info.channels);
    if (!buf || buf[0].length < count) scratch.set(o.info.channels, (buf = Array.from({ length: o.info.channels }, () => new Float32Array(Math.max(BLOCK, count)))));
    for (const b of buf) b.fill(0, 0, count);
    await readFrames(o.src, o.info, start, count, buf);
    for (let c = 0; c < dst.length; c++) dst[c].set(buf[Math.min(c, o.info.channels - 1)].subarray(0, count));
  };
  // Sources at another rate than the album's are resampled as they are read.
  const read = resamplingReader(atSourceRate, (id) => opened.get(id)?.info.rateHz ?? rate, rate);
  try {
    const results: Measured[] = [];
    for (const [i, placement] of layout.tracks.entries()) {
      const analyzer = new Analyzer({ rateHz: rate, channels: 2, bitDepth, sampleFormat: 'int' });
      for (let at = placement.index01Samples; at < placement.nextStartSamples; at += BLOCK) {
        const n = Math.min(BLOCK, placement.nextStartSamples - at);
        await mixer.mix(album, layout, at, n, out, read);
        analyzer.process(out, n);
      }
      results.push(report(`${path}#${i + 1} ${album.tracks[i].title}`, analyzer));
    }
    return results;
  } finally {
    for (const o of opened.values()) await o.src.close();
  }
}

function albumSummary(measured: Measured[]) {
  const gating = new LoudnessHistogram();
  const shortTerm = new LoudnessHistogram();
  let tp: number | null = null;
  for (const m of measured) {
    const h = m.analyzer.histograms();
    gating.merge(h.gating);
    shortTerm.merge(h.shortTerm);
    if (m.report.truePeakDbtp !== null) tp = Math.max(tp ?? -Infinity, m.report.truePeakDbtp);
  }
  const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
  return { integratedLufs: r2(gating.gatedLufs()), loudnessRangeLu: r2(shortTerm.loudnessRange()), truePeakDbtp: tp };
}

const num = (x: number | null, unit = '') => (x === null ? '-' : `${x.toFixed(1)}${unit}`);

export async function analyze(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals: files } = parseCommand(args, { json: { type: 'boolean' } });
  const json = values.json === true;
  if (files.length === 0) {
    out(ANALYZE_HELP);
    return 64;
  }
  const measured: Measured[] = [];
  for (const f of files) {
    if (extname(f).toLowerCase() === '.json') measured.push(...(await analyzeAlbum(f)));
    else measured.push(await analyzeFile(f));
  }
  const album = albumSummary(measured);
  if (json) {
    out(JSON.stringify({ tracks: measured.map((m) => m.report), album }, null, 2));
    return 0;
  }
  out(
    table(
      ['File', 'Rate', 'Bits', 'Length', 'I LUFS', 'LRA LU', 'TP dBTP', 'Peak dBFS', 'M max', 'S max', 'PLR dB'],
      measured.map(({ report: r }) => [
        r.file,
        `${r.rateHz}`,
        `${r.bitDepth}${r.sampleFormat === 'float' ? 'f' : ''}`,
        `${r.durationSec.toFixed(1)} s`,
        num(r.integratedLufs),
        num(r.loudnessRangeLu),
        num(r.truePeakDbtp),
        num(r.samplePeakDbfs),
        num(r.maxMomentaryLufs),
        num(r.maxShortTermLufs),
        num(r.plrDb)
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right']
    )
  );
  out(`\nAlbum: ${num(album.integratedLufs, ' LUFS')} integrated, ${num(album.loudnessRangeLu, ' LU')} LRA, ${num(album.truePeakDbtp, ' dBTP')} true peak`);
  for (const { report: r } of measured) {
    for (const c of r.checks) out(`${c.severity.padEnd(7)} ${r.file}: ${c.message}`);
  }
  return 0;
}
