/**
 * Rendering test signals through one plugin instance in an OfflineAudioContext, as the validator
 * and the library's latency measurement do: nodes without inputs are not fed, instruments are
 * played MIDI notes through the WAM event API, and the render can let the main thread run
 * between chunks (as Lathe's renders do) or run straight through (as most hosts' do).
 */
import type { WamNode, WebAudioModule } from '@webaudiomodules/api';
import { measuredLag, multisine } from '$lib/core/analysis/plugin-checks';
import { DEFAULT_TIMEOUT_MS, instantiate, withTimeout, type WamConstructor } from './host';
import { playInto, reportedLatencySamples, renderPaced } from './render';

export interface Note {
  atSec: number;
  offSec: number;
  key: number;
  velocity: number;
}

export interface ProbeRender {
  output: Float32Array[];
  threw: boolean;
  wam: WebAudioModule;
}

export interface ProbeOptions {
  setup?: (node: WamNode) => Promise<void>;
  notes?: Note[];
  /** Let the main thread run between chunks, pacing the first moments to the wall clock. */
  paced?: boolean;
  /** Wall-clock time given to the instance between createInstance and the render (it may fetch parts of itself). */
  settleMs?: number;
  /** A paced render's change while audio runs: applied at the first chunk boundary after `afterSec`. */
  change?: { afterSec: number; apply: (node: WamNode) => Promise<void> };
  timeoutMs?: number;
}

export async function renderThrough(ctor: WamConstructor, url: string, input: Float32Array[] | null, frames: number, rateHz: number, options: ProbeOptions = {}): Promise<ProbeRender> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ctx = new OfflineAudioContext(2, frames, rateHz);
  const wam = (await instantiate(ctor, url, ctx, undefined, timeoutMs)).module;
  const node = wam.audioNode;
  if (options.setup) await options.setup(node);
  let threw = false;
  (node as unknown as AudioWorkletNode).onprocessorerror = () => (threw = true);
  const audio = node as unknown as AudioNode;
  if (input && audio.numberOfInputs > 0) playInto(ctx, input).connect(audio);
  for (const n of options.notes ?? []) {
    node.scheduleEvents(
      { type: 'wam-midi', time: n.atSec, data: { bytes: [0x90, n.key, n.velocity] } },
      { type: 'wam-midi', time: n.offSec, data: { bytes: [0x80, n.key, 0] } }
    );
  }
  if (audio.numberOfOutputs > 0) audio.connect(ctx.destination);
  if (options.settleMs) await new Promise((r) => setTimeout(r, options.settleMs));
  const change = options.change;
  let changed = false;
  const onChunk = change
    ? async (done: number) => {
        if (changed || done < change.afterSec * rateHz) return;
        changed = true;
        await change.apply(node);
      }
    : undefined;
  const rendered = await withTimeout(options.paced || change ? renderPaced(ctx, undefined, onChunk) : afterFirstQuantum(ctx), timeoutMs * Math.max(1, frames / rateHz), `Rendering at ${rateHz} Hz`);
  node.destroy?.();
  return { output: [0, 1].map((c) => rendered.getChannelData(c)), threw, wam };
}

/**
 * A straight render, as most hosts do it, except that it stops once after the first quantum so
 * that events posted to the processor before the render (MIDI notes, parameter messages) have
 * arrived: otherwise a fast render can finish before its own port delivers them.
 */
async function afterFirstQuantum(ctx: OfflineAudioContext): Promise<AudioBuffer> {
  if (ctx.length <= 128) return ctx.startRendering();
  const stop = ctx.suspend(128 / ctx.sampleRate);
  const rendering = ctx.startRendering();
  await stop;
  await new Promise((r) => setTimeout(r, 0));
  await ctx.resume();
  return rendering;
}

export interface LatencyMeasurement {
  rateHz: number;
  reportedSamples: number;
  /** null when the output does not resemble a delayed input (a reverb, a pitch shifter). */
  measuredSamples: number | null;
  correlation: number;
}

export const LATENCY_MIN_CORRELATION = 0.5;

/** Latency as the plugin reports it and as its output shows it: the lag that best matches a zero-mean noise. */
export async function measureLatency(ctor: WamConstructor, url: string, rateHz: number, timeoutMs = DEFAULT_TIMEOUT_MS, input?: Float32Array, output?: Float32Array): Promise<LatencyMeasurement> {
  const frames = Math.round(1.5 * rateHz);
  const ctx = new OfflineAudioContext(2, 128, rateHz);
  const { node } = await instantiate(ctor, url, ctx, undefined, timeoutMs);
  const reportedSamples = await reportedLatencySamples(node, rateHz, timeoutMs);
  node.destroy?.();
  const x = input ?? multisine(frames, rateHz, { seed: 3 });
  const y = output ?? (await renderThrough(ctor, url, [x, x], x.length, rateHz, { timeoutMs })).output[0];
  // Up to 4096 samples of lag over half a second, after the first quarter (a start-up transient).
  const maxLag = 4096;
  const from = Math.round(rateHz * 0.25);
  const win = Math.min(Math.round(rateHz * 0.5), x.length - from - maxLag);
  const { lag, score } = measuredLag(x.subarray(from, from + win), y.subarray(from, from + win + maxLag), maxLag);
  return { rateHz, reportedSamples, measuredSamples: score >= LATENCY_MIN_CORRELATION ? lag : null, correlation: score };
}
