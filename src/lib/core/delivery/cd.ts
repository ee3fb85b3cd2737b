/**
 * The CD delivery: one render feeds IMAGE.DAT and the .bin together, and per-track meters for the
 * report; then the DDP descriptors, checksums, the CUE sheet and the PQ sheet. A problem found
 * first refuses the whole delivery.
 */
import type { Album } from '../album/model';
import { checkRedBook } from '../album/redbook';
import { LatheError } from '../errors';
import { md5Hex, md5Stream, type HashFactory } from '../hash';
import { dbfs, round } from '../analysis/analyzer';
import { LoudnessMeter } from '../analysis/loudness';
import { channelWeights } from '../analysis/kweighting';
import { TruePeakMeter } from '../analysis/truepeak';
import { metadataProblems, albumCdText } from '../album/metadata-check';
import { encodeCdText, CD_TEXT_FIELDS } from '../metadata/cdtext';
import { parseUpc } from '../metadata/upc';
import { BlockQuantizer, renderToSinks, type ProgrammeSink, type RenderHooks, type SourceFormat } from '../render/engine';
import type { ClipReader, ProgrammeReader } from '../render/readers';
import type { NoiseShaping } from '../dsp/dither';
import { cdLayout, CD_RATE_HZ, type CdLayout } from '../album/cd-layout';
import { SAMPLES_PER_CD_FRAME as SAMPLES_PER_FRAME_CD } from '../album/timeline';
import { DDP_FILES, checksumFile, ddpId, ddpMs, encodePq, pqEntries } from './ddp';
import { cueSheet } from './cue';
import { pqSheet } from './pqsheet';
import { cdTrackSpans, tapTracks } from './cd-measure';

export interface OutputFolder {
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  openFile(path: string): Promise<{ write(bytes: Uint8Array): Promise<void>; close(): Promise<void> }>;
}

export interface CdOptions {
  /** Base name of the .cue/.bin pair. */
  baseName: string;
  shaping: NoiseShaping;
  seed: number;
  createdIso: string;
  /** The CD programme after the master chain, rendered elsewhere (see `cdProgramme`). */
  premastered?: ProgrammeReader;
  /** `read` gives clips at 44.1 kHz already (see RenderOptions.readsAtRenderRate). */
  readsAtRenderRate?: boolean;
  /** The MD5 for IMAGE.DAT; core's own unless the platform has a faster one. */
  md5?: HashFactory;
}

export interface CdTrackReport {
  number: number;
  title: string;
  isrc: string;
  index00Frame: number | null;
  index01Frame: number;
  lengthFrames: number;
  integratedLufs: number | null;
  truePeakDbtp: number | null;
}

export interface CdReport {
  title: string;
  artist: string;
  upc: string;
  leadOutFrame: number;
  imageMd5: string;
  tracks: CdTrackReport[];
}

/** Refuses, listing every reason, an album that would make a faulty CD. */
export function assertCdReady(album: Album): void {
  const problems = [...checkRedBook(album), ...metadataProblems(album)].filter((p) => p.severity === 'error');
  if (problems.length) throw new LatheError('not-cd-ready', `the album cannot be written as a CD: ${problems.map((p) => p.message).join(' ')}`);
}

/**
 * The album as the CD plays it: at 44.1 kHz, every index on a frame, the UPC as EAN-13; and its
 * length in samples. A master chain that must run elsewhere renders this album's mix.
 */
export function cdProgramme(albumIn: Album): { album: Album; layout: CdLayout; totalSamples: number } {
  // A 12-digit UPC-A goes on the disc as its EAN-13.
  // The CD is made at 44.1 kHz: positions are rescaled, sources resampled as they are read.
  const layout: CdLayout = cdLayout({ ...albumIn, upc: albumIn.upc ? parseUpc(albumIn.upc) : '' });
  return { album: layout.album, layout, totalSamples: layout.leadOut * SAMPLES_PER_FRAME_CD };
}

/**
 * What report.json gives per track, integrated loudness and true peak, and nothing else measured
 * (the render's speed): the same meters the analysis's Analyzer runs, so the figures are the same.
 */
class ReportMeter {
  private readonly loudness = new LoudnessMeter(CD_RATE_HZ, 2, { weights: channelWeights(2), keepSeries: false });
  private readonly truePeak = new TruePeakMeter(2, CD_RATE_HZ);

  process(planar: Float32Array[], n: number, offset: number): void {
    this.loudness.process(planar, n, offset);
    this.truePeak.process(planar, n, offset);
  }

  finish(): { integratedLufs: number | null; truePeakDbtp: number | null } {
    return { integratedLufs: round(this.loudness.integratedLufs()), truePeakDbtp: round(dbfs(this.truePeak.maxPeak())) };
  }
}

/**
 * The CD made from the mix as it goes by: IMAGE.DAT and the .bin written together, each track
 * measured; at the end the DDP descriptors, checksums, CUE and PQ sheets. Mixed from `album`.
 */
export async function cdSink(albumIn: Album, out: OutputFolder, options: CdOptions): Promise<{ album: Album; sink: ProgrammeSink<CdReport> }> {
  assertCdReady(albumIn);
  const { album, layout, totalSamples } = cdProgramme(albumIn);
  const md5Of = options.md5 ?? md5Stream;
  const image = await out.openFile(`DDP/${DDP_FILES.image}`);
  // The .bin holds IMAGE.DAT's bytes, written alongside: the writes overlap the render, where a
  // copy afterwards would add to it.
  const bin = await out.openFile(`${options.baseName}.bin`);
  const md5 = await md5Of();
  const analyzers = layout.tracks.map(() => new ReportMeter());
  // Each track is measured from its INDEX 01 to where the next track begins, as measureCdMaster does.
  const measure = tapTracks(cdTrackSpans(layout), analyzers);
  const quantizer = new BlockQuantizer(16, { dither: true, shaping: options.shaping, seed: options.seed });
  let writing: Promise<void> = Promise.resolve();
  const sink: ProgrammeSink<CdReport> = {
    totalSamples,
    async block(planar, n, from, untouchedBits) {
      measure(planar, n, from);
      const { bytes } = quantizer.quantize(planar, n, quantizer.processedMask(untouchedBits, n));
      await writing;
      md5.update(bytes);
      writing = Promise.all([image.write(bytes), bin.write(bytes)]).then(() => {});
    },
    async finish() {
      await writing;
      await image.close();
      await bin.close();
      return finishCd(album, layout, analyzers, md5.hex(), out, options);
    }
  };
  return { album, sink };
}

export async function deliverCd(albumIn: Album, formats: Map<string, SourceFormat>, read: ClipReader, out: OutputFolder, options: CdOptions, hooks: RenderHooks = {}): Promise<CdReport> {
  const { album, sink } = await cdSink(albumIn, out, options);
  const [report] = await renderToSinks(album, formats, read, { premastered: options.premastered, readsAtRenderRate: options.readsAtRenderRate }, [sink], hooks);
  return report as CdReport;
}

async function finishCd(album: Album, layout: CdLayout, analyzers: ReportMeter[], imageMd5: string, out: OutputFolder, options: CdOptions): Promise<CdReport> {
  const text = albumCdText(layout.album);
  const hasText = [text.disc, ...text.tracks].some((item) => CD_TEXT_FIELDS.some((f) => item[f]));
  const cdText = hasText ? encodeCdText(text) : new Uint8Array(0);
  const pq = encodePq(pqEntries(layout, album.upc));
  const ms = ddpMs(layout, pq.length, cdText.length);
  const id = ddpId(album.upc, `${album.artist} - ${album.title}`.slice(0, 48));
  const files: [string, Uint8Array][] = [
    [DDP_FILES.id, id],
    [DDP_FILES.ms, ms],
    [DDP_FILES.pq, pq],
    ...(cdText.length ? ([[DDP_FILES.cdText, cdText]] as [string, Uint8Array][]) : [])
  ];
  for (const [name, bytes] of files) await out.writeFile(`DDP/${name}`, bytes);
  const sums: [string, string][] = [];
  for (const [name, bytes] of files) sums.push([name, await md5Hex(bytes)]);
  sums.push([DDP_FILES.image, imageMd5]);
  await out.writeFile(`DDP/${DDP_FILES.md5}`, checksumFile(sums));
  await out.writeFile(`${options.baseName}.cue`, cueSheet(layout.album, layout, `${options.baseName}.bin`));
  await out.writeFile('pq-sheet.html', pqSheet(layout.album, layout, { imageMd5, createdIso: options.createdIso }));
  const report: CdReport = {
    title: album.title,
    artist: album.artist,
    upc: album.upc,
    leadOutFrame: layout.leadOut,
    imageMd5,
    tracks: layout.tracks.map((t, i) => {
      const a = analyzers[i].finish();
      const next = layout.tracks[i + 1];
      return {
        number: t.number,
        title: album.tracks[i].title,
        isrc: t.isrc,
        index00Frame: t.index00,
        index01Frame: t.index01,
        lengthFrames: (next ? next.index01 : layout.leadOut) - t.index01,
        integratedLufs: a.integratedLufs,
        truePeakDbtp: a.truePeakDbtp
      };
    })
  };
  await out.writeFile('report.json', `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
