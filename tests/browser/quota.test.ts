import { describe, expect, it } from 'vitest';
import { isLatheError } from '$lib/core/errors';
import { createProject, loadProject } from '$lib/web/store/projects';
import { importAudioFile } from '$lib/web/files/import';
import { importPcmSource } from '$lib/web/store/ingest';
import { blobSource } from '$lib/web/files/blob-source';
import type { ChunkRow, LatheDb } from '$lib/web/store/db';
import { freshDb, sineChannels, wavFile } from './util';

const R = 44_100;

/*
 * A small quota, as the browser reports and enforces it. Chromium's own override (CDP
 * Storage.overrideQuotaForOrigin) changes neither estimate() nor what IndexedDB accepts in the
 * test browser's contexts (tried), so the browser's two answers are given here: the estimate, and
 * the QuotaExceededError IndexedDB raises when a write does not fit.
 */
const realEstimate = navigator.storage.estimate.bind(navigator.storage);

/** estimate() says only `bytes` are free. */
function squeeze(bytes: number): void {
  navigator.storage.estimate = async () => ({ usage: 1_000_000, quota: 1_000_000 + bytes });
}

function release(): void {
  navigator.storage.estimate = realEstimate;
}

/** IndexedDB refuses chunk writes once `bytes` have been written, as a full quota does. */
function fillsAfter(db: LatheDb, bytes: number): void {
  const put = db.chunks.bulkPut.bind(db.chunks);
  let written = 0;
  db.chunks.bulkPut = ((rows: ChunkRow[]) => {
    written += rows.reduce((n, r) => n + r.bytes.length, 0);
    if (written > bytes) return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    return put(rows);
  }) as typeof db.chunks.bulkPut;
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('did not fail');
}

describe('when the browser storage runs short', () => {
  it('refuses an import that will not fit before storing anything, naming the space it needs', async () => {
    const db = freshDb();
    const id = await createProject(db, 'Small quota');
    const file = wavFile('big.wav', sineChannels(30 * R, R), R);
    squeeze(2 << 20);
    try {
      const e = await failure(importAudioFile(file, id, db.name, () => {}));
      expect(isLatheError(e) && e.code).toBe('no-space');
      expect((e as Error).message).toMatch(/^big\.wav: the import needs 5\.\d MB of the browser's storage and [\d.]+ (MB|kB) is free\./);
      expect(await db.assets.count()).toBe(0);
    } finally {
      release();
    }
    db.close();
  });

  it('stops an import that runs out part way, leaves nothing half-stored, and the project still opens', async () => {
    const db = freshDb();
    const id = await createProject(db, 'Runs out');
    const small = await importAudioFile(wavFile('small.wav', sineChannels(2 * R, R), R), id, db.name, () => {});
    const file = wavFile('big.wav', sineChannels(60 * R, R), R);
    // The estimate said there was room (another tab filled it meanwhile): the writes fail part way.
    squeeze(100 << 20);
    fillsAfter(db, 4 << 20);
    try {
      const e = await failure(importPcmSource(db, blobSource(file), id, () => {}));
      expect(isLatheError(e) && e.code).toBe('no-space');
      expect((e as Error).message).toMatch(/^big\.wav: the import needs 11\.\d MB of the browser's storage/);
    } finally {
      release();
    }
    // Nothing of big.wav stays: no asset row, no chunk; the project opens with what it had.
    const assets = await db.assets.toArray();
    expect(assets.map((a) => a.name)).toEqual(['small.wav']);
    expect(await db.chunks.where('assetId').notEqual(small.id).count()).toBe(0);
    const { album } = await loadProject(db, id);
    expect(album.title).toBe('Runs out');
    db.close();
  });
});
