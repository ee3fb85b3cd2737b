/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { LatheDb } from '$lib/web/store/db';
import { analyzeProject, type ProjectAnalysis } from '$lib/web/store/analysis';
import { isLatheError, errorMessage } from '$lib/core/errors';

const dbs = new Map<string, LatheDb>();

const api = {
  /** Reads the project from IndexedDB itself, measures what is not measured yet, and reports. */
  async analyzeProject(dbName: string, projectId: string, onProgress: (fraction: number, label: string) => void): Promise<ProjectAnalysis> {
    let db = dbs.get(dbName);
    if (!db) dbs.set(dbName, (db = new LatheDb(dbName)));
    try {
      return await analyzeProject(db, projectId, onProgress);
    } catch (e) {
      throw Object.assign(new Error(errorMessage(e)), { name: isLatheError(e) ? `LatheError:${e.code}` : 'Error' });
    }
  }
};

export type AnalysisWorkerApi = typeof api;
Comlink.expose(api);
