/** The analysis worker, started once per page. */
import * as Comlink from 'comlink';
import type { AnalysisWorkerApi } from '../../workers/analysis.worker';
import type { ProjectAnalysis } from './store/analysis';

let worker: Comlink.Remote<AnalysisWorkerApi> | undefined;

export function analyzeInWorker(dbName: string, projectId: string, onProgress: (fraction: number, label: string) => void): Promise<ProjectAnalysis> {
  worker ??= Comlink.wrap<AnalysisWorkerApi>(new Worker(new URL('../../workers/analysis.worker.ts', import.meta.url), { type: 'module' }));
  return worker.analyzeProject(dbName, projectId, Comlink.proxy(onProgress));
}
