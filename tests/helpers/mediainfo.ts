/** mediainfo.js (MediaInfoLib built to WebAssembly, newer than Debian's mediainfo): a file's tracks as JSON. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import mediaInfoFactory from 'mediainfo.js';

export async function mediainfoJs(file: string): Promise<{ '@type': string; extra?: Record<string, unknown>; [k: string]: unknown }[]> {
  const mi = await mediaInfoFactory({ format: 'JSON', full: true });
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const text = await mi.analyzeData(size, (n: number, offset: number) => {
      const b = Buffer.alloc(Math.max(0, Math.min(n, size - offset)));
      readSync(fd, b, 0, b.length, offset);
      return b;
    });
    return JSON.parse(text).media.track;
  } finally {
    closeSync(fd);
    mi.close();
  }
}
