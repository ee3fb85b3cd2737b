/**
 * The clip-reading thread of `lathe render`: reads and decodes the source files and resamples them
 * to the render rate, a few blocks ahead of the mixer (core ReadAhead), while the main thread mixes,
 * dithers, measures and writes.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Clip } from '../lib/core/album/model';
import { readFrames } from '../lib/core/audio/reader';
import type { PcmInfo } from '../lib/core/audio/wav';
import { LatheError, errorToWire, type WireError } from '../lib/core/errors';
import { ReadAhead } from '../lib/core/render/read-ahead';
import { resamplingReader } from '../lib/core/render/resampling-reader';
import { syncFileSource } from './node-source';

export interface ReadWorkerSetup {
  sources: { id: string; path: string; info: PcmInfo }[];
  renderRateHz: number;
  channels: number;
  /** How far ahead of the mixer to read, in frames at the render rate. */
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

export type ReadReply = { id: number; buffer: ArrayBuffer } | { id: number; error: WireError };

const setup = (workerData as { data: ReadWorkerSetup }).data;
if (!parentPort) throw new Error('read-worker runs as a worker thread');
const port: MessagePort = parentPort;

const files = new Map(setup.sources.map((s) => [s.id, { src: syncFileSource(s.path, s.id), info: s.info }]));
let scratch: Float32Array[] = [];
const atSourceRate = async (clip: Clip, start: number, n: number, dst: Float32Array[]) => {
  const f = files.get(clip.assetId);
  if (!f) throw new LatheError('missing-asset', 'no audio file for this clip.', { file: clip.assetId });
  const channels = f.info.channels;
  if (channels === dst.length) {
    const got = await readFrames(f.src, f.info, start, n, dst);
    for (const d of dst) d.fill(0, got, n);
    return;
  }
  if (scratch.length < channels || scratch[0].length < n) scratch = Array.from({ length: Math.max(channels, scratch.length) }, () => new Float32Array(Math.max(n, 65_536)));
  const got = await readFrames(f.src, f.info, start, n, scratch);
  for (let c = 0; c < dst.length; c++) {
    dst[c].set(scratch[Math.min(c, channels - 1)].subarray(0, got));
    dst[c].fill(0, got, n);
  }
};
// Read ahead in small steps: a request that arrives while one is under way waits for it.
const PREFETCH_FRAMES = 8192;
const rates = new Map(setup.sources.map((s) => [s.id, s.info.rateHz]));
const reader = new ReadAhead(
  resamplingReader(atSourceRate, (id) => rates.get(id) ?? setup.renderRateHz, setup.renderRateHz, setup.channels),
  setup.channels,
  PREFETCH_FRAMES,
  Math.ceil(setup.aheadFrames / PREFETCH_FRAMES)
);

// Requests are served in order; between them the worker reads ahead, turning to the event loop
// after each block so a request that arrives meanwhile waits at most one block.
const requests: ReadRequest[] = [];
let wake: (() => void) | null = null;
port.on('message', (req: ReadRequest) => {
  requests.push(req);
  wake?.();
});

async function serve(req: ReadRequest): Promise<void> {
  try {
    const planar = Array.from({ length: setup.channels }, (_, c) => new Float32Array(req.buffer, c * req.n * 4, req.n));
    await reader.serve(req.clip as Clip, req.from, req.n, planar);
    port.postMessage({ id: req.id, buffer: req.buffer } satisfies ReadReply, [req.buffer]);
  } catch (e) {
    port.postMessage({ id: req.id, error: errorToWire(e, 'read-failed') } satisfies ReadReply);
  }
}

port.on('close', () => {
  for (const f of files.values()) void f.src.close();
});

for (;;) {
  const req = requests.shift();
  if (req) await serve(req);
  else if (await reader.prefetch()) await new Promise((resolve) => setImmediate(resolve));
  else {
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
}
