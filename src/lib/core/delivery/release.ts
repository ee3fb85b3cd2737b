/**
 * One render, every variant: the CD (DDP, CUE/BIN, PQ sheet), the streaming masters and the hi-res
 * masters into their folders, and a release report (report.json, report.html) listing every file
 * with its format, loudness, true peak and SHA-256.
 */
import type { Album } from '../album/model';
import { LatheError } from '../errors';
import { sha256Stream, type HashFactory } from '../hash';
import { hiresRate, hiresSettings, streamingRateHz, streamingSettings, type VariantId } from '../album/variants';
import { BLOCK_FRAMES, renderToSinks, type ProgrammeSink, type RenderHooks, type SourceFormat } from '../render/engine';
import type { ClipReader } from '../render/readers';
import { cdSink, type CdReport, type OutputFolder } from './cd';
import { vinylSink, type VinylReport } from './vinyl';
import { masterProgramme, masterSink, type MasterOptions, type MasterRender, type MasterReport } from './masters';
import { escapeHtml } from './pqsheet';
import type { LossyCodec } from './codec-check';
import { afclipText } from '../analysis/overs';
import { deliverAdm, type AdmReport } from '../spatial/adm';
import { stereoFoldDown, type SpatialSource } from '../spatial/render';

/** The masters' options, and what only the release needs. */
export interface ReleaseOptions extends MasterOptions {
  variants: VariantId[];
  baseName: string;
  /** Lossy codecs for the streaming masters' round-trip check (where the host has them). */
  codecs?: LossyCodec[];
  /** Names a source in messages (the hi-res check). */
  nameOf?: (assetId: string) => string;
  /** Every channel of the clips at a rate, for the ADM master (where the host reads multichannel sources). */
  spatial?: (rateHz: number) => SpatialSource;
}

export interface ReleaseFile {
  path: string;
  bytes: number;
  sha256: string;
  format?: string;
  track?: number;
  title?: string;
  rateHz?: number;
  bits?: number;
  integratedLufs?: number | null;
  truePeakDbtp?: number | null;
}

export interface ReleaseReport {
  title: string;
  artist: string;
  upc: string;
  createdIso: string;
  cd?: CdReport;
  streaming?: MasterReport[];
  hires?: MasterReport;
  vinyl?: VinylReport;
  adm?: AdmReport;
  /** Variants asked for that could not be made, and why. */
  skipped: { variant: VariantId; reason: string }[];
  /** The mixes made: variants that share a rate, positions, chain and gain share one. */
  renders?: { rateHz: number; variants: number }[];
  files: ReleaseFile[];
}

/** Hashes every byte written through it, per file. */
function hashingFolder(out: OutputFolder, prefix: string, sha: HashFactory, files: Map<string, { bytes: number; sha256: string }>): OutputFolder {
  return {
    async writeFile(path, data) {
      const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      const h = await sha();
      h.update(bytes);
      await out.writeFile(`${prefix}${path}`, bytes);
      files.set(`${prefix}${path}`, { bytes: bytes.length, sha256: h.hex() });
    },
    async openFile(path) {
      const f = await out.openFile(`${prefix}${path}`);
      const h = await sha();
      let n = 0;
      return {
        async write(bytes) {
          h.update(bytes);
          n += bytes.length;
          await f.write(bytes);
        },
        async close() {
          await f.close();
          files.set(`${prefix}${path}`, { bytes: n, sha256: h.hex() });
        }
      };
    }
  };
}

/** What each asked-for variant renders, with the reasons for those that cannot be made. */
export function releasePlan(album: Album, variants: VariantId[], sourceRateHz: (assetId: string) => number, nameOf?: (id: string) => string, codecs: LossyCodec[] = []) {
  const skipped: ReleaseReport['skipped'] = [];
  const streaming: MasterRender[] = [];
  let hires: MasterRender | null = null;
  if (variants.includes('streaming')) {
    const s = streamingSettings(album);
    const rate = streamingRateHz(album.rateHz);
    const sets: MasterRender['sets'] = [{ dir: 'streaming/24-bit', bits: 24, formats: s.formats }];
    const cd16 = { dir: 'streaming/16-bit', bits: 16 as const, formats: s.formats };
    if (s.cd16 && rate === 44_100) sets.push(cd16);
    streaming.push({ rateHz: rate, sets, targetLufs: s.targetLufs, ...(s.codecCheck && codecs.length ? { codecs } : {}) });
    if (s.cd16 && rate !== 44_100) streaming.push({ rateHz: 44_100, sets: [cd16], targetLufs: s.targetLufs });
  }
  if (variants.includes('hires')) {
    const r = hiresRate(album, sourceRateHz, nameOf);
    if ('reason' in r) skipped.push({ variant: 'hires', reason: r.reason });
    else hires = { rateHz: r.rateHz, sets: [{ dir: 'hires', bits: 24, formats: hiresSettings(album).formats }], targetLufs: null };
  }
  const adm = variants.includes('adm') && album.immersive !== undefined;
  if (variants.includes('adm') && !adm) skipped.push({ variant: 'adm', reason: 'the album is not immersive; an ADM master is made from beds and objects.' });
  return { cd: variants.includes('cd'), streaming, hires, vinyl: variants.includes('vinyl'), adm, skipped };
}

export async function deliverRelease(album: Album, formats: Map<string, SourceFormat>, read: ClipReader, out: OutputFolder, options: ReleaseOptions, hooks: RenderHooks = {}): Promise<ReleaseReport> {
  const plan = releasePlan(album, options.variants, (id) => formats.get(id)?.rateHz ?? album.rateHz, options.nameOf, options.codecs);
  if (plan.adm && !options.spatial) throw new LatheError('unsupported', 'this host cannot read every channel of the sources; the ADM master is made by the command line.');
  if (!plan.cd && !plan.streaming.length && !plan.hires && !plan.vinyl && !plan.adm) throw new LatheError('bad-variant', `nothing to render: ${plan.skipped.map((s) => `${s.variant}: ${s.reason}`).join(' ')}`);
  const sha = options.sha256 ?? sha256Stream;
  const hashed = new Map<string, { bytes: number; sha256: string }>();
  const folder = (prefix: string) => hashingFolder(out, prefix, sha, hashed);
  const readsAtRenderRate = !!options.readerFor;
  // An immersive album's stereo variants are made from its Lo/Ro fold-down, through the master chain.
  if (album.immersive && (plan.cd || plan.streaming.length || plan.hires || plan.vinyl) && !options.spatial) {
    throw new LatheError('unsupported', 'this host cannot read every channel of the sources, which the stereo fold-down of an immersive album needs.');
  }
  const foldDown = album.immersive && options.spatial ? (mixed: Album) => stereoFoldDown(mixed, (options.spatial as (rateHz: number) => SpatialSource)(mixed.rateHz), BLOCK_FRAMES) : undefined;
  const readerAt = (rateHz: number) => options.readerFor?.(rateHz) ?? read;
  // The progress bar: the loudness measurements for targets first, then one share per mix, by its rate.
  const measuring = plan.streaming.filter((s) => s.targetLufs !== null).map((s) => s.rateHz);
  const admRate = album.rateHz === 96_000 ? 96_000 : 48_000;
  const rendering = [...(plan.cd ? [44_100] : []), ...plan.streaming.map((s) => s.rateHz), ...(plan.hires ? [plan.hires.rateHz] : []), ...(plan.vinyl ? [album.rateHz] : []), ...(plan.adm ? [admRate] : [])];
  const measureShare = measuring.reduce((a, b) => a + b, 0) / [...measuring, ...rendering].reduce((a, b) => a + b, 0);
  let measured = 0;

  // Variants mixed alike (rate, positions, master chain, gain) share one read and one mix.
  const groups = new Map<string, { album: Album; postGainDb: number; sinks: ProgrammeSink[] }>();
  const join = (positions: 'cd' | 'album', mixed: Album, postGainDb: number, sink: ProgrammeSink) => {
    const key = `${mixed.rateHz} ${positions} ${postGainDb} ${JSON.stringify(mixed.masterChain)}`;
    const g = groups.get(key) ?? { album: mixed, postGainDb, sinks: [] };
    g.sinks.push(sink);
    groups.set(key, g);
  };
  const report: ReleaseReport = { title: album.title, artist: album.artist, upc: album.upc, createdIso: options.createdIso, skipped: plan.skipped, files: [] };
  const sinks: { cd?: ProgrammeSink<CdReport>; streaming: ProgrammeSink<MasterReport>[]; hires?: ProgrammeSink<MasterReport>; vinyl?: ProgrammeSink<VinylReport> } = { streaming: [] };
  const finished = new Map<ProgrammeSink, unknown>();
  const reportOf = <R>(sink: ProgrammeSink<R>) => finished.get(sink) as R;
  let cdAlbum: Album | null = null;
  if (plan.cd) {
    const cd = await cdSink(album, folder('cd/'), { baseName: options.baseName, shaping: options.shaping, seed: options.seed, createdIso: options.createdIso, readsAtRenderRate, md5: options.md5 });
    cdAlbum = cd.album;
    join('cd', cd.album, 0, cd.sink);
    sinks.cd = cd.sink;
  }
  const masters = async (spec: MasterRender) => {
    // A 44.1 kHz master at the album's own loudness is the CD's mix: its 16-bit set is the CD's audio.
    const positions = spec.rateHz === 44_100 && spec.targetLufs === null && cdAlbum ? cdAlbum : undefined;
    const weight = spec.targetLufs === null ? 0 : (measureShare * spec.rateHz) / measuring.reduce((a, b) => a + b, 0);
    const base = measured;
    measured += weight;
    const programme = await masterProgramme(album, formats, spec, { read: readerAt(spec.rateHz), readsAtRenderRate, mix: foldDown }, { signal: hooks.signal, onProgress: (f) => hooks.onProgress?.(base + f * weight) }, positions);
    const sink = masterSink(album, programme, folder(''), spec, options);
    join(positions ? 'cd' : 'album', programme.album, programme.postGainDb, sink);
    return sink;
  };
  for (const s of plan.streaming) sinks.streaming.push(await masters(s));
  if (plan.hires) sinks.hires = await masters(plan.hires);
  if (plan.vinyl) {
    const v = vinylSink(album, folder(''), { shaping: options.shaping, seed: options.seed, createdIso: options.createdIso, readsAtRenderRate });
    join('album', v.album, 0, v.sink);
    sinks.vinyl = v.sink;
  }
  const total = [...groups.values()].reduce((a, g) => a + g.album.rateHz, 0) + (plan.adm ? admRate : 0);
  let done = measureShare;
  for (const g of groups.values()) {
    const weight = ((1 - measureShare) * g.album.rateHz) / total;
    const base = done;
    done += weight;
    const reports = await renderToSinks(g.album, formats, readerAt(g.album.rateHz), { readsAtRenderRate, gainDb: g.postGainDb, ...(foldDown ? { mix: foldDown(g.album) } : {}) }, g.sinks, {
      signal: hooks.signal,
      onProgress: (f) => hooks.onProgress?.(base + f * weight)
    });
    g.sinks.forEach((sink, i) => finished.set(sink, reports[i]));
  }
  if (plan.adm) {
    const weight = ((1 - measureShare) * admRate) / total;
    const base = done;
    report.adm = await deliverAdm(album, (options.spatial as (rateHz: number) => SpatialSource)(admRate), folder(''), { baseName: options.baseName, seed: options.seed }, { signal: hooks.signal, onProgress: (f) => hooks.onProgress?.(base + f * weight) });
  }
  report.renders = [...groups.values()].map((g) => ({ rateHz: g.album.rateHz, variants: g.sinks.length }));
  if (sinks.cd) report.cd = reportOf(sinks.cd);
  if (sinks.streaming.length) report.streaming = sinks.streaming.map(reportOf);
  if (sinks.hires) report.hires = reportOf(sinks.hires);
  if (sinks.vinyl) report.vinyl = reportOf(sinks.vinyl);
  const masterFiles = new Map<string, MasterReport['files'][number]>();
  for (const r of [...(report.streaming ?? []), ...(report.hires ? [report.hires] : [])]) for (const f of r.files) masterFiles.set(f.path, f);
  const checked = (report.streaming ?? []).flatMap((s) => s.codecCheck ?? []);
  if (checked.length) {
    const text = checked.map((c) => `Track ${c.track} ${album.tracks[c.track - 1].title}, ${c.label}\n${afclipText(c.overs)}\n`).join('\n');
    await hashingFolder(out, '', sha, hashed).writeFile('streaming/codec-check.txt', text);
  }
  const cdTracks = report.cd?.tracks ?? [];
  report.files = [...hashed].sort(([a], [b]) => a.localeCompare(b)).map(([path, h]) => {
    const m = masterFiles.get(path);
    const side = report.vinyl?.sides.find((v) => v.file === path);
    if (side) return { path, ...h, format: 'wav', title: `Side ${side.letter}`, rateHz: album.rateHz, bits: 24, integratedLufs: side.integratedLufs, truePeakDbtp: side.truePeakDbtp };
    if (report.adm && path === report.adm.file) return { path, ...h, format: 'adm-bwf', rateHz: report.adm.rateHz, bits: 24, integratedLufs: report.adm.integratedLkfs, truePeakDbtp: report.adm.truePeakDbtp };
    if (report.adm && path === report.adm.stereoFile) return { path, ...h, format: 'wav', title: 'Stereo master (Lo/Ro)', rateHz: report.adm.rateHz, bits: 24, integratedLufs: report.adm.stereo.integratedLufs, truePeakDbtp: report.adm.stereo.truePeakDbtp };
    if (m) return { path, ...h, format: m.format, track: m.track, title: album.tracks[m.track - 1].title, rateHz: m.rateHz, bits: m.bits, integratedLufs: m.integratedLufs, truePeakDbtp: m.truePeakDbtp };
    if (path === 'cd/DDP/IMAGE.DAT' || path.endsWith('.bin')) {
      const loudest = cdTracks.map((t) => t.truePeakDbtp).filter((x): x is number => x !== null);
      return { path, ...h, format: path.endsWith('.bin') ? 'bin' : 'ddp-image', rateHz: 44_100, bits: 16, truePeakDbtp: loudest.length ? Math.max(...loudest) : null };
    }
    return { path, ...h };
  });
  await out.writeFile('report.json', `${JSON.stringify(report, null, 2)}\n`);
  await out.writeFile('report.html', releaseHtml(report));
  return report;
}

const fmt = (x: number | null | undefined, unit: string) => (x === null || x === undefined ? '–' : `${x.toFixed(1)} ${unit}`);

/** The release report as a page: per variant, per file. All text escaped. */
export function releaseHtml(r: ReleaseReport): string {
  const e = escapeHtml;
  const rows = r.files
    .map((f) => `<tr><td>${e(f.path)}</td><td>${f.track ? `${f.track} ${e(f.title ?? '')}` : ''}</td><td>${e(f.format ?? '')}</td><td class="n">${f.rateHz ? `${f.rateHz / 1000} kHz` : ''}</td><td class="n">${f.bits ? `${f.bits}-bit` : ''}</td><td class="n">${e(fmt(f.integratedLufs, 'LUFS'))}</td><td class="n">${e(fmt(f.truePeakDbtp, 'dBTP'))}</td><td class="n">${f.bytes}</td><td class="h">${e(f.sha256)}</td></tr>`)
    .join('\n');
  const variants = [
    r.cd ? `<li>CD: ${r.cd.tracks.length} tracks, lead-out at sector ${r.cd.leadOutFrame}, IMAGE.DAT MD5 ${e(r.cd.imageMd5)}</li>` : '',
    ...(r.streaming ?? []).map((s) => `<li>Streaming at ${s.rateHz / 1000} kHz: album ${e(fmt(s.album.integratedLufs, 'LUFS'))}, ${e(fmt(s.album.truePeakDbtp, 'dBTP'))}; gain ${s.gainDb.toFixed(2)} dB${s.gainAt === 'limiter' ? ' into the master limiter' : s.gainAt === 'after-master' ? ' after the master chain' : ''}</li>`),
    r.vinyl ? `<li>Vinyl, ${e(r.vinyl.format)}: ${r.vinyl.sides.map((v) => `side ${e(v.letter)} ${Math.floor(v.durationSec / 60)}:${String(Math.round(v.durationSec % 60)).padStart(2, '0')}${v.overMax ? ' (over the maximum)' : v.overRecommended ? ' (over the recommended time)' : ''}, ${v.checks.filter((c) => !c.ok).length} checks to look at`).join('; ')}; see vinyl/cut-sheet.html</li>` : '',
    r.adm ? `<li>ADM BWF (Dolby Atmos Master profile): ${r.adm.channels} channels, ${r.adm.bed ? `a ${e(r.adm.bed)} bed and ` : ''}${r.adm.objects} objects at ${r.adm.rateHz / 1000} kHz; Apple Music: ${r.adm.apple.map((a) => `${e(a.label)} (${e(a.limit)}) ${a.ok ? 'ok' : 'NOT MET'}`).join('; ')}</li>` : '',
    r.hires ? `<li>Hi-res at ${r.hires.rateHz / 1000} kHz: album ${e(fmt(r.hires.album.integratedLufs, 'LUFS'))}, ${e(fmt(r.hires.album.truePeakDbtp, 'dBTP'))}</li>` : '',
    ...r.skipped.map((s) => `<li class="skip">${e(s.variant)} not made: ${e(s.reason)}</li>`)
  ].join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Release report: ${e(r.artist)} – ${e(r.title)}</title>
<style>
body { font: 12px system-ui, sans-serif; margin: 24px; color: #111; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #ccc; padding: 3px 6px; text-align: left; }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } .h { font-family: monospace; font-size: 10px; }
.skip { color: #a40; }
@media print { body { margin: 10mm; } }
</style></head><body>
<h1>${e(r.artist)} – ${e(r.title)}</h1>
<p>UPC/EAN ${e(r.upc || '–')} · made ${e(r.createdIso)}</p>
<ul>${variants}</ul>
${codecHtml(r)}
<table><thead><tr><th>File</th><th>Track</th><th>Format</th><th class="n">Rate</th><th class="n">Depth</th><th class="n">Loudness</th><th class="n">True peak</th><th class="n">Bytes</th><th>SHA-256</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}

function codecHtml(r: ReleaseReport): string {
  const e = escapeHtml;
  const rows = (r.streaming ?? []).flatMap((s) => s.codecCheck ?? []);
  if (!rows.length) return '';
  const body = rows
    .map((c) => {
      const overs = c.overs.totals.map((t) => `${t.onSample}/${t.interSample}`).join(' · ');
      return `<tr class="${c.clearingGainDb !== null ? 'skip' : ''}"><td>${c.track}</td><td>${e(c.label)}</td><td class="n">${e(fmt(c.masterTruePeakDbtp, 'dBTP'))}</td><td class="n">${e(fmt(c.decodedTruePeakDbtp, 'dBTP'))}</td><td class="n">${overs}</td><td class="n">${c.loudnessChangeLu === null ? '–' : `${c.loudnessChangeLu.toFixed(2)} LU`}</td><td>${c.clearingGainDb !== null ? `overs after encoding: ${c.clearingGainDb.toFixed(1)} dB would clear them` : 'no overs'}</td></tr>`;
    })
    .join('\n');
  return `<h2>Codec round trip</h2>
<p>Each streaming master encoded as the platforms encode it and decoded again, unclamped. Overs: on-sample/inter-sample per channel, as afclip counts them (the list is in streaming/codec-check.txt).</p>
<table><thead><tr><th>Track</th><th>Codec</th><th class="n">Master TP</th><th class="n">Decoded TP</th><th class="n">Overs L · R</th><th class="n">Loudness change</th><th></th></tr></thead><tbody>
${body}
</tbody></table>`;
}
