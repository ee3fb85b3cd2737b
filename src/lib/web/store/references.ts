/** A project's shelf of reference tracks, kept on its project row (each change one transaction). */
import type { Asset } from '$lib/core/album/model';
import { newId } from '$lib/core/album/model';
import { LatheError } from '$lib/core/errors';
import type { LatheDb, ReferenceTrack } from './db';
import { deleteAssetData } from './projects';

export async function listReferences(db: LatheDb, projectId: string): Promise<ReferenceTrack[]> {
  return (await db.projects.get(projectId))?.references ?? [];
}

async function change(db: LatheDb, projectId: string, f: (refs: ReferenceTrack[]) => ReferenceTrack[]): Promise<ReferenceTrack[]> {
  return db.transaction('rw', db.projects, async () => {
    const row = await db.projects.get(projectId);
    if (!row) throw new LatheError('no-such-project', 'This project no longer exists.');
    const references = f(row.references ?? []);
    await db.projects.put({ ...row, references });
    return references;
  });
}

/** Puts an imported file on the shelf, named after the file. */
export async function addReference(db: LatheDb, projectId: string, asset: Asset): Promise<ReferenceTrack> {
  const ref: ReferenceTrack = { id: newId(), assetId: asset.id, name: asset.name.replace(/\.[^.]+$/, '') || asset.name, loop: null };
  await change(db, projectId, (refs) => [...refs, ref]);
  return ref;
}

/** Sets a reference's loop region (null to play from the relative position); a region must be at least 0.1 s. */
export async function setReferenceLoop(db: LatheDb, projectId: string, refId: string, loop: ReferenceTrack['loop'], lengthSec: number): Promise<ReferenceTrack[]> {
  if (loop) {
    if (!(loop.startSec >= 0) || !(loop.endSec <= lengthSec + 1e-9) || !(loop.endSec - loop.startSec >= 0.1)) {
      throw new LatheError('bad-value', `a loop region runs from 0 to ${lengthSec.toFixed(1)} s and lasts at least 0.1 s; ${loop.startSec} to ${loop.endSec} s does not.`);
    }
  }
  return change(db, projectId, (refs) => refs.map((r) => (r.id === refId ? { ...r, loop } : r)));
}

/** Takes a reference off the shelf; its audio goes when no project uses it any more. */
export async function removeReference(db: LatheDb, projectId: string, refId: string): Promise<ReferenceTrack[]> {
  return db.transaction('rw', [db.projects, db.clips, db.assets, db.chunks, db.peaks, db.analyses], async () => {
    const row = await db.projects.get(projectId);
    const ref = row?.references?.find((r) => r.id === refId);
    const refs = await change(db, projectId, (list) => list.filter((r) => r.id !== refId));
    if (!ref) return refs;
    const inAlbum = await db.clips.where('projectId').equals(projectId).filter((c) => c.assetId === ref.assetId).count();
    const asset = await db.assets.get(ref.assetId);
    if (!asset || inAlbum > 0) return refs;
    const rest = asset.projectIds.filter((p) => p !== projectId);
    if (rest.length > 0) await db.assets.update(asset.id, { projectIds: rest });
    else await deleteAssetData(db, asset.id);
    return refs;
  });
}
