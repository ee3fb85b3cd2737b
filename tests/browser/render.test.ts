import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack } from '$lib/core/album/model';
import { createProject, saveAlbum } from '$lib/web/store/projects';
import { importAudioFile } from '$lib/web/files/import';
import { cancelRender, renderCdZip } from '$lib/web/delivery/client';
import { freshDb, sineChannels, wavFile } from './util';

const R = 44_100;

async function project(seconds: number) {
  const db = freshDb();
  const id = await createProject(db, 'Render');
  const asset = await importAudioFile(wavFile('long.wav', sineChannels(seconds * R, R), R), id, db.name, () => {});
  await saveAlbum(db, id, createAlbum({ title: 'Render', tracks: [createTrack(R, { title: 'Long', clips: [createClip({ assetId: asset.id, lengthSamples: asset.frames })] })] }));
  return { db, id };
}

describe('render worker', () => {
  it('renders the CD from IndexedDB into a zip, with progress', async () => {
    const { db, id } = await project(8);
    const progress: number[] = [];
    const { zip, report } = await renderCdZip(db.name, id, 'Render CD', { shaping: 'none', seed: 1 }, (f) => progress.push(f));
    expect(zip.size).toBeGreaterThan(2 * 10 * 75 * 2352);
    expect(report.tracks[0]).toMatchObject({ index01Frame: 150, lengthFrames: 600 });
    expect(progress.at(-1)).toBe(1);
    db.close();
  });

  it('stops when cancelled, and delivers nothing', async () => {
    const { db, id } = await project(120);
    const run = renderCdZip(db.name, id, 'Render CD', { shaping: 'none', seed: 1 }, (f) => {
      if (f > 0.05) cancelRender();
    });
    await expect(run).rejects.toThrow(/cancelled/);
    db.close();
  });
});
