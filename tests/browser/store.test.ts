import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack } from '$lib/core/album/model';
import {
  createProject, deleteProject, duplicateProject, listProjects, loadProject, renameProject, saveAlbum, sweepUnfinishedImports
} from '$lib/web/store/projects';
import { importAudioFile } from '$lib/web/files/import';
import { freshDb, sineChannels, wavFile } from './util';

const R = 44_100;

describe('project store', () => {
  it('creates, lists, renames, saves and loads a project with its tracks and clips in order', async () => {
    const db = freshDb();
    const album = createAlbum({ title: 'Store test', artist: 'X' });
    for (const t of ['a', 'b', 'c']) album.tracks.push(createTrack(R, { title: t, clips: [createClip({ assetId: t, lengthSamples: R }), createClip({ assetId: `${t}2`, lengthSamples: R, positionSamples: R })] }));
    const id = await createProject(db, 'First', album);
    expect((await listProjects(db)).map((p) => [p.name, p.tracks])).toEqual([['First', 3]]);
    await renameProject(db, id, '  Renamed ');
    const loaded = await loadProject(db, id);
    expect(loaded.row.name).toBe('Renamed');
    expect(loaded.album).toEqual(album);
    const reordered = { ...album, tracks: [album.tracks[2], album.tracks[0]] };
    await saveAlbum(db, id, reordered);
    const again = await loadProject(db, id);
    expect(again.album.tracks.map((t) => t.title)).toEqual(['c', 'a']);
    expect(await db.tracks.count()).toBe(2);
    expect(await db.clips.count()).toBe(4);
    await expect(renameProject(db, id, '   ')).rejects.toThrow(/needs a name/);
    db.close();
  });

  it('duplicates a project sharing its audio, and deletes audio only with its last project', async () => {
    const db = freshDb();
    const a = await createProject(db, 'Original');
    const asset = await importAudioFile(wavFile('tone.wav', sineChannels(R, R), R), a, db.name, () => {});
    const album = createAlbum({ title: 'Original', tracks: [createTrack(R, { title: 'tone', clips: [createClip({ assetId: asset.id, lengthSamples: R })] })] });
    await saveAlbum(db, a, album);
    const b = await duplicateProject(db, a);
    const copy = await loadProject(db, b);
    expect(copy.row.name).toBe('Original (copy)');
    expect(copy.album.tracks[0].clips[0].assetId).toBe(asset.id);
    expect(copy.album.tracks[0].id).not.toBe(album.tracks[0].id);
    expect(copy.assets.map((x) => x.id)).toEqual([asset.id]);
    const chunks = await db.chunks.where('assetId').equals(asset.id).count();
    expect(chunks).toBeGreaterThan(0);
    await deleteProject(db, a);
    expect(await db.chunks.where('assetId').equals(asset.id).count()).toBe(chunks);
    expect((await listProjects(db)).map((p) => p.id)).toEqual([b]);
    await deleteProject(db, b);
    expect(await db.assets.count()).toBe(0);
    expect(await db.chunks.count()).toBe(0);
    expect(await db.peaks.count()).toBe(0);
    db.close();
  });

  it('sweeps imports that never finished', async () => {
    const db = freshDb();
    await db.assets.add({
      id: 'half', name: 'half.wav', rateHz: R, channels: 2, bitDepth: 16, sampleFormat: 'int', encoding: 's16le', frames: 0,
      sha256: '', container: 'wav', projectIds: ['p'], status: 'importing', chunkFrames: 65536, createdAt: Date.now() - 120_000
    });
    await db.chunks.add({ assetId: 'half', index: 0, bytes: new Uint8Array(16) });
    expect(await sweepUnfinishedImports(db, 60_000)).toBe(1);
    expect(await db.chunks.count()).toBe(0);
    expect(await db.assets.count()).toBe(0);
    db.close();
  });
});
