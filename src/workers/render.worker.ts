/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { LatheDb } from '$lib/web/store/db';
import { renderProjectCd } from '$lib/web/delivery/render-cd';
import { renderProjectRelease } from '$lib/web/delivery/render-release';
import { DirectoryFolder, ZipFolder } from '$lib/web/delivery/outputs';
import type { RenderWorkerApi } from '$lib/web/delivery/client';
import { installErrorTransfer } from '$lib/web/threads';
import type { OutputFolder } from '$lib/core/delivery/cd';

installErrorTransfer();

const dbs = new Map<string, LatheDb>();
const db = (name: string) => {
  let d = dbs.get(name);
  if (!d) dbs.set(name, (d = new LatheDb(name)));
  return d;
};

let current: { aborted: boolean } | null = null;

type Render<R> = (out: OutputFolder, signal: { aborted: boolean }) => Promise<R>;

/** Into a zip; the Blob exists only if everything was written. */
async function toZip<R>(folderName: string, render: Render<R>): Promise<{ zip: Blob; report: R }> {
  const signal = (current = { aborted: false });
  try {
    const zip = new ZipFolder(folderName);
    const report = await render(zip, signal);
    return { zip: zip.finish(), report };
  } finally {
    current = null;
  }
}

/** Into a new subfolder of a picked directory; a failed render removes the subfolder. */
async function toDirectory<R>(parent: FileSystemDirectoryHandle, folderName: string, render: Render<R>): Promise<R> {
  const signal = (current = { aborted: false });
  const dir = await parent.getDirectoryHandle(folderName, { create: true });
  try {
    return await render(new DirectoryFolder(dir), signal);
  } catch (e) {
    await parent.removeEntry(folderName, { recursive: true }).catch(() => {});
    throw e;
  } finally {
    current = null;
  }
}

const api: RenderWorkerApi = {
  renderCdZip: (dbName, projectId, folderName, settings, onProgress) =>
    toZip(folderName, (out, signal) => renderProjectCd(db(dbName), projectId, out, settings, onProgress, signal)),
  renderCdToDirectory: (dbName, projectId, parent, folderName, settings, onProgress) =>
    toDirectory(parent, folderName, (out, signal) => renderProjectCd(db(dbName), projectId, out, settings, onProgress, signal)),
  /** Every chosen variant, with the release report. */
  renderReleaseZip: (dbName, projectId, folderName, settings, onProgress) =>
    toZip(folderName, (out, signal) => renderProjectRelease(db(dbName), projectId, out, settings, onProgress, signal)),
  renderReleaseToDirectory: (dbName, projectId, parent, folderName, settings, onProgress) =>
    toDirectory(parent, folderName, (out, signal) => renderProjectRelease(db(dbName), projectId, out, settings, onProgress, signal)),

  cancel() {
    if (current) current.aborted = true;
  }
};

Comlink.expose(api);
