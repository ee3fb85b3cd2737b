/** Where a delivery goes in the browser: a zip held whole, or a folder the person picked. */
import { Zip, ZipPassThrough } from 'fflate';
import type { OutputFolder } from '$lib/core/delivery/cd';

/** Streams every file into one zip; the result is a Blob only when everything was written. */
export class ZipFolder implements OutputFolder {
  private parts: Uint8Array[] = [];
  private error: Error | null = null;
  private zip = new Zip((err, chunk) => {
    if (err) this.error = err;
    else this.parts.push(chunk.slice());
  });

  constructor(private readonly root: string) {}

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const f = await this.openFile(path);
    await f.write(typeof data === 'string' ? new TextEncoder().encode(data) : data);
    await f.close();
  }

  async openFile(path: string) {
    const entry = new ZipPassThrough(`${this.root}/${path}`);
    this.zip.add(entry);
    return {
      write: async (bytes: Uint8Array) => entry.push(bytes.slice()),
      close: async () => entry.push(new Uint8Array(0), true)
    };
  }

  finish(): Blob {
    this.zip.end();
    if (this.error) throw this.error;
    return new Blob(this.parts as BlobPart[], { type: 'application/zip' });
  }
}

/** Writes into a folder the person picked (File System Access API). */
export class DirectoryFolder implements OutputFolder {
  constructor(readonly dir: FileSystemDirectoryHandle) {}

  private async fileHandle(path: string): Promise<FileSystemFileHandle> {
    const parts = path.split('/');
    let d = this.dir;
    for (const p of parts.slice(0, -1)) d = await d.getDirectoryHandle(p, { create: true });
    return d.getFileHandle(parts[parts.length - 1], { create: true });
  }

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    const f = await this.openFile(path);
    await f.write(typeof data === 'string' ? new TextEncoder().encode(data) : data);
    await f.close();
  }

  async openFile(path: string) {
    const writable = await (await this.fileHandle(path)).createWritable();
    return {
      write: async (bytes: Uint8Array) => writable.write(bytes.slice() as BufferSource),
      close: () => writable.close()
    };
  }
}
