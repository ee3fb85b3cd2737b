import { describe, expect, inject, it } from 'vitest';
import { unzipSync } from 'fflate';
import { albumFromDocument, parseAlbumJson } from '$lib/core/album/json';
import { createProject, saveAlbum } from '$lib/web/store/projects';
import { importAudioFile } from '$lib/web/files/import';
import { renderCdZip } from '$lib/web/delivery/client';
import { md5Hex } from '$lib/core/hash';
import { DETERMINISM_ALBUM, DETERMINISM_SOURCES, determinismAudio } from '../helpers/determinism-album';
import { freshDb, wavFile } from './util';

// The promise that the CLI and the app are one engine: the same album, the same bytes.
describe('the CLI and the browser render the same CD', () => {
  it('IMAGE.DAT from the render worker equals the one lathe render wrote in Node, byte for byte', async () => {
    const db = freshDb();
    const id = await createProject(db, 'Same bytes');
    const assets = new Map<string, { id: string; rateHz: number; frames: number }>();
    for (const [i, s] of DETERMINISM_SOURCES.entries()) {
      const a = await importAudioFile(wavFile(s.name, determinismAudio(i), s.rateHz, 's24le'), id, db.name, () => {});
      assets.set(`audio/${s.name}`, a);
    }
    const album = albumFromDocument(parseAlbumJson(JSON.stringify(DETERMINISM_ALBUM)), assets);
    await saveAlbum(db, id, album);
    const { zip, report } = await renderCdZip(db.name, id, 'cd', { shaping: 'lipshitz', seed: 7 }, () => {});
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    const image = files['cd/DDP/IMAGE.DAT'];
    expect(image.length).toBe(report.leadOutFrame * 2352);
    expect(await md5Hex(image)).toBe(inject('cliImageMd5'));
    expect(report.imageMd5).toBe(inject('cliImageMd5'));
    db.close();
  });
});
