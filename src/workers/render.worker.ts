/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { LatheDb } from '$lib/web/store/db';
import { renderProjectCd, type CdRenderSettings } from '$lib/web/delivery/render-cd';
import { DirectoryFolder, ZipFolder } from '$lib/web/delivery/outputs';
import { isLatheError, errorMessage } from '$lib/core/errors';
import type { CdReport } from '$lib/core/delivery/cd';

const dbs = new Map<string, LatheDb>();
const db = (name: string) => {
  let d = dbs.get(name);
  if (!d) dbs.set(name, (d = new LatheDb(name)));
  return d;
};

let current: { aborted: boolean } | null = null;

function rethrow(e: unknown): never {
  throw Object.assign(new Error(errorMessage(e)), { name: isLatheError(e) ? `LatheError:${e.code}` : 'Error' });
}

const api = {
  /** Renders the CD delivery into a zip; the Blob exists only if everything was written. */
  async renderCdZip(dbName: string, projectId: string, folderName: string, settings: CdRenderSettings, onProgress: (f: number) => void): Promise<{ zip: Blob; report: CdReport }> {
    const signal = (current = { aborted: false });
    try {
      const zip = new ZipFolder(folderName);
      const report = await renderProjectCd(db(dbName), projectId, zip, settings, onProgress, signal);
      return { zip: zip.finish(), report };
    } catch (e) {
      rethrow(e);
    } finally {
      current = null;
    }
  },

  /** Renders into a new subfolder of a picked directory; a failed render removes the subfolder. */
  async renderCdToDirectory(dbName: string, projectId: string, parent: FileSystemDirectoryHandle, folderName: string, settings: CdRenderSettings, onProgress: (f: number) => void): Promise<CdReport> {
    const signal = (current = { aborted: false });
    const dir = await parent.getDirectoryHandle(folderName, { create: true });
    try {
      return await renderProjectCd(db(dbName), projectId, new DirectoryFolder(dir), settings, onProgress, signal);
    } catch (e) {
      await parent.removeEntry(folderName, { recursive: true }).catch(() => {});
      rethrow(e);
    } finally {
      current = null;
    }
  },

  cancel(): void {
    if (current) current.aborted = true;
  }
};

export type RenderWorkerApi = typeof api;
Comlink.expose(api);
