/** Renders a project's CD delivery from IndexedDB: used by the render worker. */
import { deliverCd, type CdReport, type OutputFolder } from '$lib/core/delivery/cd';
import type { NoiseShaping } from '$lib/core/dsp/dither';
import type { Album } from '$lib/core/album/model';
import type { LatheDb } from '../store/db';
import { loadProject } from '../store/projects';
import { assetClipReader, readAssetFrames, sourceFormats } from '../store/assets';
import { ChunkReader } from '../store/chunk-reader';
import { LatheError } from '$lib/core/errors';

export interface CdRenderSettings {
  shaping: NoiseShaping;
  seed: number;
  /** The album to render instead of the stored one: the stored one with browser-only chains rendered (prerender.ts). */
  album?: Album;
  /** The CD programme after a browser-only master chain (prerender.ts bakeCdMaster): only dithered here. */
  premasteredAssetId?: string;
}

export async function renderProjectCd(
  db: LatheDb,
  projectId: string,
  out: OutputFolder,
  settings: CdRenderSettings,
  onProgress: (fraction: number) => void,
  signal: { aborted: boolean }
): Promise<CdReport> {
  const loaded = await loadProject(db, projectId);
  const { assets } = loaded;
  const album = settings.album ?? loaded.album;
  const byId = new Map(assets.map((a) => [a.id, a]));
  const baseName = (album.title || 'album').replace(/[^\w.-]+/g, '_');
  const programme = settings.premasteredAssetId ? byId.get(settings.premasteredAssetId) : undefined;
  if (settings.premasteredAssetId && !programme) throw new LatheError('missing-asset', 'the rendered master chain is missing from the project; render again.');
  const chunks = new ChunkReader(db);
  return deliverCd(
    album,
    sourceFormats(assets),
    assetClipReader(db, byId, chunks),
    out,
    {
      baseName,
      shaping: settings.shaping,
      seed: settings.seed,
      createdIso: new Date().toISOString(),
      premastered: programme ? (from, n, dst) => readAssetFrames(db, programme, from, n, dst, 0, chunks) : undefined
    },
    { onProgress, signal }
  );
}
