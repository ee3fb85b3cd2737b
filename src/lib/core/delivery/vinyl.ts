/**
 * The vinyl pre-master: one continuous 24-bit WAV per side at the album rate, pauses kept, a cue
 * point (`cue ` with `LIST/adtl` labels) at each track start; each side measured and checked; and
 * a printable cut sheet.
 */
import type { Album } from '../album/model';
import { LatheError } from '../errors';
import { Analyzer } from '../analysis/analyzer';
import { VinylMeter, type VinylCheck } from '../analysis/vinyl-checks';
import { wavHeader } from '../audio/wav';
import { BlockQuantizer, renderToSinks, type ProgrammeSink, type RenderHooks, type SourceFormat } from '../render/engine';
import type { ClipReader } from '../render/readers';
import type { NoiseShaping } from '../dsp/dither';
import { layoutAlbum } from '../album/timeline';
import { vinylChain, vinylFormat, vinylSettings, vinylSides, trackSpans, type Side } from '../album/vinyl';
import { bextChunk, infoChunk, trackTags } from './tags';
import { escapeHtml } from './pqsheet';
import { safeName } from './masters';
import type { OutputFolder } from './cd';

export interface VinylTrack {
  code: string;
  title: string;
  startSec: number;
  endSec: number;
  durationSec: number;
}

export interface VinylSideReport {
  letter: string;
  file: string;
  durationSec: number;
  recommendedSec: number;
  maxSec: number;
  overRecommended: boolean;
  overMax: boolean;
  levelDb: number | null;
  integratedLufs: number | null;
  truePeakDbtp: number | null;
  tracks: VinylTrack[];
  checks: VinylCheck[];
}

export interface VinylReport {
  format: string;
  rateHz: number;
  chain: string[];
  sides: VinylSideReport[];
}

export interface VinylOptions {
  shaping: NoiseShaping;
  seed: number;
  createdIso: string;
  readsAtRenderRate?: boolean;
}

const utf8 = new TextEncoder();

/** `cue ` chunk data: one point per track start, sample offsets into the data chunk. */
export function cueChunk(offsets: number[]): Uint8Array {
  const out = new Uint8Array(4 + 24 * offsets.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, offsets.length, true);
  offsets.forEach((o, i) => {
    const p = 4 + 24 * i;
    v.setUint32(p, i + 1, true);
    v.setUint32(p + 4, o, true);
    out.set(utf8.encode('data'), p + 8);
    v.setUint32(p + 20, o, true);
  });
  return out;
}

/** `LIST` chunk data of type `adtl`: a `labl` per cue point. */
export function adtlChunk(labels: string[]): Uint8Array {
  const parts = labels.map((l, i) => {
    const text = utf8.encode(`${l}\0`);
    const body = new Uint8Array(4 + text.length);
    new DataView(body.buffer).setUint32(0, i + 1, true);
    body.set(text, 4);
    return body;
  });
  const out = new Uint8Array(4 + parts.reduce((n, b) => n + 8 + b.length + (b.length & 1), 0));
  const v = new DataView(out.buffer);
  out.set(utf8.encode('adtl'), 0);
  let p = 4;
  for (const b of parts) {
    out.set(utf8.encode('labl'), p);
    v.setUint32(p + 4, b.length, true);
    out.set(b, p + 8);
    p += 8 + b.length + (b.length & 1);
  }
  return out;
}

function chainNotes(album: Album): string[] {
  const s = vinylSettings(album);
  const notes = [];
  if (s.ellipticalHz) notes.push(`elliptical EQ: Side high-passed below ${s.ellipticalHz} Hz`);
  if (s.monoBelowHz) notes.push(`mono below ${s.monoBelowHz} Hz`);
  if (s.highPassHz) notes.push(`high-pass at ${s.highPassHz} Hz`);
  notes.push(s.limiter ? 'master chain as delivered, final limiter included' : 'master chain without its final limiter');
  return notes;
}

export async function deliverVinyl(album: Album, formats: Map<string, SourceFormat>, read: ClipReader, out: OutputFolder, options: VinylOptions, hooks: RenderHooks = {}): Promise<VinylReport> {
  const { album: cut, sink } = vinylSink(album, out, options);
  const [report] = await renderToSinks(cut, formats, read, { readsAtRenderRate: options.readsAtRenderRate }, [sink], hooks);
  return report as VinylReport;
}

/** The sides made from the mix as it goes by; mixed from `album` (the cut's chain, at the album rate). */
export function vinylSink(album: Album, out: OutputFolder, options: VinylOptions): { album: Album; sink: ProgrammeSink<VinylReport> } {
  if (album.tracks.length === 0) throw new LatheError('no-tracks', 'the album has no tracks to cut.');
  const settings = vinylSettings(album);
  const format = vinylFormat(settings.format);
  const sides: Side[] = vinylSides(album, settings);
  const cut = { ...album, masterChain: vinylChain(album.masterChain, settings) };
  const layout = layoutAlbum(cut);
  const spans = trackSpans(cut, layout);
  const rate = album.rateHz;
  const base = safeName(album.catalog || album.title || 'album');
  const files = sides.map((s) => `${base} Side ${s.letter} ${rate / 1000}k 24-bit.wav`);
  const meters = sides.map(() => new VinylMeter(rate));
  const loud = sides.map(() => new Analyzer({ rateHz: rate, channels: 2, bitDepth: 24, sampleFormat: 'int' }));
  const [date, time] = [options.createdIso.slice(0, 10), options.createdIso.slice(11, 19)];
  let open: { side: number; file: Awaited<ReturnType<OutputFolder['openFile']>>; left: number } | null = null;
  const openSide = async (i: number) => {
    const s = sides[i];
    const frames = s.endSamples - s.startSamples;
    const offsets = s.trackIndexes.map((t) => spans[t].startSamples - s.startSamples);
    const labels = s.trackIndexes.map((t, k) => `${s.letter}${k + 1} ${album.tracks[t].title}`);
    const tags = { ...trackTags(album, s.trackIndexes[0]), title: `Side ${s.letter}`, isrc: '' };
    const header = wavHeader({
      rateHz: rate, channels: 2, encoding: 's24le', frames,
      bext: bextChunk(tags, { date, time, timeReferenceSamples: s.startSamples, rateHz: rate, bits: 24 }),
      extraChunks: [{ id: 'cue ', data: cueChunk(offsets) }, { id: 'LIST', data: adtlChunk(labels) }, { id: 'LIST', data: infoChunk(tags) }]
    });
    const file = await out.openFile(`vinyl/${files[i]}`);
    await file.write(header);
    return { side: i, file, left: frames };
  };
  const quantizer = new BlockQuantizer(24, { dither: true, shaping: options.shaping, seed: options.seed });
  let writing: Promise<void> = Promise.resolve();
  const write = async (bytes: Uint8Array, n: number, from: number) => {
    const bpf = bytes.length / n;
    for (let i = 0; i < sides.length; i++) {
      const a = Math.max(from, sides[i].startSamples);
      const b = Math.min(from + n, sides[i].endSamples);
      if (b <= a) continue;
      if (open?.side !== i) {
        if (open) await open.file.close();
        open = await openSide(i);
      }
      await open.file.write(bytes.subarray((a - from) * bpf, (b - from) * bpf));
      open.left -= b - a;
    }
  };
  const sink: ProgrammeSink<VinylReport> = {
    totalSamples: layout.totalSamples,
    async block(planar, n, from, untouchedBits) {
      for (let i = 0; i < sides.length; i++) {
        const a = Math.max(from, sides[i].startSamples);
        const b = Math.min(from + n, sides[i].endSamples);
        if (b <= a) continue;
        const part = a === from && b === from + n ? planar : planar.map((c) => c.subarray(a - from, b - from));
        meters[i].process(part, b - a);
        loud[i].process(part, b - a);
      }
      const { bytes } = quantizer.quantize(planar, n, quantizer.processedMask(untouchedBits, n));
      await writing;
      writing = write(bytes, n, from);
    },
    finish: async () => {
      await writing;
      return finishVinyl();
    }
  };
  const finishVinyl = async (): Promise<VinylReport> => {
    if (open) await (open as { file: { close(): Promise<void> } }).file.close();
    const report: VinylReport = {
      format: format.name,
      rateHz: rate,
      chain: chainNotes(album),
      sides: sides.map((s, i) => {
        const a = loud[i].finish();
        return {
          letter: s.letter,
          file: `vinyl/${files[i]}`,
          durationSec: Math.round(s.durationSec * 100) / 100,
          recommendedSec: format.recommendedSec,
          maxSec: format.maxSec,
          overRecommended: s.overRecommended,
          overMax: s.overMax,
          levelDb: s.levelDb,
          integratedLufs: a.integratedLufs,
          truePeakDbtp: a.truePeakDbtp,
          tracks: s.trackIndexes.map((t, k) => {
            const start = (spans[t].startSamples - s.startSamples) / rate;
            const end = (spans[t].endSamples - s.startSamples) / rate;
            return { code: `${s.letter}${k + 1}`, title: album.tracks[t].title, startSec: round2(start), endSec: round2(end), durationSec: round2(end - start) };
          }),
          checks: meters[i].finish()
        };
      })
    };
    await out.writeFile('vinyl/cut-sheet.html', cutSheet(album, report, options.createdIso));
    await out.writeFile('vinyl/report.json', `${JSON.stringify(report, null, 2)}\n`);
    return report;
  };
  return { album: cut, sink };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** M:SS.ss, the way cut sheets give times. */
export function clock(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = sec - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
}

/** The printable cut sheet: catalog, artist, title, format, per side its tracks, totals, level, EQ notes and checks. */
export function cutSheet(album: Album, r: VinylReport, createdIso: string): string {
  const e = escapeHtml;
  const sides = r.sides
    .map((s) => {
      const rows = s.tracks.map((t) => `<tr><td>${e(t.code)}</td><td>${e(t.title)}</td><td class="n">${clock(t.startSec)}</td><td class="n">${clock(t.endSec)}</td><td class="n">${clock(t.durationSec)}</td></tr>`).join('\n');
      const checks = s.checks
        .map((c) => `<li class="${c.ok ? 'ok' : 'bad'}">${c.ok ? 'OK' : 'CHECK'} · ${e(c.label)}: ${c.value === null ? '–' : `${c.value}${c.unit ? ` ${e(c.unit)}` : ''}`} (limit ${c.limit}${c.unit ? ` ${e(c.unit)}` : ''})${c.atSec !== null && !c.ok ? ` at ${clock(c.atSec)}` : ''}</li>`)
        .join('\n');
      const time = `${clock(s.durationSec)} of ${clock(s.recommendedSec)} recommended, ${clock(s.maxSec)} maximum${s.overMax ? ' — OVER THE MAXIMUM' : s.overRecommended ? ' — over the recommended time' : ''}`;
      return `<section class="side"><h2>Side ${e(s.letter)}</h2>
<p>${e(s.file)} · ${e(time)}</p>
<p>Level the cut carries at this length: ${s.levelDb === null ? 'no published figure for this format' : `${s.levelDb > 0 ? '+' : ''}${s.levelDb.toFixed(1)} dB against the reference`} · loudness ${s.integratedLufs === null ? '–' : `${s.integratedLufs.toFixed(1)} LUFS`} · true peak ${s.truePeakDbtp === null ? '–' : `${s.truePeakDbtp.toFixed(1)} dBTP`}</p>
<table><thead><tr><th></th><th>Title</th><th class="n">Start</th><th class="n">End</th><th class="n">Duration</th></tr></thead><tbody>
${rows}
</tbody><tfoot><tr><td></td><td>Side total</td><td></td><td></td><td class="n">${clock(s.durationSec)}</td></tr></tfoot></table>
<ul class="checks">${checks}</ul></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cut sheet: ${e(album.artist)} – ${e(album.title)}</title>
<style>
body { font: 12px system-ui, sans-serif; margin: 24px; color: #111; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; } th, td { border-bottom: 1px solid #ccc; padding: 3px 6px; text-align: left; }
.n { text-align: right; font-variant-numeric: tabular-nums; } .bad { color: #a40; font-weight: 600; } .checks { list-style: none; padding: 0; }
.side { break-inside: avoid; margin-top: 18px; }
@media print { body { margin: 12mm; } .side { page-break-inside: avoid; } }
</style></head><body>
<h1>Cut sheet</h1>
<p><strong>${e(album.artist)} – ${e(album.title)}</strong> · catalog ${e(album.catalog || '–')} · ${e(r.format)} · ${r.rateHz / 1000} kHz 24-bit · ${e(createdIso.slice(0, 10))}</p>
<p>Chain: ${r.chain.map(e).join('; ')}.</p>
${sides}
</body></html>
`;
}
