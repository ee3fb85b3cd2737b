/** The render worker, as the page uses it. */
import * as Comlink from 'comlink';
import type { CdRenderSettings } from './render-cd';
import type { ReleaseRenderSettings } from './render-release';
import type { ReleaseReport } from '$lib/core/delivery/release';
import type { CdReport } from '$lib/core/delivery/cd';
import { installErrorTransfer } from '../threads';

/** What the render worker (src/workers/render.worker.ts) offers the page. */
export interface RenderWorkerApi {
  /** Renders the CD delivery into a zip; the Blob exists only if everything was written. */
  renderCdZip(dbName: string, projectId: string, folderName: string, settings: CdRenderSettings, onProgress: (f: number) => void): Promise<{ zip: Blob; report: CdReport }>;
  /** Renders into a new subfolder of a picked directory; a failed render removes the subfolder. */
  renderCdToDirectory(dbName: string, projectId: string, parent: FileSystemDirectoryHandle, folderName: string, settings: CdRenderSettings, onProgress: (f: number) => void): Promise<CdReport>;
  renderReleaseZip(dbName: string, projectId: string, folderName: string, settings: ReleaseRenderSettings, onProgress: (f: number) => void): Promise<{ zip: Blob; report: ReleaseReport }>;
  renderReleaseToDirectory(dbName: string, projectId: string, parent: FileSystemDirectoryHandle, folderName: string, settings: ReleaseRenderSettings, onProgress: (f: number) => void): Promise<ReleaseReport>;
  cancel(): void;
}

let worker: Comlink.Remote<RenderWorkerApi> | undefined;

function renderWorker(): Comlink.Remote<RenderWorkerApi> {
  installErrorTransfer();
  worker ??= Comlink.wrap<RenderWorkerApi>(new Worker(new URL('../../../workers/render.worker.ts', import.meta.url), { type: 'module' }));
  return worker;
}

export function renderCdZip(dbName: string, projectId: string, folderName: string, settings: CdRenderSettings, onProgress: (f: number) => void): Promise<{ zip: Blob; report: CdReport }> {
  return renderWorker().renderCdZip(dbName, projectId, folderName, settings, Comlink.proxy(onProgress));
}

export function renderCdToDirectory(dbName: string, projectId: string, parent: FileSystemDirectoryHandle, folderName: string, settings: CdRenderSettings, onProgress: (f: number) => void): Promise<CdReport> {
  return renderWorker().renderCdToDirectory(dbName, projectId, parent, folderName, settings, Comlink.proxy(onProgress));
}

export function renderReleaseZip(dbName: string, projectId: string, folderName: string, settings: ReleaseRenderSettings, onProgress: (f: number) => void): Promise<{ zip: Blob; report: ReleaseReport }> {
  return renderWorker().renderReleaseZip(dbName, projectId, folderName, settings, Comlink.proxy(onProgress));
}

export function renderReleaseToDirectory(dbName: string, projectId: string, parent: FileSystemDirectoryHandle, folderName: string, settings: ReleaseRenderSettings, onProgress: (f: number) => void): Promise<ReleaseReport> {
  return renderWorker().renderReleaseToDirectory(dbName, projectId, parent, folderName, settings, Comlink.proxy(onProgress));
}

export function cancelRender(): void {
  void renderWorker().cancel();
}
