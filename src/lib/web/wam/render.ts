/**
 * The pieces every offline render of WAM plugins uses: feeding a buffer in, asking a node its
 * latency, and rendering in chunks with the main thread let run between them.
 */
import type { WamNode } from '@webaudiomodules/api';
import { DEFAULT_TIMEOUT_MS, withTimeout } from './host';

/**
 * Plays `input` (planar, mono copied to both sides) from time 0 of an offline context, through a
 * node to connect plugins to: plugins always see two channels, as some output silence otherwise.
 */
export function playInto(ctx: OfflineAudioContext, input: Float32Array[]): AudioNode {
  const frames = Math.max(1, input[0]?.length ?? 0);
  const buffer = ctx.createBuffer(2, frames, ctx.sampleRate);
  for (let c = 0; c < 2; c++) buffer.copyToChannel(input[Math.min(c, input.length - 1)] as Float32Array<ArrayBuffer>, c);
  const source = new AudioBufferSourceNode(ctx, { buffer });
  const feed = new GainNode(ctx, { channelCount: 2, channelCountMode: 'explicit' });
  source.connect(feed);
  source.start(0);
  return feed;
}

/** Reported latency in samples; the WAM API says samples, some plugins answer in seconds. */
export async function reportedLatencySamples(node: WamNode, rateHz: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
  const reported = Number(await withTimeout(Promise.resolve(node.getCompensationDelay()), timeoutMs, 'getCompensationDelay'));
  if (!Number.isFinite(reported) || reported <= 0) return 0;
  return Number.isInteger(reported) ? reported : Math.round(reported * rateHz);
}

/** Audio rendered at the speed of the wall clock for this long, so main-thread timers land as live. */
export const REAL_TIME_LEAD_SEC = 0.25;
export const PACED_CHUNK_FRAMES = 4096;

const macrotask = () => new Promise<void>((r) => setTimeout(r, 0));
const until = (t: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, t - performance.now())));

/**
 * Renders an offline context in chunks, letting the main thread run between them: plugins that
 * apply parameter changes from a main-thread timer get them applied as they would live. The
 * first REAL_TIME_LEAD_SEC of audio keeps pace with the wall clock (a live context would have
 * played that long); after that the render runs at full speed, yielding between chunks.
 * `onChunk` runs while it is suspended, with the frames rendered so far (a change mid-render).
 */
export async function renderPaced(ctx: OfflineAudioContext, chunkFrames = PACED_CHUNK_FRAMES, onChunk?: (framesDone: number) => Promise<void>): Promise<AudioBuffer> {
  const rateHz = ctx.sampleRate;
  let next = chunkFrames;
  let stop = next < ctx.length ? ctx.suspend(next / rateHz) : null;
  const started = performance.now();
  const rendering = ctx.startRendering();
  while (stop) {
    await stop;
    const audioMs = (next / rateHz) * 1000;
    await (audioMs <= REAL_TIME_LEAD_SEC * 1000 ? until(started + audioMs) : macrotask());
    await onChunk?.(next);
    next += chunkFrames;
    stop = next < ctx.length ? ctx.suspend(next / rateHz) : null;
    await ctx.resume();
  }
  return rendering;
}
