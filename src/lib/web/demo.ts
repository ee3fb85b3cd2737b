/** The demo album: synthesized, then imported through the same path as any file. */
import { demoAlbumTracks } from '$lib/core/audio/synth';
import { encodeWav } from '$lib/core/audio/wav';
import { createAlbum, createClip, createTrack, assetLengthAtRate } from '$lib/core/album/model';
import { newId } from '$lib/core/album/model';
import type { LatheDb } from './store/db';
import { createProject } from './store/projects';
import { importAudioFile } from './files/import';

export async function createDemoProject(db: LatheDb): Promise<string> {
  const rate = 44_100;
  const projectId = newId();
  const album = createAlbum({ title: 'Demo Album', artist: 'The Lathe Ensemble', rateHz: rate });
  for (const [i, t] of demoAlbumTracks(rate).entries()) {
    const wav = encodeWav(t.channels, { rateHz: rate, encoding: 's16le' });
    const file = new File([wav as BlobPart], `${String(i + 1).padStart(2, '0')} ${t.title}.wav`, { type: 'audio/wav' });
    const asset = await importAudioFile(file, projectId, db.name, () => {});
    album.tracks.push(
      createTrack(rate, {
        title: t.title,
        performer: t.performer,
        clips: [createClip({ assetId: asset.id, lengthSamples: assetLengthAtRate(asset, rate), fadeOutSamples: Math.round(0.05 * rate) })]
      })
    );
  }
  return createProject(db, 'Demo Album', album, projectId);
}
