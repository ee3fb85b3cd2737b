/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { LatheDb } from '$lib/web/store/db';
import { importDecodedAudio, importPcmSource, type DecodedAudio } from '$lib/web/store/ingest';
import { blobSource } from '$lib/web/files/blob-source';
import { LatheError, isLatheError, errorMessage } from '$lib/core/errors';
import type { Asset } from '$lib/core/album/model';

const dbs = new Map<string, LatheDb>();
const db = (name: string) => {
  let d = dbs.get(name);
  if (!d) dbs.set(name, (d = new LatheDb(name)));
  return d;
};

/** Errors cross the worker boundary as plain data, with their code kept. */
function rethrow(e: unknown, file: string): never {
  const err = isLatheError(e) ? e : new LatheError('import-failed', errorMessage(e), { file });
  throw Object.assign(new Error(err.message), { name: `LatheError:${err.code}` });
}

const api = {
  async importFile(file: File, projectId: string, dbName: string, onProgress: (f: number) => void): Promise<Asset> {
    try {
      return await importPcmSource(db(dbName), blobSource(file), projectId, onProgress);
    } catch (e) {
      rethrow(e, file.name);
    }
  },
  async importDecoded(file: File, decoded: DecodedAudio, projectId: string, dbName: string, onProgress: (f: number) => void): Promise<Asset> {
    try {
      return await importDecodedAudio(db(dbName), blobSource(file), decoded, projectId, onProgress);
    } catch (e) {
      rethrow(e, file.name);
    }
  }
};

export type ImportWorkerApi = typeof api;
Comlink.expose(api);
