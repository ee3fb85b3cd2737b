/**
 * Reading stored audio without an IndexedDB round trip per chunk: chunks are fetched in windows of
 * `windowChunks` with one bulkGet, the next window asked for while this one is read, and the last
 * `keep` windows of each asset kept, so two readers going through the same audio at about the same
 * place (the analysis's mix and master) read it from the database once. Memory: keep + 1 windows
 * per asset.
 */
import type { Asset } from '$lib/core/album/model';
import { CHUNK_FRAMES } from '$lib/core/audio/ingest';
import type { ChunkRow, LatheDb } from './db';

export interface ChunkReaderOptions {
  windowChunks: number;
  keep: number;
}

/** For renders and analysis: long reads, two readers near each other. */
const BATCH: ChunkReaderOptions = { windowChunks: 8, keep: 6 };
/**
 * For playback: each chunk (65 536 frames) spans several of the player's windows, and an
 * immersive album reads a dozen assets a window, so one round trip per asset per window would
 * make it late; two chunks ahead are enough, and a 7.1.2 bed keeps about 8 MB.
 */
export const PLAYBACK: ChunkReaderOptions = { windowChunks: 2, keep: 1 };

type Rows = Promise<(ChunkRow | undefined)[]>;

export class ChunkReader {
  /** Per asset, windows by their first chunk, oldest first. */
  private readonly windows = new Map<string, Map<number, Rows>>();

  constructor(
    private readonly db: LatheDb,
    private readonly options: ChunkReaderOptions = BATCH
  ) {}

  private window(asset: Asset, first: number): Rows {
    let kept = this.windows.get(asset.id);
    if (!kept) this.windows.set(asset.id, (kept = new Map()));
    const hit = kept.get(first);
    if (hit) return hit;
    const keys: [string, number][] = [];
    const last = Math.min(Math.ceil(asset.frames / CHUNK_FRAMES), first + this.options.windowChunks);
    for (let i = first; i < last; i++) keys.push([asset.id, i]);
    const rows = this.db.chunks.bulkGet(keys);
    kept.set(first, rows);
    while (kept.size > this.options.keep + 1) kept.delete(kept.keys().next().value as number);
    return rows;
  }

  /** The stored bytes of chunk `index` of `asset`. */
  async chunk(asset: Asset, index: number): Promise<ChunkRow | undefined> {
    const size = this.options.windowChunks;
    const first = Math.floor(index / size) * size;
    const rows = this.window(asset, first);
    // Ask for the next window now: it arrives while this one is decoded and measured.
    if (first + size < Math.ceil(asset.frames / CHUNK_FRAMES)) this.window(asset, first + size);
    return (await rows)[index - first];
  }
}
