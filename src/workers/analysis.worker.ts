/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { LatheDb } from '$lib/web/store/db';
import { analyzeClip, analyzeProject, analyzeReference, spatialCheckProject } from '$lib/web/store/analysis';
import type { AnalysisWorkerApi } from '$lib/web/analysis-client';
import { installErrorTransfer } from '$lib/web/threads';

installErrorTransfer();
const dbs = new Map<string, LatheDb>();

function open(dbName: string): LatheDb {
  let db = dbs.get(dbName);
  if (!db) dbs.set(dbName, (db = new LatheDb(dbName)));
  return db;
}

const api: AnalysisWorkerApi = {
  /** Reads the project from IndexedDB itself, measures what is not measured yet, and reports. */
  analyzeProject: (dbName, projectId, onProgress, inputs) => analyzeProject(open(dbName), projectId, onProgress, inputs),
  analyzeClip: (dbName, projectId, clipId) => analyzeClip(open(dbName), projectId, clipId),
  analyzeReference: (dbName, projectId, refId, onProgress) => analyzeReference(open(dbName), projectId, refId, onProgress),
  spatialCheck: (dbName, projectId, onProgress) => spatialCheckProject(open(dbName), projectId, onProgress)
};

Comlink.expose(api);
