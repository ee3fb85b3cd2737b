/** The .lathe archive: a zip of album.json and the audio, written and read whole or not at all. */
import { Zip, ZipDeflate, ZipPassThrough, unzipSync, strToU8, strFromU8 } from 'fflate';
import type { Album, Asset, SampleEncoding } from '$lib/core/album/model';
import { LatheError, errorMessage } from '$lib/core/errors';
import { albumFromDocument, albumToDocument, documentSources, parseAlbumJson, type SourceAsset } from '$lib/core/album/json';
import { wavHeader } from '$lib/core/audio/wav';
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
  const parts: BlobPart[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else parts.push(data.slice());
  });
  const json = new ZipDeflate('album.json', { level: 6 });
  zip.add(json);
  json.push(strToU8(JSON.stringify(doc, null, 2)), true);
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

/**
 * Reads a .lathe archive into a new project. album.json is validated before any audio is
 * stored, and a failure part way removes everything already stored: nothing changes.
 */
export async function importArchive(db: LatheDb, archive: File, importAudio: AudioImporter): Promise<string> {
  const fileName = archive.name;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(new Uint8Array(await archive.arrayBuffer()));
  } catch (e) {
    throw new LatheError('bad-archive', `this is not a valid .lathe archive (${errorMessage(e)}).`, { file: fileName });
  }
  const jsonPath = Object.keys(entries).find((p) => p === 'album.json' || /^[^/]+\/album\.json$/.test(p));
  if (!jsonPath) throw new LatheError('bad-archive', 'the archive has no album.json.', { file: fileName });
  const root = jsonPath.slice(0, jsonPath.length - 'album.json'.length);
  const doc = parseAlbumJson(strFromU8(entries[jsonPath]), `${fileName}/${jsonPath}`);
  const sources = documentSources(doc);
  for (const s of sources) {
    if (!entries[root + s]) throw new LatheError('bad-archive', `album.json names ${s}, which is not in the archive.`, { file: fileName });
  }
  const projectId = newId();
  const imported: Asset[] = [];
  try {
    const map = new Map<string, SourceAsset>();
    for (const s of sources) {
      const asset = await importAudio(new File([entries[root + s] as BlobPart], s.split('/').pop() ?? s), projectId);
      imported.push(asset);
      map.set(s, asset);
    }
    const album = albumFromDocument(doc, map, `${fileName}/${jsonPath}`);
    const name = album.title || fileName.replace(/\.lathe$/i, '');
    return await createProject(db, name, album, projectId);
  } catch (e) {
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
