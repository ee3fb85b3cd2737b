/** The .lathe archive: a zip of album.json and the audio, written and read in pieces, whole or not at all. */
import { Inflate, Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate';
import type { Album, Asset, SampleEncoding } from '$lib/core/album/model';
import { LatheError, errorMessage, isLatheError } from '$lib/core/errors';
import { entryDataOffset, readZipDirectory, type ZipEntry } from '$lib/core/archive/zip';
import type { ByteSource } from '$lib/core/audio/source';
import { blobSource } from './blob-source';
import { assertRoomFor } from '../store/storage';
import { albumFromDocument, albumToDocument, documentSources, parseAlbumJson, type SourceAsset } from '$lib/core/album/json';
import { wavHeader } from '$lib/core/audio/wav';
import { readArtwork } from '$lib/core/metadata/artwork';
import { bytesPerSample } from '$lib/core/audio/pcm';
import type { LatheDb } from '../store/db';
import { assetChunks } from '../store/assets';
import { createProject, deleteAssetData } from '../store/projects';
import { fromBase64 } from '../store/ingest';
import { newId } from '$lib/core/album/model';

/** The WAV encoding that holds an asset's samples unchanged. */
function wavEncoding(e: SampleEncoding): SampleEncoding {
  if (e === 's8') return 'u8';
  return e.endsWith('be') ? (e.replace('be', 'le') as SampleEncoding) : e;
}

/** Rewrites big-endian or signed 8-bit samples as WAV wants them, byte for byte. */
function toWavBytes(bytes: Uint8Array, e: SampleEncoding): Uint8Array {
  if (e === 's8') return bytes.map((b) => b ^ 0x80);
  if (!e.endsWith('be')) return bytes;
  const n = bytesPerSample(e);
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += n) for (let k = 0; k < n; k++) out[i + k] = bytes[i + n - 1 - k];
  return out;
}

function archiveName(asset: Asset, taken: Set<string>): string {
  const base = asset.name.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_').slice(0, 80) || 'audio';
  let name = `audio/${base}.wav`;
  for (let k = 2; taken.has(name); k++) name = `audio/${base}-${k}.wav`;
  taken.add(name);
  return name;
}

export async function exportArchive(db: LatheDb, album: Album, assets: Asset[]): Promise<Blob> {
  const used = new Set(album.tracks.flatMap((t) => t.clips.map((c) => c.assetId)));
  const taken = new Set<string>();
  const names = new Map<string, string>();
  for (const a of assets) if (used.has(a.id)) names.set(a.id, archiveName(a, taken));
  const doc = albumToDocument(album, (id) => names.get(id) ?? 'missing');
  // The cover travels as a file beside the audio; in album.json its path, as the CLI reads it.
  const cover = album.artwork ? await db.images.get(album.artwork) : undefined;
  if (cover) doc.artwork = `artwork/cover.${cover.mimeType === 'image/png' ? 'png' : 'jpg'}`;
  else delete doc.artwork;
  const parts: BlobPart[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else parts.push(data.slice());
  });
  const json = new ZipDeflate('album.json', { level: 6 });
  zip.add(json);
  json.push(strToU8(JSON.stringify(doc, null, 2)), true);
  if (cover && doc.artwork) {
    const entry = new ZipPassThrough(doc.artwork);
    zip.add(entry);
    entry.push(cover.bytes, true);
  }
  for (const a of assets) {
    const name = names.get(a.id);
    if (!name) continue;
    const entry = new ZipPassThrough(name);
    zip.add(entry);
    const encoding = wavEncoding(a.encoding);
    entry.push(wavHeader({ rateHz: a.rateHz, channels: a.channels, encoding, frames: a.frames, bext: a.bextBase64 ? fromBase64(a.bextBase64) : undefined }));
    for await (const bytes of assetChunks(db, a.id)) entry.push(toWavBytes(bytes, a.encoding));
    const dataBytes = a.frames * a.channels * bytesPerSample(encoding);
    entry.push(new Uint8Array(dataBytes & 1), true);
  }
  zip.end();
  if (failure) throw new LatheError('export-failed', errorMessage(failure));
  return new Blob(parts, { type: 'application/zip' });
}

export type AudioImporter = (file: File, projectId: string) => Promise<Asset>;

/** An entry's bytes as a Blob: a slice of the archive when stored (no copy), inflated piece by piece when deflated. */
async function entryBlob(archive: Blob, source: ByteSource, entry: ZipEntry): Promise<Blob> {
  const start = await entryDataOffset(source, entry);
  const data = archive.slice(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw new LatheError('bad-archive', `the entry ${entry.name} is compressed in a way Lathe does not read (method ${entry.method}).`, { file: source.name });
  const parts: BlobPart[] = [];
  const inflate = new Inflate((chunk) => parts.push(chunk.slice()));
  const reader = data.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      inflate.push(value);
    }
    inflate.push(new Uint8Array(0), true);
  } catch (e) {
    throw new LatheError('bad-archive', `the entry ${entry.name} does not inflate (${errorMessage(e)}).`, { file: source.name });
  }
  return new Blob(parts);
}

/**
 * Reads a .lathe archive into a new project, streaming: the zip's directory is read from its end,
 * album.json validated before any audio is stored, and each audio file imported straight from its
 * place in the archive (never the whole archive in memory). A failure part way removes everything
 * already stored: nothing changes.
 */
export async function importArchive(db: LatheDb, archive: File, importAudio: AudioImporter): Promise<string> {
  const fileName = archive.name;
  const source = blobSource(archive, fileName);
  let entries: ZipEntry[];
  try {
    entries = await readZipDirectory(source);
  } catch (e) {
    if (isLatheError(e)) throw e;
    throw new LatheError('bad-archive', `this is not a valid .lathe archive (${errorMessage(e)}).`, { file: fileName });
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  const json = entries.find((e) => e.name === 'album.json' || /^[^/]+\/album\.json$/.test(e.name));
  if (!json) throw new LatheError('bad-archive', 'the archive has no album.json.', { file: fileName });
  if (json.size > 64 << 20) throw new LatheError('bad-archive', `its album.json is ${json.size} bytes; that is no album.json.`, { file: fileName });
  const root = json.name.slice(0, json.name.length - 'album.json'.length);
  const doc = parseAlbumJson(await (await entryBlob(archive, source, json)).text(), `${fileName}/${json.name}`);
  const sources = documentSources(doc);
  for (const s of sources) {
    if (!byName.has(root + s)) throw new LatheError('bad-archive', `album.json names ${s}, which is not in the archive.`, { file: fileName });
  }
  const coverEntry = doc.artwork ? byName.get(root + doc.artwork) : undefined;
  if (doc.artwork && !coverEntry) throw new LatheError('bad-archive', `album.json names the cover ${doc.artwork}, which is not in the archive.`, { file: fileName });
  // Checked before anything is stored, as the audio is.
  const cover = coverEntry ? readArtwork(new Uint8Array(await (await entryBlob(archive, source, coverEntry)).arrayBuffer()), `${fileName}/${coverEntry.name}`) : null;
  await assertRoomFor(sources.reduce((n, s) => n + (byName.get(root + s) as ZipEntry).size, 0), 'the archive', fileName);
  const projectId = newId();
  const imported: Asset[] = [];
  const coverId = cover ? newId() : null;
  try {
    const map = new Map<string, SourceAsset>();
    for (const s of sources) {
      const blob = await entryBlob(archive, source, byName.get(root + s) as ZipEntry);
      const asset = await importAudio(new File([blob], s.split('/').pop() ?? s), projectId);
      imported.push(asset);
      map.set(s, asset);
    }
    const album = albumFromDocument(doc, map, `${fileName}/${json.name}`);
    if (cover && coverId) {
      const name = (doc.artwork as string).split('/').pop() as string;
      await db.images.put({ id: coverId, projectId, name, mimeType: cover.mimeType, widthPx: cover.widthPx, heightPx: cover.heightPx, bytes: cover.bytes, createdAt: Date.now() });
      album.artwork = coverId;
    }
    const name = album.title || fileName.replace(/\.lathe$/i, '');
    return await createProject(db, name, album, projectId);
  } catch (e) {
    if (coverId) await db.images.delete(coverId);
    for (const a of imported) {
      const row = await db.assets.get(a.id);
      if (!row) continue;
      const rest = row.projectIds.filter((p) => p !== projectId);
      if (rest.length) await db.assets.update(a.id, { projectIds: rest });
      else await deleteAssetData(db, a.id);
    }
    throw e;
  }
}
