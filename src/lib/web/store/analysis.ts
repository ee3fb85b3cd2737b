/**
 * Measures a project from IndexedDB, keeping each result so it is not computed twice: every file as
 * imported, every track as the album plays it (the mix: clips with gain and fades), and the master
 * as the CD delivers it (every chain, the CD layout, 44.1 kHz), each album gated together.
 */
import { spatialCheck, type SpatialReport } from '$lib/core/spatial/checks';
import { assertSpatialLimits } from '$lib/core/spatial/model';
import { allChannelsReader, stereoFoldDown } from '$lib/core/spatial/render';
import type { Album, Asset } from '$lib/core/album/model';
import { Analyzer, type Analysis, type AnalyzerOptions } from '$lib/core/analysis/analyzer';
import { albumLoudness, type AlbumLoudness } from '$lib/core/analysis/album';
import { masterKey, measureCdMaster } from '$lib/core/delivery/cd-measure';
import { mixChecks, playbackChecks, type Check } from '$lib/core/analysis/checks';
import { layoutAlbum } from '$lib/core/album/timeline';
import { CHUNK_FRAMES } from '$lib/core/audio/ingest';
import { LatheError, errorMessage, isLatheError } from '$lib/core/errors';
import { WindowMixer } from '$lib/core/render/mix';
import { trackKey } from '$lib/core/render/track-key';
import { clipAlone } from '$lib/core/album/montage';
import { resamplingReader } from '$lib/core/render/resampling-reader';
import type { AnalysisRow, LatheDb } from './db';
import { assetClipReader, readAssetFrames, sourceFormats } from './assets';
import { assetAnalysisKey } from './analysis-keys';
import { ChunkReader } from './chunk-reader';
import { loadProject } from './projects';

export type Progress = (fraction: number, label: string) => void;

/** What the UI shows: no per-block data, just numbers, the series and the checks. */
export type AnalysisSummary = Omit<Analysis, 'blockEnergies' | 'shortTermEnergies'>;

export interface TrackAnalysis {
  trackId: string;
  key: string;
  /** The mix: the track as the album plays it, before any chain. */
  analysis?: AnalysisSummary;
  checks: Check[];
  /** Mix-readiness checks of the files the track plays. */
  sourceChecks: { asset: string; checks: Check[] }[];
  error?: string;
  /** The master: the track as the CD delivers it. */
  master?: AnalysisSummary;
  masterChecks?: Check[];
}

export interface ProjectAnalysis {
  tracks: TrackAnalysis[];
  album: AlbumLoudness;
  /** The master album, gated together; absent when it could not be measured (see masterError). */
  master?: AlbumLoudness & { key: string };
  masterError?: string;
}

/** What the master is made from when browser-only chains were rendered first (delivery/prerender). */
export interface MasterInputs {
  /** The album with third-party clip and track chains rendered into assets. */
  album?: Album;
  /** The CD programme after a third-party master chain. */
  premasteredAssetId?: string;
}

async function cached(db: LatheDb, key: string, assetId: string | undefined, measure: () => Promise<Analysis>): Promise<AnalysisRow> {
  const hit = await db.analyses.get(key);
  if (hit) return hit;
  const analysis = await measure();
  const checks = assetId ? mixChecks(analysis) : playbackChecks(analysis);
  const row: AnalysisRow = { key, assetId, analysis, checks, createdAt: Date.now() };
  await db.analyses.put(row);
  return row;
}

export function analyzeAsset(db: LatheDb, asset: Asset, onProgress: (f: number) => void = () => {}): Promise<AnalysisRow> {
  return cached(db, assetAnalysisKey(asset.id), asset.id, () => measureAsset(db, asset, {}, onProgress));
}

/** A stored file measured whole, as it is. */
async function measureAsset(db: LatheDb, asset: Asset, options: AnalyzerOptions, onProgress: (f: number) => void): Promise<Analysis> {
  const analyzer = new Analyzer({ rateHz: asset.rateHz, channels: asset.channels, bitDepth: asset.bitDepth, sampleFormat: asset.sampleFormat }, options);
  const planar = Array.from({ length: asset.channels }, () => new Float32Array(CHUNK_FRAMES));
  const chunks = new ChunkReader(db);
  for (let start = 0; start < asset.frames; start += CHUNK_FRAMES) {
    const n = Math.min(CHUNK_FRAMES, asset.frames - start);
    await readAssetFrames(db, asset, start, n, planar, 0, chunks);
    analyzer.process(planar, n);
    onProgress((start + n) / asset.frames);
  }
  return analyzer.finish();
}

/** A reference track, measured whole with its spectrum (the file as it is: no album, no chain). */
export async function analyzeReference(db: LatheDb, projectId: string, refId: string, onProgress: (f: number) => void = () => {}): Promise<AnalysisSummary> {
  const row = await db.projects.get(projectId);
  const ref = row?.references?.find((r) => r.id === refId);
  const asset = ref ? await db.assets.get(ref.assetId) : undefined;
  if (!ref || !asset) throw new LatheError('missing-asset', 'the reference is not in this project any more.');
  const measured = await cached(db, `ref1:${asset.id}`, asset.id, () => measureAsset(db, asset, { spectrum: true }, onProgress));
  return summary(measured.analysis);
}

/** A track as the album plays it: its clips with gain and fades, from INDEX 01 to the next. */
export async function analyzeTrack(db: LatheDb, album: Album, assets: Map<string, Asset>, index: number, onProgress: (f: number) => void = () => {}, chunks?: ChunkReader): Promise<AnalysisRow> {
  // v2: the energies the album is gated from are kept; v3: the long-term spectrum, for comparison and consistency.
  return cached(db, `track3:${await trackKey(album, index)}`, undefined, async () => {
    const track = album.tracks[index];
    for (const clip of track.clips) {
      const asset = assets.get(clip.assetId);
      if (!asset) throw new LatheError('missing-asset', `the audio of a clip in "${track.title}" is missing.`);
    }
    const layout = layoutAlbum(album);
    const span = layout.tracks[index];
    const used = track.clips.map((c) => assets.get(c.assetId) as Asset);
    const float = used.some((a) => a.sampleFormat === 'float');
    const analyzer = new Analyzer(
      { rateHz: album.rateHz, channels: 2, bitDepth: Math.max(16, ...used.map((a) => a.bitDepth)), sampleFormat: float ? 'float' : 'int' },
      { keepBlocks: true, spectrum: true }
    );
    const mixer = new WindowMixer(2, CHUNK_FRAMES);
    // Sources at another rate than the album's are resampled as they are read.
    const read = resamplingReader(assetClipReader(db, assets, chunks ?? new ChunkReader(db)), (id) => assets.get(id)?.rateHz ?? album.rateHz, album.rateHz);
    const out = [new Float32Array(CHUNK_FRAMES), new Float32Array(CHUNK_FRAMES)];
    const total = span.nextStartSamples - span.index01Samples;
    // An immersive album is heard, and delivered, as its Lo/Ro fold-down.
    const fold = album.immersive ? foldDownOf(db, album, assets, chunks) : null;
    for (let at = span.index01Samples; at < span.nextStartSamples; at += CHUNK_FRAMES) {
      const n = Math.min(CHUNK_FRAMES, span.nextStartSamples - at);
      if (fold) await fold(at, n, out);
      else await mixer.mix(album, layout, at, n, out, read);
      analyzer.process(out, n);
      onProgress((at + n - span.index01Samples) / total);
    }
    return analyzer.finish();
  });
}

/** An immersive album's stereo fold-down, read from IndexedDB with every channel of its sources. */
function foldDownOf(db: LatheDb, album: Album, assets: Map<string, Asset>, chunks?: ChunkReader) {
  const read = allChannelsReader(assetClipReader(db, assets, chunks ?? new ChunkReader(db)), (id) => assets.get(id)?.rateHz ?? album.rateHz, album.rateHz);
  return stereoFoldDown(album, { read, channelsOf: (c) => assets.get(c.assetId)?.channels ?? 2 }, CHUNK_FRAMES);
}

/** A clip on its own, as it sounds (gain, fades), before any chain: what the timeline shows on hover. */
export interface ClipLoudness {
  clipId: string;
  key: string;
  integratedLufs: number | null;
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
  loudnessRangeLu: number | null;
  durationSec: number;
}

export async function analyzeClip(db: LatheDb, projectId: string, clipId: string): Promise<ClipLoudness> {
  const { album, assets } = await loadProject(db, projectId);
  const alone = clipAlone(album, clipId);
  const row = await analyzeTrack(db, alone, new Map(assets.map((a) => [a.id, a])), 0);
  const a = row.analysis;
  return { clipId, key: await trackKey(alone, 0), integratedLufs: a.integratedLufs, truePeakDbtp: a.truePeakDbtp, samplePeakDbfs: a.samplePeakDbfs, loudnessRangeLu: a.loudnessRangeLu, durationSec: a.durationSec };
}

/**
 * The fold-down checks of an immersive project, from what it has saved: every channel of each
 * source read, resampled as read to the album rate (one resampler per channel count).
 */
export async function spatialCheckProject(db: LatheDb, projectId: string, onProgress: (f: number) => void = () => {}): Promise<SpatialReport> {
  const { album, assets: list } = await loadProject(db, projectId);
  if (!album.immersive) throw new LatheError('bad-album', 'the album is not immersive.');
  const assets = new Map(list.map((a) => [a.id, a]));
  const read = allChannelsReader(assetClipReader(db, assets, new ChunkReader(db)), (id) => assets.get(id)?.rateHz ?? album.rateHz, album.rateHz);
  const channelsOf = (clip: { assetId: string }) => assets.get(clip.assetId)?.channels ?? 2;
  assertSpatialLimits(album, channelsOf);
  return spatialCheck(album, { read, channelsOf, nameOf: (c) => assets.get(c.assetId)?.name ?? 'missing source' }, { onProgress });
}

const summary = ({ blockEnergies: _b, shortTermEnergies: _s, ...a }: Analysis): AnalysisSummary => a;

/** The master as the CD delivers it, measured whole and kept under a hash of its inputs. */
async function analyzeMaster(db: LatheDb, projectId: string, album: Album, assets: Map<string, Asset>, inputs: MasterInputs, onProgress: (f: number) => void, chunks: ChunkReader) {
  const premastered = inputs.premasteredAssetId ? assets.get(inputs.premasteredAssetId) : undefined;
  if (inputs.premasteredAssetId && !premastered) throw new LatheError('missing-asset', 'the rendered master chain is missing; analyze again.');
  const key = await masterKey(album, (id) => assets.get(id)?.sha256 ?? id, premastered?.sha256);
  const hit = await db.masters.get(key);
  if (hit) return { key, measurement: hit.measurement };
  const formats = sourceFormats(assets.values());
  const measurement = await measureCdMaster(
    album,
    formats,
    assetClipReader(db, assets, chunks),
    premastered
      ? { premastered: (from, n, dst) => readAssetFrames(db, premastered, from, n, dst, 0, chunks) }
      : album.immersive
        ? { mixFor: (cdAlbum: Album) => foldDownOf(db, cdAlbum, assets, chunks) }
        : {},
    { onProgress }
  );
  // Older measurements of this project are of a master that no longer is.
  await db.transaction('rw', db.masters, async () => {
    await db.masters.where('projectId').equals(projectId).delete();
    await db.masters.put({ key, projectId, measurement, createdAt: Date.now() });
  });
  return { key, measurement };
}

/** Every file and every track of a project, the album gated as one programme, then the master. */
export async function analyzeProject(db: LatheDb, projectId: string, onProgress: Progress = () => {}, inputs: MasterInputs = {}): Promise<ProjectAnalysis> {
  const { album, assets } = await loadProject(db, projectId);
  const byId = new Map(assets.map((a) => [a.id, a]));
  const used = [...new Set(album.tracks.flatMap((t) => t.clips.map((c) => c.assetId)))].filter((id) => byId.has(id));
  // The master counts as much as all the tracks: it is rendered through every chain.
  const steps = used.length + 2 * album.tracks.length;
  let step = 0;
  const assetChecks = new Map<string, Check[]>();
  for (const id of used) {
    const asset = byId.get(id) as Asset;
    const row = await analyzeAsset(db, asset, (f) => onProgress((step + f) / steps, `Measuring ${asset.name}`));
    assetChecks.set(id, row.checks);
    step++;
  }
  // The mix and the master go through the same audio side by side, sharing what is read.
  const chunks = new ChunkReader(db);
  const masterAlbum = inputs.album ?? album;
  const masterAssets = new Map(byId);
  if (inputs.album || inputs.premasteredAssetId) for (const a of (await loadProject(db, projectId)).assets) masterAssets.set(a.id, a);
  const mixSteps = album.tracks.length;
  let mixDone = 0;
  let masterDone = 0;
  const report = (label: string) => onProgress((step + mixDone + masterDone * mixSteps) / steps, label);
  const mix = async () => {
    const tracks: TrackAnalysis[] = [];
    const parts: Analysis[] = [];
    for (const [i, track] of album.tracks.entries()) {
      const sourceChecks = [...new Set(track.clips.map((c) => c.assetId))].map((id) => ({ asset: byId.get(id)?.name ?? id, checks: assetChecks.get(id) ?? [] }));
      const key = await trackKey(album, i);
      try {
        const row = await analyzeTrack(db, album, byId, i, (f) => ((mixDone = i + f), report(`Measuring track ${i + 1}`)), chunks);
        tracks.push({ trackId: track.id, key, analysis: summary(row.analysis), checks: row.checks, sourceChecks });
        parts.push(row.analysis);
      } catch (e) {
        tracks.push({ trackId: track.id, key, checks: [], sourceChecks, error: errorMessage(e) });
      }
      mixDone = i + 1;
    }
    return { tracks, parts };
  };
  const master = async () => {
    if (album.tracks.length === 0) return null;
    try {
      return await analyzeMaster(db, projectId, masterAlbum, masterAssets, inputs, (f) => ((masterDone = f), report('Measuring the master')), chunks);
    } catch (e) {
      return { error: isLatheError(e) ? e.detail : errorMessage(e) };
    }
  };
  const [{ tracks, parts }, measured] = await Promise.all([mix(), master()]);
  const result: ProjectAnalysis = { tracks, album: albumLoudness(parts) };
  if (measured && 'error' in measured) result.masterError = measured.error;
  else if (measured && !tracks.some((t) => t.error)) {
    measured.measurement.tracks.forEach((m, i) => {
      tracks[i].master = summary(m);
      tracks[i].masterChecks = playbackChecks(m);
    });
    result.master = { key: measured.key, ...measured.measurement.album };
  }
  return result;
}
