/** Stores an imported file as an asset: chunks written as they stream, all or nothing. */
import type { Asset } from '$lib/core/album/model';
import { newId } from '$lib/core/album/model';
import { LatheError, errorMessage, isLatheError } from '$lib/core/errors';
import { CHUNK_FRAMES, FloatChunkWriter, ingestPcm, type ChunkSink, type Progress } from '$lib/core/audio/ingest';
import type { ByteSource } from '$lib/core/audio/source';
import { sha256Stream } from '$lib/core/hash';
import { mixChecks } from '$lib/core/analysis/checks';
import { assetAnalysisKey } from './analysis-keys';
import { RemoteDigest } from './measure-client';
import type { AssetRow, ChunkRow, LatheDb } from './db';
import type { Analysis } from '$lib/core/analysis/analyzer';
import { assetFromRow, deleteAssetData } from './projects';
import { assertRoomFor, isQuotaError, quotaError } from './storage';

const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Chunks into IndexedDB in batches of about 8 MB, one batch written while the next is read,
 * hashed and decoded: at most two batches are held.
 */
class DexieChunkSink implements ChunkSink {
  private pending: ChunkRow[] = [];
  private pendingBytes = 0;
  private writing: Promise<unknown> = Promise.resolve();
  constructor(
    private db: LatheDb,
    private assetId: string
  ) {}
  async writeChunk(index: number, bytes: Uint8Array): Promise<void> {
    this.pending.push({ assetId: this.assetId, index, bytes });
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= BATCH_BYTES) await this.send();
  }
  private async send(): Promise<void> {
    // Wait for the batch before, so a failure stops the import and memory stays bounded.
    await this.writing;
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.writing = this.db.chunks.bulkPut(rows);
    // Seen here so that a write failing after the import stopped for another reason is not left unhandled;
    // awaiting `writing` still throws its error.
    this.writing.catch(() => {});
  }
  async flush(): Promise<void> {
    await this.send();
    await this.writing;
  }
  /** Waits for a write in flight to end either way, so what is then deleted stays deleted. */
  async settle(): Promise<void> {
    await this.writing.catch(() => {});
  }
}

async function begin(db: LatheDb, name: string, projectId: string): Promise<AssetRow> {
  const row: AssetRow = {
    id: newId(),
    name,
    rateHz: 0,
    channels: 0,
    bitDepth: 0,
    sampleFormat: 'int',
    encoding: 's16le',
    frames: 0,
    sha256: '',
    container: '',
    projectIds: [projectId],
    status: 'importing',
    chunkFrames: CHUNK_FRAMES,
    createdAt: Date.now()
  };
  await db.assets.add(row);
  return row;
}

/**
 * Marks the asset ready with its peaks (and its measurement, when the import made one); an
 * identical file already in the store is reused instead.
 */
async function finish(db: LatheDb, row: AssetRow, peaks: import('$lib/core/audio/peaks').PeakPyramid, analysis?: Analysis): Promise<Asset> {
  const twin = (await db.assets.where('sha256').equals(row.sha256).toArray()).find((a) => a.status === 'ready' && a.id !== row.id);
  if (twin) {
    await deleteAssetData(db, row.id);
    await db.assets.update(twin.id, { projectIds: [...new Set([...twin.projectIds, ...row.projectIds])] });
    return assetFromRow({ ...twin, projectIds: [...new Set([...twin.projectIds, ...row.projectIds])] });
  }
  await db.transaction('rw', db.assets, db.peaks, db.analyses, async () => {
    await db.peaks.put({ assetId: row.id, pyramid: peaks });
    if (analysis) await db.analyses.put({ key: assetAnalysisKey(row.id), assetId: row.id, analysis, checks: mixChecks(analysis), createdAt: Date.now() });
    await db.assets.put({ ...row, status: 'ready' });
  });
  return assetFromRow(row);
}

/** Runs an import; on any failure removes what it stored. `bytes` is what it stores, for a quota message. */
async function guarded<T>(db: LatheDb, row: AssetRow, name: string, bytes: number, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    await deleteAssetData(db, row.id);
    if (isQuotaError(e)) throw await quotaError(what, bytes, name);
    if (isLatheError(e)) throw e;
    throw new LatheError('import-failed', errorMessage(e), { file: name, cause: e });
  }
}

/**
 * Imports a WAV/BW64/RF64/AIFF file, streaming, in one pass over it: this thread reads, hashes and
 * stores it while a second one decodes it, builds its peaks and measures it (the analysis that
 * would otherwise read it all again). Memory stays at a few slices of about 8 MB.
 */
export async function importPcmSource(db: LatheDb, source: ByteSource, projectId: string, onProgress: Progress, signal?: { aborted: boolean }): Promise<Asset> {
  const row = await begin(db, source.name, projectId);
  return guarded(db, row, source.name, source.size, 'the import', async () => {
    const sink = new DexieChunkSink(db, row.id);
    let digest: RemoteDigest | null = null;
    let result;
    try {
      result = await ingestPcm(source, sink, onProgress, signal, { digest: (info) => (digest = new RemoteDigest(info)) });
    } catch (e) {
      (digest as RemoteDigest | null)?.close();
      await sink.settle();
      throw e;
    }
    await sink.flush();
    const { info } = result;
    Object.assign(row, {
      rateHz: info.rateHz,
      channels: info.channels,
      bitDepth: info.bitDepth,
      sampleFormat: info.sampleFormat,
      encoding: info.encoding,
      frames: info.frames,
      sha256: result.sha256,
      container: info.container,
      bextBase64: info.bext ? toBase64(info.bext) : undefined
    });
    return finish(db, row, result.peaks, (digest as RemoteDigest | null)?.analysis ?? undefined);
  });
}

export interface DecodedAudio {
  container: string;
  rateHz: number;
  bitDepth: number;
  channels: Float32Array[];
}

/** Imports audio a decoder already turned into floats (FLAC, MP3...), at the file's own rate. */
export async function importDecodedAudio(db: LatheDb, source: ByteSource, decoded: DecodedAudio, projectId: string, onProgress: Progress): Promise<Asset> {
  const frames = decoded.channels[0]?.length ?? 0;
  if (frames === 0) throw new LatheError('no-audio', 'the file decodes to no audio (0 frames).', { file: source.name });
  const hash = await sha256Stream();
  for (let p = 0; p < source.size; p += 8 << 20) hash.update(await source.read(p, Math.min(8 << 20, source.size - p)));
  const made = { container: decoded.container, rateHz: decoded.rateHz, bitDepth: decoded.bitDepth, channels: decoded.channels.length, frames };
  return importMadeAudio(db, source.name, hash.hex(), made, projectId, (push) => push(decoded.channels, frames), onProgress);
}

export interface MadeAudio {
  container: string;
  rateHz: number;
  bitDepth: number;
  channels: number;
  frames: number;
}

/**
 * Stores audio as something produces it (a decoder, a plugin render), pushed block by block:
 * memory stays at one chunk, and a failure anywhere removes what was written.
 */
export async function importMadeAudio(
  db: LatheDb,
  name: string,
  sha256: string,
  made: MadeAudio,
  projectId: string,
  produce: (push: (planar: Float32Array[], n: number) => Promise<void>) => Promise<unknown>,
  onProgress: Progress = () => {}
): Promise<Asset> {
  if (made.frames === 0) throw new LatheError('no-audio', 'there is no audio to store (0 frames).', { file: name });
  await assertRoomFor(made.frames * made.channels * 4, 'storing it', name);
  const row = await begin(db, name, projectId);
  return guarded(db, row, name, made.frames * made.channels * 4, 'storing it', async () => {
    const sink = new DexieChunkSink(db, row.id);
    const writer = new FloatChunkWriter(made.channels, made.frames, sink, onProgress);
    let result;
    try {
      await produce((planar, n) => writer.push(planar, n));
      result = await writer.finish();
      await sink.flush();
    } catch (e) {
      await sink.settle();
      throw e;
    }
    Object.assign(row, {
      rateHz: made.rateHz,
      channels: made.channels,
      bitDepth: made.bitDepth,
      sampleFormat: 'float',
      encoding: result.encoding,
      frames: made.frames,
      sha256,
      container: made.container
    });
    return finish(db, row, result.peaks);
  });
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
