import { impliedChannelMask } from '../audio/channels';

/**
 * BS.1770 K-weighting for any sample rate: a high-frequency shelf then the RLB high-pass, each
 * derived from its analogue prototype (the libebur128 method), so at 48 kHz they equal the
 * coefficients the standard tabulates.
 */

export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

const SHELF_F0_HZ = 1681.974450955533;
const SHELF_GAIN_DB = 3.999843853973347;
const SHELF_Q = 0.7071752369554196;
const HIGHPASS_F0_HZ = 38.13547087602444;
const HIGHPASS_Q = 0.5003270373238773;

export function kWeightingShelf(rateHz: number): Biquad {
  const k = Math.tan((Math.PI * SHELF_F0_HZ) / rateHz);
  const vh = Math.pow(10, SHELF_GAIN_DB / 20);
  const vb = Math.pow(vh, 0.4996667741545416);
  const a0 = 1 + k / SHELF_Q + k * k;
  return {
    b0: (vh + (vb * k) / SHELF_Q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / SHELF_Q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / SHELF_Q + k * k) / a0
  };
}

export function kWeightingHighpass(rateHz: number): Biquad {
  const k = Math.tan((Math.PI * HIGHPASS_F0_HZ) / rateHz);
  const a0 = 1 + k / HIGHPASS_Q + k * k;
  return { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / HIGHPASS_Q + k * k) / a0 };
}

// WAVE_FORMAT_EXTENSIBLE speaker bits.
const FRONT = 0x1 | 0x2 | 0x4 | 0x40 | 0x80;
const LFE = 0x8;
const BACK_LR = 0x10 | 0x20;
const SIDE_LR = 0x200 | 0x400;

/**
 * BS.1770 weights in channel order: front 1.0, LFE left out, surrounds (about +-110 deg) 1.41.
 * When a layout has both side and back pairs (7.1), the sides are the surrounds and the backs
 * (135-150 deg) weigh 1.0, as BS.1770-4 prescribes for other positions.
 */
export function channelWeights(channels: number, mask = impliedChannelMask(channels)): number[] {
  if (!mask) return Array(channels).fill(1);
  const weights: number[] = [];
  const hasSides = (mask & SIDE_LR) === SIDE_LR;
  for (let bit = 0; bit < 32 && weights.length < channels; bit++) {
    const b = 1 << bit;
    if (!(mask & b)) continue;
    if (b & LFE) weights.push(0);
    else if (b & FRONT) weights.push(1);
    else if (b & SIDE_LR) weights.push(1.41);
    else if (b & BACK_LR) weights.push(hasSides ? 1 : 1.41);
    else weights.push(1);
  }
  while (weights.length < channels) weights.push(1);
  return weights;
}
