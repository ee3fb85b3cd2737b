/** The analysis worker, started once per page. */
import * as Comlink from 'comlink';
import type { MasterInputs, ProjectAnalysis } from './store/analysis';
import { installErrorTransfer } from './threads';

/** What the analysis worker (src/workers/analysis.worker.ts) offers the page. */
export interface AnalysisWorkerApi {
  analyzeProject(dbName: string, projectId: string, onProgress: (fraction: number, label: string) => void, inputs?: MasterInputs): Promise<ProjectAnalysis>;
}

let worker: Comlink.Remote<AnalysisWorkerApi> | undefined;

export function analyzeInWorker(dbName: string, projectId: string, onProgress: (fraction: number, label: string) => void, inputs: MasterInputs = {}): Promise<ProjectAnalysis> {
  installErrorTransfer();
  worker ??= Comlink.wrap<AnalysisWorkerApi>(new Worker(new URL('../../workers/analysis.worker.ts', import.meta.url), { type: 'module' }));
  return worker.analyzeProject(dbName, projectId, Comlink.proxy(onProgress), inputs);
}
