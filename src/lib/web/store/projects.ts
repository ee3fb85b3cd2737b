/** Projects in IndexedDB: the list, and each album saved and loaded in one transaction. */
import type { Album, Asset } from '$lib/core/album/model';
import { createAlbum, createClip, createTrack, newId } from '$lib/core/album/model';
import { LatheError } from '$lib/core/errors';
import type { LatheDb, ProjectRow, TrackRow, ClipRow, AssetRow } from './db';

export interface ProjectSummary {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  tracks: number;
}

export async function listProjects(db: LatheDb): Promise<ProjectSummary[]> {
  const rows = await db.projects.orderBy('updatedAt').reverse().toArray();
  const counts = await Promise.all(rows.map((r) => db.tracks.where('projectId').equals(r.id).count()));
  return rows.map((r, i) => ({ id: r.id, name: r.name, createdAt: r.createdAt, updatedAt: r.updatedAt, tracks: counts[i] }));
}

export async function createProject(db: LatheDb, name: string, album: Album = createAlbum({ title: name }), id = newId()): Promise<string> {
  const now = Date.now();
  await db.transaction('rw', db.projects, db.tracks, db.clips, async () => {
    await db.projects.add({ id, name, createdAt: now, updatedAt: now, album: albumFields(album) });
    await writeTracks(db, id, album);
  });
  return id;
}

function albumFields(album: Album): ProjectRow['album'] {
  const { tracks: _tracks, ...rest } = album;
  return rest;
}

async function writeTracks(db: LatheDb, projectId: string, album: Album): Promise<void> {
  const trackRows: TrackRow[] = album.tracks.map((t, order) => {
    const { clips: _clips, ...rest } = t;
    return { ...rest, projectId, order };
  });
  const clipRows: ClipRow[] = album.tracks.flatMap((t) => t.clips.map((c, order) => ({ ...c, projectId, trackId: t.id, order })));
  const keepTracks = new Set(trackRows.map((t) => t.id));
  const keepClips = new Set(clipRows.map((c) => c.id));
  const oldTracks = await db.tracks.where('projectId').equals(projectId).primaryKeys();
  const oldClips = await db.clips.where('projectId').equals(projectId).primaryKeys();
  await db.tracks.bulkDelete(oldTracks.filter((id) => !keepTracks.has(id)));
  await db.clips.bulkDelete(oldClips.filter((id) => !keepClips.has(id)));
  await db.tracks.bulkPut(trackRows);
  await db.clips.bulkPut(clipRows);
}

/** Saves the whole album in one transaction: a reload sees all of an edit or none of it. */
export async function saveAlbum(db: LatheDb, projectId: string, album: Album): Promise<void> {
  await db.transaction('rw', db.projects, db.tracks, db.clips, async () => {
    const row = await db.projects.get(projectId);
    if (!row) throw new LatheError('no-such-project', 'This project no longer exists.');
    await db.projects.put({ ...row, updatedAt: Date.now(), album: albumFields(album) });
    await writeTracks(db, projectId, album);
  });
}

export async function loadProject(db: LatheDb, projectId: string): Promise<{ row: ProjectRow; album: Album; assets: Asset[] }> {
  return db.transaction('r', db.projects, db.tracks, db.clips, db.assets, async () => {
    const row = await db.projects.get(projectId);
    if (!row) throw new LatheError('no-such-project', 'There is no such project; it may have been deleted.');
    const tracks = (await db.tracks.where('projectId').equals(projectId).toArray()).sort((a, b) => a.order - b.order);
    const clips = await db.clips.where('projectId').equals(projectId).toArray();
    // Through the model's constructors, so fields added since a project was saved get their defaults.
    const rate = row.album.rateHz;
    const album: Album = createAlbum({
      ...row.album,
      tracks: tracks.map(({ projectId: _p, order: _o, ...t }) =>
        createTrack(rate, {
          ...t,
          clips: clips
            .filter((c) => c.trackId === t.id)
            .sort((a, b) => a.order - b.order)
            .map(({ projectId: _pp, trackId: _t, order: _oo, ...c }) => createClip(c))
        })
      )
    });
    const assetRows = await db.assets.where('projectIds').equals(projectId).toArray();
    return { row, album, assets: assetRows.filter((a) => a.status === 'ready').map(assetFromRow) };
  });
}

export function assetFromRow(row: AssetRow): Asset {
  const { projectIds: _p, status: _s, chunkFrames: _c, createdAt: _t, ...asset } = row;
  return asset;
}

export async function renameProject(db: LatheDb, projectId: string, name: string): Promise<void> {
  const trimmed = name.trim();
  if (!trimmed) throw new LatheError('bad-name', 'A project needs a name.');
  const n = await db.projects.update(projectId, { name: trimmed, updatedAt: Date.now() });
  if (n === 0) throw new LatheError('no-such-project', 'There is no such project.');
}

/** Copies a project; the audio is shared, not copied (assets are never changed once stored). */
export async function duplicateProject(db: LatheDb, projectId: string, name?: string): Promise<string> {
  return db.transaction('rw', [db.projects, db.tracks, db.clips, db.assets], async () => {
    const { row, album } = await loadProject(db, projectId);
    const copy: Album = {
      ...album,
      id: newId(),
      tracks: album.tracks.map((t) => ({ ...t, id: newId(), clips: t.clips.map((c) => ({ ...c, id: newId() })) }))
    };
    const id = await createProject(db, name ?? `${row.name} (copy)`, copy);
    await db.assets.where('projectIds').equals(projectId).modify((a) => {
      if (!a.projectIds.includes(id)) a.projectIds.push(id);
    });
    return id;
  });
}

/** Deletes a project, and the audio no other project uses. */
export async function deleteProject(db: LatheDb, projectId: string): Promise<void> {
  await db.transaction('rw', [db.projects, db.tracks, db.clips, db.assets, db.chunks, db.peaks, db.analyses, db.masters], async () => {
    await db.tracks.where('projectId').equals(projectId).delete();
    await db.masters.where('projectId').equals(projectId).delete();
    await db.clips.where('projectId').equals(projectId).delete();
    await db.projects.delete(projectId);
    const assets = await db.assets.where('projectIds').equals(projectId).toArray();
    for (const a of assets) {
      const rest = a.projectIds.filter((p) => p !== projectId);
      if (rest.length > 0) await db.assets.update(a.id, { projectIds: rest });
      else await deleteAssetData(db, a.id);
    }
  });
}

export async function deleteAssetData(db: LatheDb, assetId: string): Promise<void> {
  await db.transaction('rw', [db.assets, db.chunks, db.peaks, db.analyses], async () => {
    await db.chunks.where('assetId').equals(assetId).delete();
    await db.peaks.delete(assetId);
    await db.analyses.where('assetId').equals(assetId).delete();
    await db.assets.delete(assetId);
  });
}

/** Removes imports that never finished (the page closed mid-import): nothing half-stored stays. */
export async function sweepUnfinishedImports(db: LatheDb, olderThanMs = 0): Promise<number> {
  const stale = await db.assets.where('status').equals('importing').filter((a) => Date.now() - a.createdAt >= olderThanMs).primaryKeys();
  for (const id of stale) await deleteAssetData(db, id);
  return stale.length;
}
