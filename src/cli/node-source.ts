import { open, stat } from 'node:fs/promises';
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
