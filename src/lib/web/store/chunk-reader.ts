/**
 * Reading stored audio without an IndexedDB round trip per chunk: chunks are fetched in windows of
 * WINDOW_CHUNKS with one bulkGet, the next window asked for while this one is read, and the last
 * KEEP windows of each asset kept, so two readers going through the same audio at about the same
 * place (the analysis's mix and master) read it from the database once. Memory: KEEP + 1 windows
 * per asset.
 */
import type { Asset } from '$lib/core/album/model';
import { CHUNK_FRAMES } from '$lib/core/audio/ingest';
import type { ChunkRow, LatheDb } from './db';

const WINDOW_CHUNKS = 8;
const KEEP = 6;

type Rows = Promise<(ChunkRow | undefined)[]>;

export class ChunkReader {
  /** Per asset, windows by their first chunk, oldest first. */
  private readonly windows = new Map<string, Map<number, Rows>>();

  constructor(private readonly db: LatheDb) {}

  private window(asset: Asset, first: number): Rows {
    let kept = this.windows.get(asset.id);
    if (!kept) this.windows.set(asset.id, (kept = new Map()));
    const hit = kept.get(first);
    if (hit) return hit;
    const keys: [string, number][] = [];
    const last = Math.min(Math.ceil(asset.frames / CHUNK_FRAMES), first + WINDOW_CHUNKS);
    for (let i = first; i < last; i++) keys.push([asset.id, i]);
    const rows = this.db.chunks.bulkGet(keys);
    kept.set(first, rows);
    while (kept.size > KEEP + 1) kept.delete(kept.keys().next().value as number);
    return rows;
  }

  /** The stored bytes of chunk `index` of `asset`. */
  async chunk(asset: Asset, index: number): Promise<ChunkRow | undefined> {
    const first = Math.floor(index / WINDOW_CHUNKS) * WINDOW_CHUNKS;
    const rows = this.window(asset, first);
    // Ask for the next window now: it arrives while this one is decoded and measured.
    if (first + WINDOW_CHUNKS < Math.ceil(asset.frames / CHUNK_FRAMES)) this.window(asset, first + WINDOW_CHUNKS);
    return (await rows)[index - first];
  }
}
