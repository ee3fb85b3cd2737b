/** Renders a project's release (CD, streaming and hi-res masters) from IndexedDB: used by the render worker. */
import { deliverRelease, type ReleaseReport } from '$lib/core/delivery/release';
import type { OutputFolder } from '$lib/core/delivery/cd';
import type { NoiseShaping } from '$lib/core/dsp/dither';
import type { Album } from '$lib/core/album/model';
import type { VariantId } from '$lib/core/album/variants';
import { LatheError } from '$lib/core/errors';
import { readArtwork } from '$lib/core/metadata/artwork';
import { flacEncoder } from '$lib/codecs/flac';
import { LOSSY_CODECS } from '$lib/codecs/lossy';
import { hasWebCodecsOpus, opusCodec } from './opus';
import type { LatheDb } from '../store/db';
import { loadProject } from '../store/projects';
import { assetClipReader, sourceFormats } from '../store/assets';
import { ChunkReader } from '../store/chunk-reader';
import { firstPartyInfo } from '$lib/core/dsp/plugins';
import { allChannelsReader } from '$lib/core/spatial/render';

export interface ReleaseRenderSettings {
  variants: VariantId[];
  shaping: NoiseShaping;
  seed: number;
  /** The album with browser-only clip and track chains rendered (prerender.ts). */
  album?: Album;
}

export async function renderProjectRelease(
  db: LatheDb,
  projectId: string,
  out: OutputFolder,
  settings: ReleaseRenderSettings,
  onProgress: (fraction: number) => void,
  signal: { aborted: boolean }
): Promise<ReleaseReport> {
  const loaded = await loadProject(db, projectId);
  const album = settings.album ?? loaded.album;
  // Checked here rather than with prerender.ts, which brings the Web Audio host into the worker.
  if (album.masterChain.some((s) => !s.bypass && !firstPartyInfo(s.plugin))) {
    throw new LatheError('unsupported', 'the master chain holds a third-party plugin, which is rendered for the CD only so far; render the CD alone, or use first-party plugins on the master.');
  }
  const byId = new Map(loaded.assets.map((a) => [a.id, a]));
  const image = album.artwork ? await db.images.get(album.artwork) : undefined;
  if (album.artwork && !image) throw new LatheError('missing-asset', 'the cover image is missing from the project; add it again in Metadata.');
  const artwork = image ? readArtwork(image.bytes, image.name) : undefined;
  const chunks = new ChunkReader(db);
  return deliverRelease(
    album,
    sourceFormats(loaded.assets),
    assetClipReader(db, byId, new ChunkReader(db)),
    out,
    {
      variants: settings.variants,
      baseName: (album.title || 'album').replace(/[^\w.-]+/g, '_'),
      shaping: settings.shaping,
      seed: settings.seed,
      createdIso: new Date().toISOString(),
      flac: flacEncoder,
      artwork,
      codecs: hasWebCodecsOpus() ? [...LOSSY_CODECS, opusCodec] : LOSSY_CODECS,
      nameOf: (id) => byId.get(id)?.name ?? id,
      // Beds and objects read with all their channels, for the ADM master.
      spatial: (rateHz) => ({
        read: allChannelsReader(assetClipReader(db, byId, chunks), (id) => byId.get(id)?.rateHz ?? rateHz, rateHz),
        channelsOf: (clip) => byId.get(clip.assetId)?.channels ?? 2,
        nameOf: (clip) => byId.get(clip.assetId)?.name ?? 'missing source'
      })
    },
    { onProgress, signal }
  );
}
