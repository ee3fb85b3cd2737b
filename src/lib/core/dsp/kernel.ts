/** What every DSP kernel offers its hosts (the renderer, the WAM processor, the CLI). */

/** A DSP kernel: `outputs` may be `inputs` (in place); latency in samples. */
export interface ChainKernel {
  readonly latencySamples: number;
  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void;
  /** Takes new parameter values; called between blocks, never per sample. */
  setParams(params: Record<string, number>): void;
  reset(): void;
  /** Gain reduction now in dB (0 or less), for meters: dynamics kernels only. */
  readonly reductionDb?: number;
}

/** Makes the kernel of a plugin id, or null for an id it does not know. */
export type KernelFactory = (id: string, params: Record<string, number>, rateHz: number, channels: number) => ChainKernel | null;
