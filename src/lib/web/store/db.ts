import Dexie, { type Table } from 'dexie';
import type { Album, Asset, Clip, Track } from '$lib/core/album/model';
import type { PeakPyramid } from '$lib/core/audio/peaks';
import { SCHEMA_VERSIONS } from './schema';
import type { Analysis } from '$lib/core/analysis/analyzer';
import type { Check } from '$lib/core/analysis/checks';
import type { MasterMeasurement } from '$lib/core/delivery/cd-measure';

export interface ProjectRow {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** The album's own fields; its tracks and clips live in their tables. */
  album: Omit<Album, 'tracks'>;
  /** Reference tracks kept for comparison: never part of the album or of a delivery. */
  references?: ReferenceTrack[];
}

export interface ReferenceTrack {
  id: string;
  assetId: string;
  name: string;
  /** Its own loop region for A/B, seconds of the reference; null plays from the album's relative position. */
  loop: { startSec: number; endSec: number } | null;
}

export interface TrackRow extends Omit<Track, 'clips'> {
  projectId: string;
  order: number;
}

export interface ClipRow extends Clip {
  projectId: string;
  trackId: string;
  order: number;
}

export interface AssetRow extends Asset {
  /** Projects that use this asset; it is deleted with the last of them. */
  projectIds: string[];
  /** 'importing' until every chunk is stored; such rows are swept on open. */
  status: 'importing' | 'ready';
  chunkFrames: number;
  createdAt: number;
}

export interface ChunkRow {
  assetId: string;
  index: number;
  bytes: Uint8Array;
}

export interface PeaksRow {
  assetId: string;
  pyramid: PeakPyramid;
}

export interface AnalysisRow {
  /** `asset:<id>` for a file as imported, `track:<sound key>` for a track as the album plays it. */
  key: string;
  assetId?: string;
  analysis: Analysis;
  checks: Check[];
  createdAt: number;
}

export interface MasterRow {
  /** A hash of every input of the master: layout, sources, chains. */
  key: string;
  projectId: string;
  measurement: MasterMeasurement;
  createdAt: number;
}

export interface PluginRow {
  url: string;
  /** 'confirmed' once the person agreed (its origin is then allowed); 'ready' once loaded and pinned. */
  status: 'confirmed' | 'ready';
  identifier: string;
  name: string;
  vendor: string;
  version: string;
  /** SHA-256 of the module's bytes when the person confirmed it (or accepted a change). */
  sha256: string;
  addedAt: number;
  /** Why the last load failed, shown in the list until a load succeeds. */
  loadError?: string;
  /** The last validation report, shown next to the plugin. */
  report?: import('$lib/web/wam/report').ValidationReport;
  /** Latency as measured when the plugin was pinned, against what it reports (samples at rateHz). */
  latency?: { rateHz: number; reportedSamples: number; measuredSamples: number | null };
}

/** A checked cover (square JPEG or PNG), as the person added it. */
export interface ImageRow {
  id: string;
  projectId: string;
  name: string;
  mimeType: 'image/jpeg' | 'image/png';
  widthPx: number;
  heightPx: number;
  bytes: Uint8Array;
  createdAt: number;
}

export class LatheDb extends Dexie {
  projects!: Table<ProjectRow, string>;
  tracks!: Table<TrackRow, string>;
  clips!: Table<ClipRow, string>;
  assets!: Table<AssetRow, string>;
  chunks!: Table<ChunkRow, [string, number]>;
  peaks!: Table<PeaksRow, string>;
  analyses!: Table<AnalysisRow, string>;
  plugins!: Table<PluginRow, string>;
  masters!: Table<MasterRow, string>;
  images!: Table<ImageRow, string>;

  constructor(name = 'lathe', upToVersion = Infinity) {
    super(name);
    for (const v of SCHEMA_VERSIONS) {
      if (v.version > upToVersion) break;
      const version = this.version(v.version).stores(v.stores);
      if (v.upgrade) version.upgrade(v.upgrade);
    }
  }
}

let shared: LatheDb | undefined;

/** The app's database, opened once per page or worker. */
export function getDb(): LatheDb {
  shared ??= new LatheDb();
  return shared;
}

/** For tests: use a database of another name. */
export function setDb(db: LatheDb): void {
  shared = db;
}
