/** Folders on disk for the delivery writers and readers. */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { OutputFolder } from '../lib/core/delivery/cd';
import type { HashFactory } from '../lib/core/hash';
import type { FilesetSource } from '../lib/core/delivery/ddp-reader';
import { LatheError } from '../lib/core/errors';
import { fileSource } from './node-source';

export class DiskFolder implements OutputFolder {
  constructor(readonly root: string) {}

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const full = join(this.root, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, data);
  }

  async openFile(path: string) {
    const full = join(this.root, path);
    await mkdir(dirname(full), { recursive: true });
    const handle = await open(full, 'w');
    return {
      write: async (bytes: Uint8Array) => {
        await handle.write(bytes);
      },
      close: () => handle.close()
    };
  }
}

function native(algorithm: 'md5' | 'sha256'): HashFactory {
  return async () => {
    const hash = createHash(algorithm);
    return {
      update: (data: Uint8Array) => hash.update(data),
      hex: () => hash.digest('hex')
    };
  };
}

/** OpenSSL's MD5 and SHA-256: the same digests as core's hash-wasm, several times faster. */
export const nativeMd5 = native('md5');
export const nodeSha256 = native('sha256');

/**
 * Runs `work` on a temporary folder beside `target`, and renames it into place only when it
 * finished: a failed or interrupted run leaves no half-written delivery.
 */
export async function writeWhole<T>(target: string, work: (folder: DiskFolder) => Promise<T>): Promise<T> {
  const existing = await readdir(target).catch(() => null);
  if (existing && existing.length > 0) throw new LatheError('out-not-empty', `${target} already holds files; choose a new folder or empty it.`);
  const temp = `${target}.partial-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  try {
    const result = await work(new DiskFolder(temp));
    if (existing) await rm(target, { recursive: true, force: true });
    await rename(temp, target);
    return result;
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
}

export function diskFileset(dir: string): FilesetSource {
  return {
    async names() {
      const s = await stat(dir).catch(() => null);
      if (!s?.isDirectory()) throw new LatheError('no-file', 'this is not a folder.', { file: dir });
      return readdir(dir);
    },
    read: (name) => readFile(join(dir, name)).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)),
    open: (name) => fileSource(join(dir, name), name)
  };
}
