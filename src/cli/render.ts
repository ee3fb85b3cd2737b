import { basename, dirname, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { deliverRelease } from '../lib/core/delivery/release';
import { parseVariants } from '../lib/core/album/variants';
import { readArtwork } from '../lib/core/metadata/artwork';
import { flacEncoder } from '../lib/codecs/flac';
import { LOSSY_CODECS } from '../lib/codecs/lossy';
import { clock } from '../lib/core/delivery/vinyl';
import { deliverCd } from '../lib/core/delivery/cd';
import { openAlbum } from './analyze';
import { spatialSource } from './spatial';
import type { PcmInfo } from '../lib/core/audio/wav';
import { CD_RATE_HZ } from '../lib/core/album/cd-layout';
import { BLOCK_FRAMES, type SourceFormat } from '../lib/core/render/engine';
import { LatheError } from '../lib/core/errors';
import { loadAlbumFile } from './album-file';
import { threadedClipReader, type ThreadedReader } from './threaded-reader';
import { parseCommand, UsageError } from './args';
import { nativeMd5, nodeSha256, writeWhole } from './node-folder';

export const RENDER_HELP = `lathe render <album.json> --variant cd|streaming|hires|vinyl|adm|all[,...] --out DIR [--shaping none|lipshitz] [--seed N]

--variant cd alone renders the CD into DIR: DDP/ (DDPID, DDPMS, PQDESCR, CDTEXT.BIN, IMAGE.DAT,
CHECKSUM.MD5), <name>.cue with <name>.bin, pq-sheet.html and report.json. Untouched 16-bit audio
passes bit-exact; processed audio gets seeded TPDF dither.
Several variants (or all) render into DIR/cd, DIR/streaming (one 24-bit WAV and FLAC per track at
the album's rate, 44.1 or 48 kHz, cut at each INDEX 01 so the files played in a row are the album;
tagged: title, artist, album, album artist, track and disc, ISRC, UPC, year, copyright, artwork;
album.json "variants.streaming" sets formats, a target loudness reached by one linear gain, and a
16-bit 44.1 kHz set) and DIR/hires (24-bit at the album's own rate when it and every source are at
88.2 kHz or above, never upsampled) and DIR/vinyl (one 24-bit WAV per side with cue points at
each track, a cut sheet, the side checks; album.json "variants.vinyl" sets the format, the sides
and the cutting chain) and, for an immersive album, DIR/adm (an ADM BWF for the Dolby Atmos Master
profile, BW64 24-bit at 48 or 96 kHz with chna and axml, the stereo Lo/Ro master from the same mix,
and Apple Music's limits checked in adm/report.json), with a release report, DIR/report.json and report.html:
every file with its format, loudness, true peak and SHA-256.
The same project gives the same bytes; the files' creation date is SOURCE_DATE_EPOCH when set.
Nothing is written unless all of it is: the folder appears only when the render is complete.
Exit status: 0, 1 on a problem, 64 on bad usage.`;

function progress() {
  let last = -1;
  return (f: number) => {
    const pct = Math.floor(f * 100);
    if (process.stderr.isTTY && pct !== last) process.stderr.write(`\rRendering ${pct}%`);
    last = pct;
  };
}

/** `onProgress` hears the render's progress (0..1), as a queue worker reports it; else a terminal shows it. */
export async function render(args: string[], out: (s: string) => void, hooks: { onProgress?: (fraction: number) => void } = {}): Promise<number> {
  const { values, positionals } = parseCommand(args, { variant: { type: 'string' }, out: { type: 'string' }, shaping: { type: 'string' }, seed: { type: 'string' } });
  const [albumPath, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}; render takes one album.json`);
  const target = values.out;
  if (!albumPath || !target) {
    out(RENDER_HELP);
    return 64;
  }
  const variants = parseVariants(values.variant ?? 'cd');
  const shaping = values.shaping ?? 'none';
  if (shaping !== 'none' && shaping !== 'lipshitz') throw new UsageError(`--shaping must be none or lipshitz, not "${shaping}"`);
  const seed = Number(values.seed ?? 1);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, not "${values.seed}"`);
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const createdIso = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000).toISOString() : new Date().toISOString();
  const { album, sources } = await loadAlbumFile(albumPath);
  const formats = new Map<string, SourceFormat>();
  const files: { id: string; path: string; info: PcmInfo }[] = [];
  for (const s of sources.values()) {
    if (!s.info) throw new LatheError('unsupported', 'the renderer reads WAV, BW64, RF64 and AIFF sources.', { file: s.id });
    formats.set(s.id, { rateHz: s.info.rateHz, bitDepth: s.info.bitDepth, sampleFormat: s.info.sampleFormat });
    files.push({ id: s.id, path: s.path, info: s.info });
  }
  const baseName = basename(albumPath).replace(/\.json$/i, '') || 'album';
  // Sources are read, decoded and resampled in a second thread, up to four blocks ahead of the mixer, one reader per rate.
  const readers = new Map<number, ThreadedReader>();
  const readerFor = (rateHz: number) => {
    let r = readers.get(rateHz);
    if (!r) readers.set(rateHz, (r = threadedClipReader({ sources: files, renderRateHz: rateHz, channels: 2, aheadFrames: 4 * BLOCK_FRAMES })));
    return r.read;
  };
  try {
    // An immersive album's CD is its Lo/Ro fold-down, made by the release path (every channel read).
    if (variants.length === 1 && variants[0] === 'cd' && !album.immersive) {
      const report = await writeWhole(target, (folder) =>
        deliverCd(album, formats, readerFor(CD_RATE_HZ), folder, { baseName, shaping, seed, createdIso, readsAtRenderRate: true, md5: nativeMd5 }, { onProgress: hooks.onProgress ?? progress() })
      );
      if (process.stderr.isTTY) process.stderr.write('\r');
      out(`Wrote ${target}: ${report.tracks.length} tracks, ${report.leadOutFrame} sectors, IMAGE.DAT MD5 ${report.imageMd5}`);
      return 0;
    }
    const artwork = album.artwork ? readArtwork(await readArtworkFile(albumPath, album.artwork), album.artwork) : undefined;
    // An immersive album (its ADM master and its stereo fold-down) is mixed from every channel of the beds and objects, read here (the threaded readers are stereo).
    const opened = album.immersive ? await openAlbum(albumPath) : null;
    let report;
    try {
      report = await writeWhole(target, (folder) =>
        deliverRelease(album, formats, readerFor(album.rateHz), folder, {
          variants, baseName, shaping, seed, createdIso, artwork, flac: flacEncoder, codecs: LOSSY_CODECS, sha256: nodeSha256, md5: nativeMd5, readerFor,
          ...(opened ? { spatial: (rateHz: number) => spatialSource(opened, rateHz) } : {})
        }, { onProgress: hooks.onProgress ?? progress() })
      );
    } finally {
      await opened?.close();
    }
    if (process.stderr.isTTY) process.stderr.write('\r');
    out(`Wrote ${target}: ${report.files.length} files`);
    const admReport = report.adm;
    if (admReport) {
      out(`  adm: ${plural(admReport.channels, 'channel')} (${admReport.bed ? `a ${admReport.bed} bed, ` : ''}${plural(admReport.objects, 'object')}) at ${admReport.rateHz / 1000} kHz, ${num(admReport.integratedLkfs, 'LKFS')}, ${num(admReport.truePeakDbtp, 'dBTP')}; stereo master ${num(admReport.stereo.integratedLufs, 'LUFS')}`);
      for (const a of admReport.apple) out(`  Apple Music: ${a.label}, ${a.limit}: ${a.ok ? 'ok' : 'NOT MET'}`);
    }
    if (report.cd) out(`  cd: ${report.cd.tracks.length} tracks, ${report.cd.leadOutFrame} sectors, IMAGE.DAT MD5 ${report.cd.imageMd5}`);
    for (const s of report.streaming ?? []) out(`  streaming ${s.rateHz / 1000} kHz: album ${num(s.album.integratedLufs, 'LUFS')}, ${num(s.album.truePeakDbtp, 'dBTP')}, gain ${s.gainDb.toFixed(2)} dB${s.gainAt === 'limiter' ? ' into the master limiter' : s.gainAt === 'after-master' ? ' after the master chain' : ''}`);
    for (const c of (report.streaming ?? []).flatMap((s) => s.codecCheck ?? [])) {
      const overs = c.overs.totals.reduce((n, t) => n + t.onSample + t.interSample, 0);
      out(`  codec check, track ${c.track}, ${c.label}: decoded ${num(c.decodedTruePeakDbtp, 'dBTP')} (master ${num(c.masterTruePeakDbtp, 'dBTP')}), loudness ${c.loudnessChangeLu === null ? '-' : `${c.loudnessChangeLu > 0 ? '+' : ''}${c.loudnessChangeLu.toFixed(2)} LU`}${overs ? `, ${overs} overs: ${c.clearingGainDb?.toFixed(1)} dB would clear them` : ', no overs'}`);
    }
    if (report.hires) out(`  hires ${report.hires.rateHz / 1000} kHz: album ${num(report.hires.album.integratedLufs, 'LUFS')}, ${num(report.hires.album.truePeakDbtp, 'dBTP')}`);
    if (report.vinyl) {
      for (const v of report.vinyl.sides) {
        const bad = v.checks.filter((c) => !c.ok);
        out(`  vinyl side ${v.letter}: ${clock(v.durationSec)} (${report.vinyl.format}: ${clock(v.recommendedSec)} recommended, ${clock(v.maxSec)} maximum${v.overMax ? ', OVER THE MAXIMUM' : v.overRecommended ? ', over the recommended time' : ''}), ${v.tracks.map((t) => t.code).join(' ')}${bad.length ? `; check: ${bad.map((c) => `${c.label} ${c.value}${c.unit ? ` ${c.unit}` : ''}`).join('; ')}` : '; checks passed'}`);
      }
    }
    for (const k of report.skipped) out(`  ${k.variant} not made: ${k.reason}`);
    for (const n of artwork?.notes ?? []) out(`  note: ${n}`);
    return 0;
  } finally {
    for (const r of readers.values()) await r.close();
  }
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const num = (x: number | null, unit: string) => (x === null ? '-' : `${x.toFixed(1)} ${unit}`);

async function readArtworkFile(albumPath: string, rel: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(resolve(dirname(resolve(albumPath)), rel)));
  } catch {
    throw new LatheError('no-file', 'the artwork file does not exist or cannot be read.', { file: rel });
  }
}
