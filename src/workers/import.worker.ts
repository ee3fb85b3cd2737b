/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { LatheDb } from '$lib/web/store/db';
import { importDecodedAudio, importPcmSource } from '$lib/web/store/ingest';
import { blobSource } from '$lib/web/files/blob-source';
import type { ImportWorkerApi } from '$lib/web/files/import';
import { installErrorTransfer } from '$lib/web/threads';
import { LatheError, isLatheError, errorMessage } from '$lib/core/errors';

installErrorTransfer();
const dbs = new Map<string, LatheDb>();
const db = (name: string) => {
  let d = dbs.get(name);
  if (!d) dbs.set(name, (d = new LatheDb(name)));
  return d;
};

/** Whatever went wrong names the file it happened to. */
function named(e: unknown, file: string): LatheError {
  return isLatheError(e) ? e : new LatheError('import-failed', errorMessage(e), { file });
}

const api: ImportWorkerApi = {
  async importFile(file, projectId, dbName, onProgress) {
    try {
      return await importPcmSource(db(dbName), blobSource(file), projectId, onProgress);
    } catch (e) {
      throw named(e, file.name);
    }
  },
  async importDecoded(file, decoded, projectId, dbName, onProgress) {
    try {
      return await importDecodedAudio(db(dbName), blobSource(file), decoded, projectId, onProgress);
    } catch (e) {
      throw named(e, file.name);
    }
  }
};

Comlink.expose(api);
