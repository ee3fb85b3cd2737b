/** The first-party plugins: their descriptions, and their kernels registered with the renderer. */
import { registerKernel } from '../render/chain';
import { EQ_INFO, EqKernel } from './eq';
import type { PluginInfo } from './params';

export const FIRST_PARTY: PluginInfo[] = [EQ_INFO];

registerKernel(EQ_INFO.id, (params, rateHz, channels) => new EqKernel(rateHz, channels, params));
