/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { LatheDb } from '$lib/web/store/db';
import { renderProjectCd } from '$lib/web/delivery/render-cd';
import { renderProjectRelease } from '$lib/web/delivery/render-release';
import { DirectoryFolder, ZipFolder } from '$lib/web/delivery/outputs';
import type { RenderWorkerApi } from '$lib/web/delivery/client';
import { installErrorTransfer } from '$lib/web/threads';

installErrorTransfer();

const dbs = new Map<string, LatheDb>();
const db = (name: string) => {
  let d = dbs.get(name);
  if (!d) dbs.set(name, (d = new LatheDb(name)));
  return d;
};

let current: { aborted: boolean } | null = null;

const api: RenderWorkerApi = {
  /** Renders the CD delivery into a zip; the Blob exists only if everything was written. */
  async renderCdZip(dbName, projectId, folderName, settings, onProgress) {
    const signal = (current = { aborted: false });
    try {
      const zip = new ZipFolder(folderName);
      const report = await renderProjectCd(db(dbName), projectId, zip, settings, onProgress, signal);
      return { zip: zip.finish(), report };
    } finally {
      current = null;
    }
  },

  /** Renders into a new subfolder of a picked directory; a failed render removes the subfolder. */
  async renderCdToDirectory(dbName, projectId, parent, folderName, settings, onProgress) {
    const signal = (current = { aborted: false });
    const dir = await parent.getDirectoryHandle(folderName, { create: true });
    try {
      return await renderProjectCd(db(dbName), projectId, new DirectoryFolder(dir), settings, onProgress, signal);
    } catch (e) {
      await parent.removeEntry(folderName, { recursive: true }).catch(() => {});
      throw e;
    } finally {
      current = null;
    }
  },

  /** Every chosen variant into one zip, with the release report. */
  async renderReleaseZip(dbName, projectId, folderName, settings, onProgress) {
    const signal = (current = { aborted: false });
    try {
      const zip = new ZipFolder(folderName);
      const report = await renderProjectRelease(db(dbName), projectId, zip, settings, onProgress, signal);
      return { zip: zip.finish(), report };
    } finally {
      current = null;
    }
  },

  async renderReleaseToDirectory(dbName, projectId, parent, folderName, settings, onProgress) {
    const signal = (current = { aborted: false });
    const dir = await parent.getDirectoryHandle(folderName, { create: true });
    try {
      return await renderProjectRelease(db(dbName), projectId, new DirectoryFolder(dir), settings, onProgress, signal);
    } catch (e) {
      await parent.removeEntry(folderName, { recursive: true }).catch(() => {});
      throw e;
    } finally {
      current = null;
    }
  },

  cancel() {
    if (current) current.aborted = true;
  }
};

Comlink.expose(api);
