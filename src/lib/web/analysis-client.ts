/** The analysis worker, started once per page. */
import * as Comlink from 'comlink';
import type { AnalysisSummary, ClipLoudness, MasterInputs, ProjectAnalysis } from './store/analysis';
import type { SpatialReport } from '$lib/core/spatial/checks';
import { installErrorTransfer } from './threads';

/** What the analysis worker (src/workers/analysis.worker.ts) offers the page. */
export interface AnalysisWorkerApi {
  analyzeProject(dbName: string, projectId: string, onProgress: (fraction: number, label: string) => void, inputs?: MasterInputs): Promise<ProjectAnalysis>;
  analyzeClip(dbName: string, projectId: string, clipId: string): Promise<ClipLoudness>;
  analyzeReference(dbName: string, projectId: string, refId: string, onProgress: (fraction: number) => void): Promise<AnalysisSummary>;
  spatialCheck(dbName: string, projectId: string, onProgress: (fraction: number) => void): Promise<SpatialReport>;
}

let worker: Comlink.Remote<AnalysisWorkerApi> | undefined;

function analysisWorker(): Comlink.Remote<AnalysisWorkerApi> {
  installErrorTransfer();
  worker ??= Comlink.wrap<AnalysisWorkerApi>(new Worker(new URL('../../workers/analysis.worker.ts', import.meta.url), { type: 'module' }));
  return worker;
}

export function analyzeInWorker(dbName: string, projectId: string, onProgress: (fraction: number, label: string) => void, inputs: MasterInputs = {}): Promise<ProjectAnalysis> {
  return analysisWorker().analyzeProject(dbName, projectId, Comlink.proxy(onProgress), inputs);
}

/** A clip's loudness on its own, measured in the analysis worker from what the project has saved. */
export function analyzeClipInWorker(dbName: string, projectId: string, clipId: string): Promise<ClipLoudness> {
  return analysisWorker().analyzeClip(dbName, projectId, clipId);
}

/** The fold-down checks of an immersive project, run in the analysis worker on what it has saved. */
export function spatialCheckInWorker(dbName: string, projectId: string, onProgress: (fraction: number) => void): Promise<SpatialReport> {
  return analysisWorker().spatialCheck(dbName, projectId, Comlink.proxy(onProgress));
}

/** A reference track measured with its spectrum in the analysis worker (kept, so measured once). */
export function analyzeReferenceInWorker(dbName: string, projectId: string, refId: string, onProgress: (fraction: number) => void): Promise<AnalysisSummary> {
  return analysisWorker().analyzeReference(dbName, projectId, refId, Comlink.proxy(onProgress));
}
