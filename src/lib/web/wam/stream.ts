/**
 * Renders a long programme through a WAM chain in an OfflineAudioContext without holding it in
 * memory: the input is fed and the output taken in chunks while the context is suspended on chunk
 * boundaries. Used for the master chain, where the programme is the whole album. Latency is
 * compensated and NaN or Inf stops the render naming the slot, as in renderOffline.
 */
import streamWorkletUrl from '../../../../worklets/stream.worklet.ts?worker&url';
import { LatheError } from '$lib/core/errors';
import { DEFAULT_TIMEOUT_MS, withTimeout } from './host';
import { activeSlots, chainLatencySamples, wireChain, type ActiveSlot, type ChainSlotSpec } from './chain';
import { REAL_TIME_LEAD_SEC } from './render';

type OfflineSlot = ChainSlotSpec;

/** Frames per fed and tapped chunk: a multiple of the 128-frame render quantum. */
export const STREAM_CHUNK_FRAMES = 32_768;

export interface ProgrammeStream {
  /** Fills `out` with the next `n` input frames. */
  pull(n: number, out: Float32Array[]): Promise<void>;
}

export interface StreamTarget {
  /** Takes the next `n` output frames, latency already removed. */
  push(planar: Float32Array[], n: number): Promise<void>;
}

interface Pending<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(e: unknown): void;
}

function pending<T>(): Pending<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

/**
 * Streams `frames` frames from `open()` through `slots` into `target`. Returns the latency
 * removed. `open` may be called again (to find which slot made a NaN), so it must start over.
 */
export async function renderOfflineStream(
  frames: number,
  rateHz: number,
  slots: OfflineSlot[],
  where: string,
  open: () => ProgrammeStream,
  target: StreamTarget,
  timeoutMs = DEFAULT_TIMEOUT_MS
): Promise<number> {
  const active = activeSlots(slots);
  const result = await stream(frames, rateHz, active, where, open(), target, timeoutMs);
  if (result.bad === null) return result.latencySamples;
  let culprit = active.at(-1) as ActiveSlot;
  // Growing prefixes of the chain, each rendered only as far as the bad sample, find the slot.
  for (let k = 1; k < active.length; k++) {
    const prefix = await stream(Math.min(frames, result.bad.index + 1), rateHz, active.slice(0, k), where, open(), { push: async () => {} }, timeoutMs);
    if (prefix.bad) {
      culprit = active[k - 1];
      break;
    }
  }
  throw new LatheError('plugin-nan', `Slot ${culprit.index + 1} of ${where} (${culprit.name}) output ${result.bad.kind} at sample ${result.bad.index}; nothing was delivered.`);
}

interface StreamResult {
  latencySamples: number;
  bad: { index: number; kind: 'NaN' | 'Inf' } | null;
}

async function stream(frames: number, rateHz: number, active: ActiveSlot[], where: string, input: ProgrammeStream, target: StreamTarget, timeoutMs: number): Promise<StreamResult> {
  const latencySamples = await chainLatencySamples(active, rateHz, where, timeoutMs);
  const chunk = STREAM_CHUNK_FRAMES;
  const chunks = Math.max(1, Math.ceil((frames + latencySamples) / chunk));
  // One destination channel: the tap hands the stereo result over, and the context's own buffer
  // (the only thing here the length of the programme) stays half the size.
  const ctx = new OfflineAudioContext({ numberOfChannels: 1, length: chunks * chunk, sampleRate: rateHz });
  await ctx.audioWorklet.addModule(streamWorkletUrl);
  const feed = new AudioWorkletNode(ctx, 'lathe-feed', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [2] });
  const tap = new AudioWorkletNode(ctx, 'lathe-tap', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1], channelCount: 2, channelCountMode: 'explicit', processorOptions: { chunkFrames: chunk } });
  let failure: LatheError | null = null;
  const fail = (e: LatheError) => (failure ??= e);

  const head = new GainNode(ctx, { channelCount: 2, channelCountMode: 'explicit' });
  feed.connect(head);
  await wireChain(ctx, active, head, tap, where, fail, timeoutMs);
  tap.connect(ctx.destination);

  const acks = new Map<number, Pending<void>>();
  feed.port.onmessage = (e: MessageEvent) => {
    if (e.data.type === 'ack') acks.get(e.data.id)?.resolve();
    else if (e.data.type === 'underrun') fail(new LatheError('plugin-render', `Rendering ${where} fell behind its input at sample ${e.data.frame}.`));
  };
  const received: Float32Array[][] = [];
  let arrived = pending<void>();
  tap.port.onmessage = (e: MessageEvent) => {
    received.push(e.data.planar);
    arrived.resolve();
  };
  feed.onprocessorerror = tap.onprocessorerror = () => fail(new LatheError('plugin-render', `Rendering ${where} failed in the audio thread.`));

  let fed = 0;
  let sent = 0;
  /** Posts the next chunk (or the end) and waits until the feeder has it: it never runs dry. */
  const feedNext = async () => {
    const id = sent++;
    const ack = pending<void>();
    acks.set(id, ack);
    if (fed >= frames) {
      feed.port.postMessage({ type: 'end', id });
    } else {
      const n = Math.min(chunk, frames - fed);
      const planar = [new Float32Array(n), new Float32Array(n)];
      await input.pull(n, planar);
      fed += n;
      feed.port.postMessage({ type: 'chunk', id, planar }, planar.map((p) => p.buffer));
    }
    await withTimeout(ack.promise, timeoutMs, `feeding ${where}`);
    acks.delete(id);
  };

  let taken = 0;
  let delivered = 0;
  let bad: StreamResult['bad'] = null;
  /** Hands over the tapped output up to chunk `count`, dropping the latency and checking samples. */
  const takeUpTo = async (count: number) => {
    while (received.length + taken < count) {
      await withTimeout(arrived.promise, timeoutMs, `rendering ${where}`);
      arrived = pending<void>();
    }
    while (taken < count && !bad) {
      const planar = received.shift() as Float32Array[];
      const start = taken * chunk;
      taken++;
      const from = Math.max(0, latencySamples - start);
      const to = Math.min(chunk, latencySamples + frames - start);
      if (to <= from) continue;
      for (let c = 0; c < 2 && !bad; c++) {
        const x = planar[c];
        for (let i = from; i < to; i++) {
          if (!Number.isFinite(x[i])) {
            bad = { index: start + i - latencySamples, kind: Number.isNaN(x[i]) ? 'NaN' : 'Inf' };
            break;
          }
        }
      }
      if (bad) break;
      await target.push(from === 0 ? planar : planar.map((p) => p.subarray(from, to)), to - from);
      delivered += to - from;
    }
  };

  await feedNext();
  await feedNext();
  // Each stop is scheduled while the context is suspended (or not yet started), so none is missed.
  let stop = chunks > 1 ? ctx.suspend(chunk / rateHz) : null;
  // Plugins that apply their state from a main-thread timer get the time a live context would
  // have given them before the first chunk; between chunks the main thread runs anyway.
  await new Promise((r) => setTimeout(r, REAL_TIME_LEAD_SEC * 1000));
  const rendering = ctx.startRendering().catch((e) => {
    fail(new LatheError('plugin-render', `Rendering ${where} failed: ${e instanceof Error ? e.message : String(e)}`));
  });
  for (let k = 1; k < chunks; k++) {
    // A plugin that never returns from process() stops the render instead of hanging it.
    await withTimeout(stop as Promise<void>, timeoutMs, `rendering ${where}`);
    if (failure) throw failure;
    await feedNext();
    await takeUpTo(k);
    if (bad) return { latencySamples, bad };

    stop = k + 1 < chunks ? ctx.suspend(((k + 1) * chunk) / rateHz) : null;
    await ctx.resume();
  }
  await rendering;
  if (failure) throw failure;
  await takeUpTo(chunks);
  if (!bad && delivered !== frames) throw new LatheError('plugin-render', `Rendering ${where} delivered ${delivered} of ${frames} samples.`);
  return { latencySamples, bad };
}
