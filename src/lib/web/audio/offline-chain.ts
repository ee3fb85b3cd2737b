/**
 * Renders audio through a chain of WAM plugins in an OfflineAudioContext: each plugin re-created
 * from its saved state and ready before rendering starts, reported latency (plus any manual
 * latency per slot) removed from the result, and NaN or Inf stopped with the plugin and slot named.
 */
import type { WamNode } from '@webaudiomodules/api';
import { LatheError } from '$lib/core/errors';
import { createWam, DEFAULT_TIMEOUT_MS, withTimeout, type LoadedWam } from './wam-host';

export interface OfflineSlot {
  url: string;
  /** What errors call it: "lathe.eq", or the plugin's URL. */
  name: string;
  state?: unknown;
  bypass?: boolean;
  /** Added to what the plugin reports, for plugins that report none or the wrong one. */
  manualLatencySamples?: number;
}

export interface OfflineRender {
  output: Float32Array[];
  latencySamples: number;
}

/** A WAM state holding plain parameter values, as first-party plugins and the SDK read it. */
export function stateFromParams(params: Record<string, number>): { parameterValues: Record<string, { id: string; value: number; normalized: boolean }> } {
  return {
    parameterValues: Object.fromEntries(Object.entries(params).map(([id, value]) => [id, { id, value, normalized: false }]))
  };
}

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
  const reported = Number(await withTimeout(node.getCompensationDelay(), timeoutMs, 'getCompensationDelay'));
  if (!Number.isFinite(reported) || reported <= 0) return 0;
  return Number.isInteger(reported) ? reported : Math.round(reported * rateHz);
}

function firstNonFinite(channels: Float32Array[]): { channel: number; index: number } | null {
  for (let c = 0; c < channels.length; c++) {
    const x = channels[c];
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return { channel: c, index: i };
  }
  return null;
}

export type ActiveSlot = OfflineSlot & { index: number };

export async function renderOffline(
  input: Float32Array[],
  rateHz: number,
  slots: OfflineSlot[],
  where: string,
  timeoutMs = DEFAULT_TIMEOUT_MS
): Promise<OfflineRender> {
  const active = slots.map((s, i) => ({ ...s, index: i })).filter((s) => !s.bypass);
  const result = await run(input, rateHz, active, where, timeoutMs);
  const bad = firstNonFinite(result.output);
  if (bad) {
    const kind = Number.isNaN(result.output[bad.channel][bad.index]) ? 'NaN' : 'Inf';
    let culprit = active.at(-1) as ActiveSlot;
    // Growing prefixes of the chain find the first slot that produced it.
    for (let k = 1; k < active.length; k++) {
      if (firstNonFinite((await run(input, rateHz, active.slice(0, k), where, timeoutMs)).output)) {
        culprit = active[k - 1];
        break;
      }
    }
    throw new LatheError('plugin-nan', `Slot ${culprit.index + 1} of ${where} (${culprit.name}) output ${kind} at sample ${bad.index}; nothing was delivered.`);
  }
  return result;
}

async function run(input: Float32Array[], rateHz: number, active: ActiveSlot[], where: string, timeoutMs: number): Promise<OfflineRender> {
  const frames = input[0]?.length ?? 0;
  // Latency is only known once the plugins exist, so they are created in a probe context first.
  const probe = new OfflineAudioContext(2, 128, rateHz);
  let latencySamples = 0;
  for (const s of active) {
    const loaded = await createSlot(s, probe, where, timeoutMs);
    latencySamples += (await reportedLatencySamples(loaded.node, rateHz, timeoutMs)) + (s.manualLatencySamples ?? 0);
  }
  const ctx = new OfflineAudioContext(2, Math.max(1, frames + latencySamples), rateHz);
  let last = playInto(ctx, input);
  const failed: ActiveSlot[] = [];
  for (const s of active) {
    const loaded = await createSlot(s, ctx, where, timeoutMs);
    // WamNode filters addEventListener to WAM events; the handler property still works.
    (loaded.node as unknown as AudioWorkletNode).onprocessorerror = () => failed.push(s);
    last.connect(loaded.node as unknown as AudioNode);
    last = loaded.node as unknown as AudioNode;
  }
  last.connect(ctx.destination);
  let rendered: AudioBuffer;
  try {
    rendered = await ctx.startRendering();
  } catch (e) {
    throw new LatheError('plugin-render', `Rendering ${where} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (failed.length) {
    throw new LatheError('plugin-error', `Slot ${failed[0].index + 1} of ${where} (${failed[0].name}) threw while rendering; nothing was delivered.`);
  }
  const output = [0, 1].map((c) => rendered.getChannelData(c).slice(latencySamples, latencySamples + frames));
  return { output, latencySamples };
}

export async function createSlot(s: ActiveSlot, ctx: BaseAudioContext, where: string, timeoutMs: number): Promise<LoadedWam> {
  try {
    return await createWam(s.url, ctx, s.state, timeoutMs);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new LatheError(e instanceof LatheError ? e.code : 'plugin-create', `Slot ${s.index + 1} of ${where} (${s.name}): ${why}`);
  }
}
