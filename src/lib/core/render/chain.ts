/**
 * The chain API the renderer calls for clips, tracks and the master. First-party kernels register
 * here; a chain naming anything else cannot run outside the browser's plugin host and is refused
 * with the plugin and the slot named.
 */
import type { Chain } from '../album/model';
import { LatheError } from '../errors';

/** A DSP kernel: `outputs` may be `inputs` (in place); latency in samples. */
export interface ChainKernel {
  readonly latencySamples: number;
  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void;
  /** Takes new parameter values; called between blocks, never per sample. */
  setParams(params: Record<string, number>): void;
  reset(): void;
}

export type KernelFactory = (params: Record<string, number>, rateHz: number, channels: number) => ChainKernel;

const registry = new Map<string, KernelFactory>();

export function registerKernel(id: string, factory: KernelFactory): void {
  registry.set(id, factory);
}

/** A first-party plugin's kernel, or null for an id no kernel is registered under. */
export function createKernel(id: string, params: Record<string, number>, rateHz: number, channels: number): ChainKernel | null {
  const factory = registry.get(id);
  return factory ? factory(params, rateHz, channels) : null;
}

/** A kernel in its chain, with what errors call it: "slot 2 of track 1 (lathe.eq)". */
interface Placed {
  kernel: ChainKernel;
  name: string;
}

export class ChainRunner {
  private constructor(
    private readonly placed: Placed[],
    private readonly manualLatencySamples: number
  ) {}

  /**
   * Builds the kernels of a chain; `where` names it in errors ("the master chain", "track 2").
   * With `skipUnavailable`, slots without a kernel are left out instead of refused.
   */
  static create(chain: Chain, rateHz: number, channels: number, where: string, skipUnavailable = false): ChainRunner {
    let manual = 0;
    const kernels = chain.flatMap((slot, i) => {
      if (slot.bypass) return [];
      const factory = registry.get(slot.plugin);
      if (!factory && skipUnavailable) return [];
      if (!factory) {
        throw new LatheError('plugin-unavailable', `slot ${i + 1} of ${where} holds ${slot.plugin}, which this renderer cannot run (only first-party Lathe plugins render outside the browser).`);
      }
      manual += slot.manualLatencySamples ?? 0;
      return [{ kernel: factory(slot.params, rateHz, channels), name: `slot ${i + 1} of ${where} (${slot.plugin})` }];
    });
    return new ChainRunner(kernels, manual);
  }

  get empty(): boolean {
    return this.placed.length === 0;
  }

  get latencySamples(): number {
    return this.placed.reduce((n, p) => n + p.kernel.latencySamples, this.manualLatencySamples);
  }

  /** Runs the chain in place; a slot that throws or leaves NaN/Inf stops it, named. */
  process(channels: Float32Array[], n: number): void {
    for (const p of this.placed) {
      try {
        p.kernel.process(channels, channels, n);
      } catch (e) {
        throw new LatheError('plugin-error', `${p.name} failed: ${e instanceof Error ? e.message : String(e)}; nothing was delivered.`);
      }
      for (const ch of channels) {
        for (let i = 0; i < n; i++) {
          // x - x is 0 for finite x and NaN for NaN and ±Inf.
          if (ch[i] - ch[i] !== 0) throw new LatheError('plugin-nan', `${p.name} output ${Number.isNaN(ch[i]) ? 'NaN' : 'Inf'}; nothing was delivered.`);
        }
      }
    }
  }
}
