/**
 * The clip-reading thread of `lathe render`: reads and decodes the source files and resamples them
 * to the render rate, a block ahead of the mixer (core ReadAhead), while the main thread mixes,
 * dithers, measures and writes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Clip } from '../lib/core/album/model';
import { readFrames } from '../lib/core/audio/reader';
import type { PcmInfo } from '../lib/core/audio/wav';
import { LatheError } from '../lib/core/errors';
import { ReadAhead } from '../lib/core/render/read-ahead';
import { resamplingReader } from '../lib/core/render/resampling-reader';
import { syncFileSource } from './node-source';

export interface ReadWorkerSetup {
  sources: { id: string; path: string; info: PcmInfo }[];
  renderRateHz: number;
  channels: number;
  aheadFrames: number;
}

export interface ReadRequest {
  id: number;
  clip: Pick<Clip, 'id' | 'assetId' | 'sourceOffsetSamples' | 'lengthSamples'>;
  from: number;
  n: number;
  /** Planar floats, channel c at [c * n, (c + 1) * n); handed over and back. */
  buffer: ArrayBuffer;
}

export type ReadReply = { id: number; buffer: ArrayBuffer } | { id: number; error: { code: string; message: string; file?: string } };

const setup = (workerData as { data: ReadWorkerSetup }).data;
const port = parentPort;
if (!port) throw new Error('read-worker runs as a worker thread');

const files = new Map(setup.sources.map((s) => [s.id, { src: syncFileSource(s.path, s.id), info: s.info }]));
let scratch: Float32Array[] = [];
const atSourceRate = async (clip: Clip, start: number, n: number, dst: Float32Array[]) => {
  const f = files.get(clip.assetId);
  if (!f) throw new LatheError('missing-asset', 'no audio file for this clip.', { file: clip.assetId });
  if (scratch.length < f.info.channels || scratch[0].length < n) scratch = Array.from({ length: Math.max(f.info.channels, scratch.length) }, () => new Float32Array(Math.max(n, 65_536)));
  for (let c = 0; c < f.info.channels; c++) scratch[c].fill(0, 0, n);
  await readFrames(f.src, f.info, start, n, scratch);
  for (let c = 0; c < dst.length; c++) dst[c].set(scratch[Math.min(c, f.info.channels - 1)].subarray(0, n));
};
const rates = new Map(setup.sources.map((s) => [s.id, s.info.rateHz]));
const reader = new ReadAhead(
  resamplingReader(atSourceRate, (id) => rates.get(id) ?? setup.renderRateHz, setup.renderRateHz, setup.channels),
  setup.channels,
  setup.aheadFrames
);

// One request at a time, in order; after each reply the next block is read while the mixer works.
let queue = Promise.resolve();
port.on('message', (req: ReadRequest) => {
  queue = queue.then(async () => {
    try {
      const planar = Array.from({ length: setup.channels }, (_, c) => new Float32Array(req.buffer, c * req.n * 4, req.n));
      await reader.serve(req.clip as Clip, req.from, req.n, planar);
      port.postMessage({ id: req.id, buffer: req.buffer } satisfies ReadReply, [req.buffer]);
      await reader.prefetch();
    } catch (e) {
      const err = e instanceof LatheError ? { code: e.code, message: e.file ? e.message.slice(e.file.length + 2) : e.message, file: e.file } : { code: 'read-failed', message: e instanceof Error ? e.message : String(e) };
      port.postMessage({ id: req.id, error: err } satisfies ReadReply);
    }
  });
});
port.on('close', () => {
  for (const f of files.values()) void f.src.close();
});
