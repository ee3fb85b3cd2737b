/**
 * One way to wire a chain of WAM plugins, for playback, offline renders and the streamed master:
 * each slot created (pinned modules only) in order, processor errors reported with the slot named,
 * and the nodes connected between a source and a destination.
 */
import type { WamNode } from '@webaudiomodules/api';
import { LatheError } from '$lib/core/errors';
import { DEFAULT_TIMEOUT_MS, type LoadedWam } from './host';
import { reportedLatencySamples } from './render';
import { createWam } from './load';

export interface ChainSlotSpec {
  url: string;
  /** What errors call it: "lathe.eq", or the plugin's URL. */
  name: string;
  state?: unknown;
  bypass?: boolean;
  /** Latency to compensate instead of what the plugin reports (a measured figure). */
  latencyOverrideSamples?: number;
  /** Added to the latency, for plugins that report none or the wrong one. */
  manualLatencySamples?: number;
}

export type ActiveSlot = ChainSlotSpec & { index: number };

export function activeSlots(slots: ChainSlotSpec[]): ActiveSlot[] {
  return slots.map((s, i) => ({ ...s, index: i })).filter((s) => !s.bypass);
}

export async function createSlot(s: ActiveSlot, ctx: BaseAudioContext, where: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<LoadedWam> {
  try {
    return await createWam(s.url, ctx, s.state, timeoutMs);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new LatheError(e instanceof LatheError ? e.code : 'plugin-create', `Slot ${s.index + 1} of ${where} (${s.name}): ${why}`);
  }
}

/** The latency a slot contributes: its override (a measured figure) or what the plugin reports, plus any manual extra. */
export async function slotLatencySamples(s: ChainSlotSpec, node: WamNode, rateHz: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
  const base = s.latencyOverrideSamples ?? (await reportedLatencySamples(node, rateHz, timeoutMs));
  return base + (s.manualLatencySamples ?? 0);
}

/** Latency of a chain, from instances made in a throwaway context at the rate. */
export async function chainLatencySamples(active: ActiveSlot[], rateHz: number, where: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
  const probe = new OfflineAudioContext(2, 128, rateHz);
  let total = 0;
  for (const s of active) {
    const loaded = await createSlot(s, probe, where, timeoutMs);
    total += await slotLatencySamples(s, loaded.node, rateHz, timeoutMs);
    loaded.node.destroy?.();
  }
  return total;
}

export interface WiredChain {
  loaded: LoadedWam[];
  /** Disconnects and destroys the plugins. */
  dispose(): void;
}

/** Creates the slots in `ctx` and connects from -> slots -> to (see connectChain). */
export async function wireChain(
  ctx: BaseAudioContext,
  active: ActiveSlot[],
  from: AudioNode,
  to: AudioNode,
  where: string,
  onError: (e: LatheError) => void = () => {},
  timeoutMs = DEFAULT_TIMEOUT_MS
): Promise<WiredChain> {
  const loaded: LoadedWam[] = [];
  try {
    for (const s of active) loaded.push(await createSlot(s, ctx, where, timeoutMs));
  } catch (e) {
    for (const l of loaded) l.node.destroy?.();
    throw e;
  }
  return connectChain(active, loaded, from, to, where, onError);
}

/**
 * Connects from -> instances -> to; `onError` hears a processor error with the slot named.
 * `loaded[k]` is the instance of `active[k]`.
 */
export function connectChain(active: ActiveSlot[], loaded: LoadedWam[], from: AudioNode, to: AudioNode, where: string, onError: (e: LatheError) => void): WiredChain {
  let last = from;
  loaded.forEach((l, k) => {
    const s = active[k];
    // WamNode filters addEventListener to WAM events; the handler property still works.
    (l.node as unknown as AudioWorkletNode).onprocessorerror = () =>
      onError(new LatheError('plugin-error', `Slot ${s.index + 1} of ${where} (${s.name}) threw while rendering; nothing was delivered.`));
    last.connect(l.node as unknown as AudioNode);
    last = l.node as unknown as AudioNode;
  });
  last.connect(to);
  return {
    loaded,
    dispose() {
      from.disconnect();
      for (const l of loaded) {
        (l.node as unknown as AudioNode).disconnect();
        l.node.destroy?.();
      }
    }
  };
}
