/** The first-party plugins: their descriptions, and the kernel of each. */
import { EQ_INFO, EqKernel } from './eq';
import { COMPRESSOR_INFO, CompressorKernel } from './compressor';
import { LIMITER_INFO, LimiterKernel } from './limiter';
import { IMAGER_INFO, ImagerKernel } from './imager';
import { DEESSER_INFO, DeesserKernel } from './deesser';
import type { PluginInfo } from './params';
import type { ChainKernel, KernelFactory } from './kernel';

export const FIRST_PARTY: PluginInfo[] = [EQ_INFO, COMPRESSOR_INFO, LIMITER_INFO, IMAGER_INFO, DEESSER_INFO];

const KERNELS: Record<string, (params: Record<string, number>, rateHz: number, channels: number) => ChainKernel> = {
  [EQ_INFO.id]: (params, rateHz, channels) => new EqKernel(rateHz, channels, params),
  [COMPRESSOR_INFO.id]: (params, rateHz, channels) => new CompressorKernel(rateHz, channels, params),
  [LIMITER_INFO.id]: (params, rateHz, channels) => new LimiterKernel(rateHz, channels, params),
  [IMAGER_INFO.id]: (params, rateHz, channels) => new ImagerKernel(rateHz, channels, params),
  [DEESSER_INFO.id]: (params, rateHz, channels) => new DeesserKernel(rateHz, channels, params)
};

/** A first-party plugin's kernel, or null for any other id. */
export const firstPartyKernel: KernelFactory = (id, params, rateHz, channels) => KERNELS[id]?.(params, rateHz, channels) ?? null;

export function firstPartyInfo(id: string): PluginInfo | undefined {
  return FIRST_PARTY.find((p) => p.id === id);
}
