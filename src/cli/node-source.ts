import { open, stat } from 'node:fs/promises';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { ByteSource } from '../lib/core/audio/source';
import { LatheError } from '../lib/core/errors';

/** A file on disk read in pieces; call close() when done. */
export async function fileSource(path: string, name = basename(path)): Promise<ByteSource & { close(): Promise<void> }> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new LatheError('no-file', 'the file does not exist or cannot be read.', { file: path });
  }
  const handle = await open(path, 'r');
  return {
    name,
    size,
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const { bytesRead } = await handle.read(buf, got, n - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === n ? buf : buf.subarray(0, got);
    },
    close: () => handle.close()
  };
}

/**
 * A file read with blocking calls into one reused buffer, for a worker thread that does nothing
 * else: the bytes a read returns are valid until the next read.
 */
export function syncFileSource(path: string, name = basename(path)): ByteSource & { close(): Promise<void> } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new LatheError('no-file', 'the file does not exist or cannot be read.', { file: path });
  }
  const size = fstatSync(fd).size;
  let buf = new Uint8Array(0);
  return {
    name,
    size,
    async read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      if (buf.length < n) buf = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, buf, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return buf.subarray(0, got);
    },
    close: async () => closeSync(fd)
  };
}
