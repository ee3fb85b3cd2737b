/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { LatheDb } from '$lib/web/store/db';
import { analyzeProject } from '$lib/web/store/analysis';
import type { AnalysisWorkerApi } from '$lib/web/analysis-client';
import { installErrorTransfer } from '$lib/web/threads';

installErrorTransfer();
const dbs = new Map<string, LatheDb>();

const api: AnalysisWorkerApi = {
  /** Reads the project from IndexedDB itself, measures what is not measured yet, and reports. */
  async analyzeProject(dbName, projectId, onProgress, inputs) {
    let db = dbs.get(dbName);
    if (!db) dbs.set(dbName, (db = new LatheDb(dbName)));
    return analyzeProject(db, projectId, onProgress, inputs);
  }
};

Comlink.expose(api);
