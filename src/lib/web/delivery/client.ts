/** The render worker, as the page uses it. */
import * as Comlink from 'comlink';
import type { RenderWorkerApi } from '../../../workers/render.worker';
import type { CdRenderSettings } from './render-cd';
import type { CdReport } from '$lib/core/delivery/cd';
import { LatheError } from '$lib/core/errors';

let worker: Comlink.Remote<RenderWorkerApi> | undefined;

/** Errors come across the worker boundary as plain Errors named `LatheError:<code>`. */
function fromWorker(e: unknown): LatheError {
  const err = e as Error;
  const m = /^LatheError:(.+)$/.exec(err?.name ?? '');
  return new LatheError(m ? m[1] : 'render-failed', err?.message ?? String(e));
}

function renderWorker(): Comlink.Remote<RenderWorkerApi> {
  worker ??= Comlink.wrap<RenderWorkerApi>(new Worker(new URL('../../../workers/render.worker.ts', import.meta.url), { type: 'module' }));
  return worker;
}

export async function renderCdZip(dbName: string, projectId: string, folderName: string, settings: CdRenderSettings, onProgress: (f: number) => void): Promise<{ zip: Blob; report: CdReport }> {
  try {
    return await renderWorker().renderCdZip(dbName, projectId, folderName, settings, Comlink.proxy(onProgress));
  } catch (e) {
    throw fromWorker(e);
  }
}

export async function renderCdToDirectory(dbName: string, projectId: string, parent: FileSystemDirectoryHandle, folderName: string, settings: CdRenderSettings, onProgress: (f: number) => void): Promise<CdReport> {
  try {
    return await renderWorker().renderCdToDirectory(dbName, projectId, parent, folderName, settings, Comlink.proxy(onProgress));
  } catch (e) {
    throw fromWorker(e);
  }
}

export function cancelRender(): void {
  void renderWorker().cancel();
}
