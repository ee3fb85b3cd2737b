/** Reading stored audio back: frames from chunks, decoded to planar floats. */
import type { Asset } from '$lib/core/album/model';
import { decodeInterleaved, bytesPerSample } from '$lib/core/audio/pcm';
import { CHUNK_FRAMES } from '$lib/core/audio/ingest';
import type { PeakPyramid } from '$lib/core/audio/peaks';
import type { ChunkRow, LatheDb } from './db';
import type { ChunkReader } from './chunk-reader';
import type { ClipReader } from '$lib/core/render/readers';
import type { SourceFormat } from '$lib/core/render/engine';

/**
 * Reads frames [start, start + n) of an asset into `out` at `outOffset`; frames past its end are
 * zeros. Give a ChunkReader when reading through an asset in order (analysis, renders): it fetches
 * chunks in windows, ahead of need.
 */
export async function readAssetFrames(db: LatheDb, asset: Asset, start: number, n: number, out: Float32Array[], outOffset = 0, reader?: ChunkReader): Promise<void> {
  for (const ch of out) ch.fill(0, outOffset, outOffset + n);
  const from = Math.max(0, start);
  const to = Math.min(asset.frames, start + n);
  if (to <= from) return;
  const first = Math.floor(from / CHUNK_FRAMES);
  const last = Math.floor((to - 1) / CHUNK_FRAMES);
  let rows: (ChunkRow | undefined)[];
  if (reader) {
    rows = [];
    for (let i = first; i <= last; i++) rows.push(await reader.chunk(asset, i));
  } else {
    const keys: [string, number][] = [];
    for (let i = first; i <= last; i++) keys.push([asset.id, i]);
    rows = await db.chunks.bulkGet(keys);
  }
  const stride = bytesPerSample(asset.encoding) * asset.channels;
  const channels = out.slice(0, asset.channels);
  rows.forEach((row, k) => {
    if (!row) return;
    const chunkStart = (first + k) * CHUNK_FRAMES;
    const a = Math.max(from, chunkStart);
    const b = Math.min(to, chunkStart + CHUNK_FRAMES);
    decodeInterleaved(row.bytes.subarray((a - chunkStart) * stride, (b - chunkStart) * stride), asset.encoding, asset.channels, channels, outOffset + (a - start), b - a);
  });
  // A mono asset plays on both sides of a stereo output.
  if (asset.channels === 1) for (let c = 1; c < out.length; c++) out[c].set(out[0].subarray(outOffset, outOffset + n), outOffset);
}

export async function loadPeaks(db: LatheDb, assetId: string): Promise<PeakPyramid | undefined> {
  return (await db.peaks.get(assetId))?.pyramid;
}

/** The raw stored bytes of an asset, chunk by chunk, in order. */
export async function* assetChunks(db: LatheDb, assetId: string): AsyncGenerator<Uint8Array> {
  const count = await db.chunks.where('assetId').equals(assetId).count();
  for (let i = 0; i < count; i++) {
    const row = await db.chunks.get([assetId, i]);
    if (!row) throw new Error(`chunk ${i} of asset ${assetId} is missing`);
    yield row.bytes;
  }
}

/** Clip audio from the stored assets, at each asset's own rate (silence for a missing one). */
export function assetClipReader(db: LatheDb, assets: ReadonlyMap<string, Asset>, chunks?: ChunkReader): ClipReader {
  return async (clip, start, n, dst) => {
    const asset = assets.get(clip.assetId);
    if (asset) await readAssetFrames(db, asset, start, n, dst, 0, chunks);
    else for (const ch of dst) ch.fill(0, 0, n);
  };
}

/** What the renderer needs to know of each asset's samples. */
export function sourceFormats(assets: Iterable<Asset>): Map<string, SourceFormat> {
  return new Map([...assets].map((a) => [a.id, { rateHz: a.rateHz, bitDepth: a.bitDepth, sampleFormat: a.sampleFormat }]));
}
