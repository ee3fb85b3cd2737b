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

export class ChainRunner {
  private constructor(
    private readonly kernels: ChainKernel[],
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
      return [factory(slot.params, rateHz, channels)];
    });
    return new ChainRunner(kernels, manual);
  }

  get empty(): boolean {
    return this.kernels.length === 0;
  }

  get latencySamples(): number {
    return this.kernels.reduce((n, k) => n + k.latencySamples, this.manualLatencySamples);
  }

  process(channels: Float32Array[], n: number): void {
    for (const k of this.kernels) k.process(channels, channels, n);
  }
}
