/**
 * A second thread for an import: the import worker reads, hashes and stores the file while this
 * one decodes it, builds its peaks and measures it (src/workers/measure.worker.ts). Each slice is
 * handed over, not copied.
 */
import * as Comlink from 'comlink';
import type { PcmInfo } from '$lib/core/audio/wav';
import type { SliceDigest } from '$lib/core/audio/ingest';
import type { PeakPyramid } from '$lib/core/audio/peaks';
import type { Analysis } from '$lib/core/analysis/analyzer';
import { installErrorTransfer } from '../threads';

/** What the measure worker offers the import worker. */
export interface MeasureWorkerApi {
  start(info: PcmInfo): void;
  push(slice: Uint8Array, frames: number): void;
  finish(): { peaks: PeakPyramid; analysis: Analysis };
}

/** A SliceDigest whose work happens in the measure worker; `analysis` is there once finish resolves. */
export class RemoteDigest implements SliceDigest {
  analysis: Analysis | null = null;
  private readonly worker: Worker;
  private readonly api: Comlink.Remote<MeasureWorkerApi>;
  private started: Promise<void>;
  /** Slices posted and not yet taken: at most two, so a slow digest holds back the reading. */
  private inFlight: Promise<void>[] = [];

  constructor(info: PcmInfo) {
    installErrorTransfer();
    this.worker = new Worker(new URL('../../../workers/measure.worker.ts', import.meta.url), { type: 'module' });
    this.api = Comlink.wrap<MeasureWorkerApi>(this.worker);
    this.started = this.api.start(info);
  }

  async push(slice: Uint8Array, frames: number): Promise<void> {
    await this.started;
    // Handed over whole when the slice is its own buffer (as a file read gives it), else copied.
    const own = slice.byteOffset === 0 && slice.byteLength === slice.buffer.byteLength ? slice : slice.slice();
    this.inFlight.push(this.api.push(Comlink.transfer(own, [own.buffer as ArrayBuffer]), frames));
    if (this.inFlight.length > 2) await this.inFlight.shift();
  }

  async finish(): Promise<PeakPyramid> {
    try {
      await Promise.all(this.inFlight);
      const { peaks, analysis } = await this.api.finish();
      this.analysis = analysis;
      return peaks;
    } finally {
      this.close();
    }
  }

  close(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
