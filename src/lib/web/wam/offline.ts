/**
 * Renders audio through a chain of WAM plugins in an OfflineAudioContext: each plugin re-created
 * from its saved state and ready before rendering starts, the slot's latency (the measured
 * override or what the plugin reports, plus any manual extra) removed from the result, the main
 * thread let run between chunks, and NaN or Inf stopped with the plugin and slot named.
 */
import { LatheError } from '$lib/core/errors';
import { DEFAULT_TIMEOUT_MS } from './host';
import { activeSlots, chainLatencySamples, wireChain, type ActiveSlot, type ChainSlotSpec } from './chain';
import { playInto, renderPaced } from './render';

export type OfflineSlot = ChainSlotSpec;

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

function firstNonFinite(channels: Float32Array[]): { channel: number; index: number } | null {
  for (let c = 0; c < channels.length; c++) {
    const x = channels[c];
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return { channel: c, index: i };
  }
  return null;
}

export async function renderOffline(
  input: Float32Array[],
  rateHz: number,
  slots: OfflineSlot[],
  where: string,
  timeoutMs = DEFAULT_TIMEOUT_MS
): Promise<OfflineRender> {
  const active = activeSlots(slots);
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
  const latencySamples = await chainLatencySamples(active, rateHz, where, timeoutMs);
  const ctx = new OfflineAudioContext(2, Math.max(1, frames + latencySamples), rateHz);
  let failure: LatheError | null = null;
  await wireChain(ctx, active, playInto(ctx, input), ctx.destination, where, (e) => (failure ??= e), timeoutMs);
  let rendered: AudioBuffer;
  try {
    rendered = await renderPaced(ctx);
  } catch (e) {
    throw new LatheError('plugin-render', `Rendering ${where} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (failure) throw failure;
  const output = [0, 1].map((c) => rendered.getChannelData(c).slice(latencySamples, latencySamples + frames));
  return { output, latencySamples };
}
