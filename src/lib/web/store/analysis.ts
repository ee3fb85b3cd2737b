/** Measures assets and tracks from IndexedDB, keeping each result so it is not computed twice. */
import type { Album, Asset } from '$lib/core/album/model';
import { Analyzer, gatedTogether, rangeTogether, type Analysis } from '$lib/core/analysis/analyzer';
import { mixChecks, playbackChecks, type Check } from '$lib/core/analysis/checks';
import { layoutAlbum } from '$lib/core/album/timeline';
import { CHUNK_FRAMES } from '$lib/core/audio/ingest';
import { LatheError, errorMessage } from '$lib/core/errors';
import { WindowMixer } from '$lib/core/render/mix';
import { trackKey } from '$lib/core/render/track-key';
import { resamplingReader } from '$lib/core/render/resampling-reader';
import type { AnalysisRow, LatheDb } from './db';
import { readAssetFrames } from './assets';
import { loadProject } from './projects';

export type Progress = (fraction: number, label: string) => void;

/** What the UI shows: no per-block data, just numbers, the series and the checks. */
export type AnalysisSummary = Omit<Analysis, 'blockEnergies'>;

export interface TrackAnalysis {
  trackId: string;
  key: string;
  analysis?: AnalysisSummary;
  checks: Check[];
  /** Mix-readiness checks of the files the track plays. */
  sourceChecks: { asset: string; checks: Check[] }[];
  error?: string;
}

export interface ProjectAnalysis {
  tracks: TrackAnalysis[];
  album: { integratedLufs: number | null; loudnessRangeLu: number | null; truePeakDbtp: number | null };
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
  return cached(db, `asset:${asset.id}`, asset.id, async () => {
    const analyzer = new Analyzer({ rateHz: asset.rateHz, channels: asset.channels, bitDepth: asset.bitDepth, sampleFormat: asset.sampleFormat });
    const planar = Array.from({ length: asset.channels }, () => new Float32Array(CHUNK_FRAMES));
    for (let start = 0; start < asset.frames; start += CHUNK_FRAMES) {
      const n = Math.min(CHUNK_FRAMES, asset.frames - start);
      await readAssetFrames(db, asset, start, n, planar);
      analyzer.process(planar, n);
      onProgress((start + n) / asset.frames);
    }
    return analyzer.finish();
  });
}

/** A track as the album plays it: its clips with gain and fades, from INDEX 01 to the next. */
export function analyzeTrack(db: LatheDb, album: Album, assets: Map<string, Asset>, index: number, onProgress: (f: number) => void = () => {}): Promise<AnalysisRow> {
  return cached(db, `track:${trackKey(album, index)}`, undefined, async () => {
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
      { keepBlocks: true }
    );
    const mixer = new WindowMixer(2, CHUNK_FRAMES);
    // Sources at another rate than the album's are resampled as they are read.
    const read = resamplingReader(
      async (clip, start, count, dst) => {
        const asset = assets.get(clip.assetId);
        if (asset) await readAssetFrames(db, asset, start, count, dst);
      },
      (id) => assets.get(id)?.rateHz ?? album.rateHz,
      album.rateHz
    );
    const out = [new Float32Array(CHUNK_FRAMES), new Float32Array(CHUNK_FRAMES)];
    const total = span.nextStartSamples - span.index01Samples;
    for (let at = span.index01Samples; at < span.nextStartSamples; at += CHUNK_FRAMES) {
      const n = Math.min(CHUNK_FRAMES, span.nextStartSamples - at);
      await mixer.mix(album, layout, at, n, out, read);
      analyzer.process(out, n);
      onProgress((at + n - span.index01Samples) / total);
    }
    return analyzer.finish();
  });
}

const summary = ({ blockEnergies: _b, ...a }: Analysis): AnalysisSummary => a;

/** Every file and every track of a project, and the album gated as one programme. */
export async function analyzeProject(db: LatheDb, projectId: string, onProgress: Progress = () => {}): Promise<ProjectAnalysis> {
  const { album, assets } = await loadProject(db, projectId);
  const byId = new Map(assets.map((a) => [a.id, a]));
  const used = [...new Set(album.tracks.flatMap((t) => t.clips.map((c) => c.assetId)))].filter((id) => byId.has(id));
  const steps = used.length + album.tracks.length;
  let step = 0;
  const assetChecks = new Map<string, Check[]>();
  for (const id of used) {
    const asset = byId.get(id) as Asset;
    const row = await analyzeAsset(db, asset, (f) => onProgress((step + f) / steps, `Measuring ${asset.name}`));
    assetChecks.set(id, row.checks);
    step++;
  }
  const tracks: TrackAnalysis[] = [];
  const blocks: Float32Array[] = [];
  const series: (number | null)[][] = [];
  let tp: number | null = null;
  for (const [i, track] of album.tracks.entries()) {
    const sourceChecks = [...new Set(track.clips.map((c) => c.assetId))].map((id) => ({ asset: byId.get(id)?.name ?? id, checks: assetChecks.get(id) ?? [] }));
    const key = trackKey(album, i);
    try {
      const row = await analyzeTrack(db, album, byId, i, (f) => onProgress((step + f) / steps, `Measuring track ${i + 1}`));
      tracks.push({ trackId: track.id, key, analysis: summary(row.analysis), checks: row.checks, sourceChecks });
      if (row.analysis.blockEnergies) blocks.push(row.analysis.blockEnergies);
      series.push(row.analysis.shortTermSeries);
      if (row.analysis.truePeakDbtp !== null) tp = Math.max(tp ?? -Infinity, row.analysis.truePeakDbtp);
    } catch (e) {
      tracks.push({ trackId: track.id, key, checks: [], sourceChecks, error: errorMessage(e) });
    }
    step++;
  }
  return { tracks, album: { integratedLufs: gatedTogether(blocks), loudnessRangeLu: rangeTogether(series), truePeakDbtp: tp } };
}
