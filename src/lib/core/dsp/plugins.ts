/** The first-party plugins: their descriptions, and their kernels registered with the renderer. */
import { registerKernel } from '../render/chain';
import { EQ_INFO, EqKernel } from './eq';
import { COMPRESSOR_INFO, CompressorKernel } from './compressor';
import { LIMITER_INFO, LimiterKernel } from './limiter';
import { IMAGER_INFO, ImagerKernel } from './imager';
import { DEESSER_INFO, DeesserKernel } from './deesser';
import type { PluginInfo } from './params';

export const FIRST_PARTY: PluginInfo[] = [EQ_INFO, COMPRESSOR_INFO, LIMITER_INFO, IMAGER_INFO, DEESSER_INFO];

registerKernel(EQ_INFO.id, (params, rateHz, channels) => new EqKernel(rateHz, channels, params));
registerKernel(COMPRESSOR_INFO.id, (params, rateHz, channels) => new CompressorKernel(rateHz, channels, params));
registerKernel(LIMITER_INFO.id, (params, rateHz, channels) => new LimiterKernel(rateHz, channels, params));
registerKernel(IMAGER_INFO.id, (params, rateHz, channels) => new ImagerKernel(rateHz, channels, params));
registerKernel(DEESSER_INFO.id, (params, rateHz, channels) => new DeesserKernel(rateHz, channels, params));
