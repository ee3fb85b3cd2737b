/** The main thread's side of read-worker.ts: a ClipReader at the render rate, served by the worker. */
import { Worker } from 'node:worker_threads';
import { LatheError, errorFromWire } from '../lib/core/errors';
import type { ClipReader } from '../lib/core/render/readers';
import type { ReadReply, ReadRequest, ReadWorkerSetup } from './read-worker';

/** Starts a TypeScript module in a worker thread, through tsx as the CLI itself runs. */
export function tsWorker(entry: URL, data: unknown): Worker {
  return new Worker(new URL('./thread-boot.js', import.meta.url), { workerData: { entry: entry.href, data } });
}

export interface ThreadedReader {
  read: ClipReader;
  close(): Promise<void>;
}

export function threadedClipReader(setup: ReadWorkerSetup): ThreadedReader {
  const worker = tsWorker(new URL('./read-worker.ts', import.meta.url), setup);
  const waiting = new Map<number, { resolve: (b: ArrayBuffer) => void; reject: (e: unknown) => void }>();
  let failure: unknown = null;
  const failAll = (e: unknown) => {
    // An error thrown in the thread arrives as a plain Error: keep its words, as a Lathe error.
    failure ??= e instanceof LatheError ? e : new LatheError('read-failed', `the reading thread failed: ${e instanceof Error ? e.message : String(e)}`);
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  worker.on('message', (reply: ReadReply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if ('error' in reply) w.reject(errorFromWire(reply.error));
    else w.resolve(reply.buffer);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new LatheError('read-failed', `the reading thread stopped (exit ${code}).`)));
  let next = 0;
  // The mixer awaits each read, so one buffer goes back and forth.
  let spare = new ArrayBuffer(0);
  return {
    read: async (clip, from, n, out) => {
      if (failure) throw failure;
      const bytes = n * setup.channels * 4;
      const buffer = spare.byteLength >= bytes ? spare : new ArrayBuffer(Math.max(bytes, 65_536 * setup.channels * 4));
      spare = new ArrayBuffer(0);
      const id = next++;
      const done = new Promise<ArrayBuffer>((resolve, reject) => waiting.set(id, { resolve, reject }));
      const req: ReadRequest = { id, clip: { id: clip.id, assetId: clip.assetId, sourceOffsetSamples: clip.sourceOffsetSamples, lengthSamples: clip.lengthSamples }, from, n, buffer };
      worker.postMessage(req, [buffer]);
      const back = await done;
      for (let c = 0; c < out.length; c++) out[c].set(new Float32Array(back, Math.min(c, setup.channels - 1) * n * 4, n));
      spare = back;
    },
    close: async () => {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  };
}
