/** An in-memory folder for delivery writers and the DDP reader. */
import type { OutputFolder } from '../../src/lib/core/delivery/cd';
import type { FilesetSource } from '../../src/lib/core/delivery/ddp-reader';
import { memorySource } from '../../src/lib/core/audio/source';

export class MemoryFolder implements OutputFolder {
  readonly files = new Map<string, Uint8Array>();

  async writeFile(path: string, data: Uint8Array | string): Promise<void> {
    this.files.set(path, typeof data === 'string' ? new TextEncoder().encode(data) : data.slice());
  }

  async openFile(path: string) {
    const parts: Uint8Array[] = [];
    return {
      write: async (bytes: Uint8Array) => void parts.push(bytes.slice()),
      close: async () => {
        const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          out.set(p, at);
          at += p.length;
        }
        this.files.set(path, out);
      }
    };
  }

  text(path: string): string {
    return new TextDecoder().decode(this.files.get(path));
  }

  /** The files under a prefix (e.g. "DDP/") as a fileset. */
  fileset(prefix = 'DDP/'): FilesetSource {
    const get = (name: string) => {
      const b = this.files.get(prefix + name);
      if (!b) throw new Error(`no ${name}`);
      return b;
    };
    return {
      names: async () => [...this.files.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)),
      read: async (name) => get(name),
      open: async (name) => memorySource(name, get(name))
    };
  }
}
