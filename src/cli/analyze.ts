import { extname } from 'node:path';
import { Analyzer, type Analysis } from '../lib/core/analysis/analyzer';
import { mixChecks, playbackChecks, type Check } from '../lib/core/analysis/checks';
import { albumLoudness, type AlbumLoudness } from '../lib/core/analysis/album';
import { measureCdMaster } from '../lib/core/delivery/cd-measure';
import type { SourceFormat } from '../lib/core/render/engine';
import type { ClipReader } from '../lib/core/render/readers';
import type { PcmInfo } from '../lib/core/audio/wav';
import type { Album } from '../lib/core/album/model';
import { readPcmInfo } from '../lib/core/audio/sniff';
import { readFrames } from '../lib/core/audio/reader';
import { layoutAlbum } from '../lib/core/album/timeline';
import { LatheError } from '../lib/core/errors';
import { WindowMixer } from '../lib/core/render/mix';
import { resamplingReader } from '../lib/core/render/resampling-reader';
import { fileSource } from './node-source';
import { loadAlbumFile } from './album-file';
import { table } from './table';
import { previewPlatforms, type AlbumPreview, type Preview } from '../lib/core/delivery/platforms';
import { parseCommand, UsageError } from './args';
import { albumConsistency, consistencyTrack, type AlbumConsistency } from '../lib/core/analysis/consistency';

export const ANALYZE_HELP = `lathe analyze <file|album.json>... [--master] [--platforms] [--json]

Measures each WAV, BW64, RF64 or AIFF file (or each track of an album.json, as the album plays
it: clips, gains, fades and gaps applied): integrated loudness, loudness range, true peak
(BS.1770-4 Annex 2), sample peak, maximum momentary and short-term loudness, PLR, and the
mix-readiness checks; then the album as a whole (all tracks gated together).
--master also measures each album.json as the CD delivers it: laid out as the CD render lays it
out, at 44.1 kHz, through clip, track and master chains, each track from its INDEX 01 to where
the next begins (the figures report.json gives), and that album gated together.
--platforms previews each streaming platform's loudness normalization (Spotify, Apple Music,
YouTube, Tidal, Amazon Music, Deezer, SoundCloud): the gain it applies to each track and to the
album in album mode, the level the listener hears, and where the master misses its advice. For an
album.json it previews the master as delivered (so it implies --master); files are previewed
together as one album. Each platform's figures carry their source and the date they were taken.
Digital silence gives null loudness. Exit status: 0, 1 on bad input, 64 on bad usage.`;

const BLOCK = 65_536;

interface TrackReport extends Omit<Analysis, 'shortTermSeries' | 'blockEnergies' | 'shortTermEnergies' | 'spectrum'> {
  file: string;
  checks: Check[];
}

interface Measured {
  report: TrackReport;
  analysis: Analysis;
}

function report(file: string, analysis: Analysis, checks: Check[]): Measured {
  const { shortTermSeries: _series, blockEnergies: _b, shortTermEnergies: _s, spectrum: _sp, ...a } = analysis;
  return { report: { file, ...a, checks }, analysis };
}

export async function analyzeFile(path: string, options: { spectrum?: boolean } = {}): Promise<Measured> {
  const src = await fileSource(path, path);
  try {
    const info = await readPcmInfo(src);
    const analyzer = new Analyzer({ rateHz: info.rateHz, channels: info.channels, bitDepth: info.bitDepth, sampleFormat: info.sampleFormat, channelMask: info.channelMask }, { keepBlocks: true, spectrum: options.spectrum });
    const planar = Array.from({ length: info.channels }, () => new Float32Array(BLOCK));
    for (let start = 0; start < info.frames; start += BLOCK) {
      const n = await readFrames(src, info, start, Math.min(BLOCK, info.frames - start), planar);
      analyzer.process(planar, n);
    }
    const a = analyzer.finish();
    return report(path, a, mixChecks(a));
  } finally {
    await src.close();
  }
}

export interface OpenedAlbum {
  album: Album;
  formats: Map<string, SourceFormat>;
  /** Each source's header (channels, channel mask). */
  infos: Map<string, PcmInfo>;
  /** Clip audio at each source's own rate (the engine resamples). */
  read: ClipReader;
  bitDepth: number;
  close(): Promise<void>;
}

export async function openAlbum(path: string): Promise<OpenedAlbum> {
  const { album, sources } = await loadAlbumFile(path);
  const opened = new Map<string, { src: Awaited<ReturnType<typeof fileSource>>; info: PcmInfo }>();
  for (const s of sources.values()) {
    if (!s.info) throw new LatheError('unsupported', 'album analysis reads WAV, BW64, RF64 and AIFF sources.', { file: s.id });
    opened.set(s.id, { src: await fileSource(s.path, s.id), info: s.info });
  }
  const scratch = new Map<number, Float32Array[]>();
  const read: ClipReader = async (clip, start, count, dst) => {
    const o = opened.get(clip.assetId);
    if (!o) return;
    let buf = scratch.get(o.info.channels);
    if (!buf || buf[0].length < count) scratch.set(o.info.channels, (buf = Array.from({ length: o.info.channels }, () => new Float32Array(Math.max(BLOCK, count)))));
    for (const b of buf) b.fill(0, 0, count);
    await readFrames(o.src, o.info, start, count, buf);
    for (let c = 0; c < dst.length; c++) dst[c].set(buf[Math.min(c, o.info.channels - 1)].subarray(0, count));
  };
  const formats = new Map<string, SourceFormat>([...opened].map(([id, o]) => [id, { rateHz: o.info.rateHz, bitDepth: o.info.bitDepth, sampleFormat: o.info.sampleFormat }]));
  return {
    album,
    formats,
    infos: new Map([...opened].map(([id, o]) => [id, o.info])),
    read,
    bitDepth: Math.max(...[...opened.values()].map((o) => o.info.bitDepth)),
    close: async () => {
      for (const o of opened.values()) await o.src.close();
    }
  };
}

/** Each track as the album plays it: clips with gain and fades, from INDEX 01 to the next. */
async function analyzeMix(path: string, a: OpenedAlbum): Promise<Measured[]> {
  const { album } = a;
  const layout = layoutAlbum(album);
  const rate = album.rateHz;
  const mixer = new WindowMixer(2, BLOCK);
  const out = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
  // Sources at another rate than the album's are resampled as they are read.
  const read = resamplingReader(a.read, (id) => a.formats.get(id)?.rateHz ?? rate, rate);
  const results: Measured[] = [];
  for (const [i, placement] of layout.tracks.entries()) {
    const analyzer = new Analyzer({ rateHz: rate, channels: 2, bitDepth: a.bitDepth, sampleFormat: 'int' }, { keepBlocks: true, spectrum: true });
    for (let at = placement.index01Samples; at < placement.nextStartSamples; at += BLOCK) {
      const n = Math.min(BLOCK, placement.nextStartSamples - at);
      await mixer.mix(album, layout, at, n, out, read);
      analyzer.process(out, n);
    }
    const m = analyzer.finish();
    results.push(report(`${path}#${i + 1} ${album.tracks[i].title}`, m, playbackChecks(m)));
  }
  return results;
}

const num = (x: number | null, unit = '') => (x === null ? '-' : `${x.toFixed(1)}${unit}`);

function printTable(out: (s: string) => void, measured: Measured[]): void {
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
}

function printConsistency(out: (s: string) => void, file: string, c: AlbumConsistency): void {
  out(`\nAlbum consistency: ${file} (each track against the mean of the others, and its neighbours)`);
  out(
    table(
      ['#', 'Track', 'I vs album LU', 'I vs next to LU', 'S max vs album LU', 'Low dB', 'High dB', 'Width dB', 'PLR dB', 'LRA LU'],
      c.tracks.map((t) => {
        const d = t.vsAlbum;
        return [`${t.track}`, t.title, signed(d.loudnessLu), signed(t.vsNeighbours.loudnessLu), signed(d.shortTermLu), signed(d.lowDb), signed(d.highDb), signed(d.widthDb), signed(d.plrDb), signed(d.lraLu)];
      }),
      ['right', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right']
    )
  );
  if (c.findings.length === 0) out('consistent: no track stands out.');
  for (const f of c.findings) out(`outlier ${f.track} ${f.title}: ${f.message} Try: ${f.suggestion}`);
}

const signed = (x: number | null, unit = '') => (x === null ? '-' : `${x > 0 ? '+' : ''}${x.toFixed(1)}${unit}`);
const LIMITS: Record<Preview['limitedBy'], string> = {
  reference: '', peak: 'raise held by true peak', 'down-only': 'turns down only', 'no-normalization': 'does not normalize', silent: 'silent'
};

function printPlatforms(out: (s: string) => void, name: string, files: string[], previews: AlbumPreview[]): void {
  out(`\nPlatform loudness preview: ${name === 'files' ? 'the files as one album' : `${name} as delivered`}`);
  const rows: string[][] = [];
  for (const v of previews) {
    const ref = v.platform.referenceLufs === null ? 'none' : `${v.platform.referenceLufs}`;
    v.tracks.forEach((t, i) => {
      const a = v.album.tracks[i];
      rows.push([i === 0 ? v.platform.name : '', i === 0 ? ref : '', files[i], signed(t.gainDb), num(t.heardLufs), num(t.heardTruePeakDbtp), v.platform.albumMode ? signed(a.gainDb) : '-', v.platform.albumMode ? num(a.heardLufs) : '-', LIMITS[t.limitedBy]]);
    });
  }
  out(table(['Platform', 'Ref LUFS', 'Track', 'Gain dB', 'Heard LUFS', 'Heard dBTP', 'Album gain dB', 'Album heard LUFS', 'Note'], rows, ['left', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'left']));
  for (const v of previews) for (const a of v.advice) out(`advice  ${v.platform.name}: ${a}`);
  out('Sources (figures change; each as taken on its date):');
  for (const v of previews) out(`  ${v.platform.name}: ${v.platform.unofficial ? 'third-party only; ' : ''}${v.platform.source} (${v.platform.checkedOn})`);
}

export async function analyze(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals: files } = parseCommand(args, { json: { type: 'boolean' }, master: { type: 'boolean' }, platforms: { type: 'boolean' } });
  const platforms = values.platforms === true;
  const master = values.master === true || (platforms && files.some((f) => extname(f).toLowerCase() === '.json'));
  const json = values.json === true;
  if (files.length === 0) {
    out(ANALYZE_HELP);
    return 64;
  }
  const measured: Measured[] = [];
  const masters: { file: string; tracks: Measured[]; album: AlbumLoudness }[] = [];
  const consistency: { file: string; of: 'master' | 'mix'; result: AlbumConsistency }[] = [];
  const singles: Measured[] = [];
  for (const f of files) {
    if (extname(f).toLowerCase() !== '.json') {
      if (values.master) throw new UsageError(`--master measures album.json files; ${f} is a single file`);
      const one = await analyzeFile(f);
      measured.push(one);
      singles.push(one);
      continue;
    }
    const opened = await openAlbum(f);
    try {
      const mix = await analyzeMix(f, opened);
      measured.push(...mix);
      let heard = mix.map((m) => m.analysis);
      if (master) {
        const m = await measureCdMaster(opened.album, opened.formats, opened.read);
        masters.push({ file: f, tracks: m.tracks.map((t, i) => report(`${f}#${i + 1} ${opened.album.tracks[i].title}`, t, playbackChecks(t))), album: m.album });
        heard = m.tracks;
      }
      // The album as it will be heard: the master when it is measured, else the mix.
      if (heard.length > 1) consistency.push({ file: f, of: master ? 'master' : 'mix', result: albumConsistency(heard.map((a, i) => consistencyTrack(opened.album.tracks[i].title, a))) });
    } finally {
      await opened.close();
    }
  }
  const album = albumLoudness(measured.map((m) => m.analysis));
  // What the platforms are sent: the files as they are, each album as delivered.
  const previewed: { name: string; tracks: string[]; previews: AlbumPreview[] }[] = [];
  if (platforms) {
    if (singles.length) previewed.push({ name: 'files', tracks: singles.map((m) => m.report.file), previews: previewPlatforms(singles.map((m) => m.report), albumLoudness(singles.map((m) => m.analysis))) });
    for (const m of masters) previewed.push({ name: m.file, tracks: m.tracks.map((t) => t.report.file), previews: previewPlatforms(m.tracks.map((t) => t.report), m.album) });
  }
  if (json) {
    const doc: Record<string, unknown> = { tracks: measured.map((m) => m.report), album };
    if (master) doc.master = masters.map((m) => ({ file: m.file, tracks: m.tracks.map((t) => t.report), album: m.album }));
    if (consistency.length) doc.consistency = consistency.map((c) => ({ of: c.file, measured: c.of, ...c.result }));
    if (platforms) doc.platforms = previewed.map((p) => ({ of: p.name, platforms: p.previews.map((v) => ({ ...v, tracks: v.tracks.map((t, i) => ({ file: p.tracks[i], ...t })), album: { ...v.album, tracks: v.album.tracks.map((t, i) => ({ file: p.tracks[i], ...t })) } })) }));
    out(JSON.stringify(doc, null, 2));
    return 0;
  }
  printTable(out, measured);
  out(`\nAlbum: ${num(album.integratedLufs, ' LUFS')} integrated, ${num(album.loudnessRangeLu, ' LU')} LRA, ${num(album.truePeakDbtp, ' dBTP')} true peak`);
  for (const { report: r } of measured) {
    for (const c of r.checks) out(`${c.severity.padEnd(7)} ${r.file}: ${c.message}`);
  }
  for (const m of masters) {
    out(`\nMaster as the CD delivers it (44.1 kHz, every chain): ${m.file}`);
    printTable(out, m.tracks);
    out(`\nMaster album: ${num(m.album.integratedLufs, ' LUFS')} integrated, ${num(m.album.loudnessRangeLu, ' LU')} LRA, ${num(m.album.truePeakDbtp, ' dBTP')} true peak`);
    for (const { report: r } of m.tracks) for (const c of r.checks) out(`${c.severity.padEnd(7)} ${r.file} (master): ${c.message}`);
  }
  for (const c of consistency) printConsistency(out, `${c.file}, the ${c.of === 'master' ? 'master as delivered' : 'mix'}`, c.result);
  for (const p of previewed) printPlatforms(out, p.name, p.tracks, p.previews);
  return 0;
}
