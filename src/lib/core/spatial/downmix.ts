/**
 * Fold-downs of an immersive render: any layout to 5.1 (sides and backs into the surrounds, each
 * height into the ear-level speaker below it, at -3 dB), 5.1 to stereo Lo/Ro (ITU-R BS.775: centre
 * and surrounds at -3 dB, LFE dropped) and Lt/Rt (surrounds summed at -6 dB, out of phase between
 * the sides, so they cancel in mono). A matrix is rows of output channels over input channels.
 */
import { LAYOUTS, type Layout, type Speaker } from './layouts';

export type FoldDownId = '5.1' | 'LoRo' | 'LtRt';
export const FOLD_DOWNS: { id: FoldDownId; label: string; channels: number }[] = [
  { id: '5.1', label: '5.1', channels: 6 },
  { id: 'LoRo', label: 'stereo Lo/Ro', channels: 2 },
  { id: 'LtRt', label: 'stereo Lt/Rt', channels: 2 }
];

export interface Matrix {
  rows: number;
  cols: number;
  /** rows x cols, row-major. */
  m: Float64Array;
}

const H = Math.SQRT1_2;

/** Where each speaker of any layout goes in 5.1 (by label). */
const TO_51: Record<string, [string, number][]> = {
  L: [['L', 1]], R: [['R', 1]], C: [['C', 1]], LFE: [['LFE', 1]], Ls: [['Ls', 1]], Rs: [['Rs', 1]],
  Lss: [['Ls', H]], Rss: [['Rs', H]], Lrs: [['Ls', H]], Rrs: [['Rs', H]],
  Ltf: [['L', H]], Rtf: [['R', H]], Ltr: [['Ls', H]], Rtr: [['Rs', H]],
  Ltm: [['L', 0.5], ['Ls', 0.5]], Rtm: [['R', 0.5], ['Rs', 0.5]]
};
const TO_STEREO: Record<'LoRo' | 'LtRt', Record<string, [number, number]>> = {
  LoRo: { L: [1, 0], R: [0, 1], C: [H, H], LFE: [0, 0], Ls: [H, 0], Rs: [0, H] },
  LtRt: { L: [1, 0], R: [0, 1], C: [H, H], LFE: [0, 0], Ls: [-0.5, 0.5], Rs: [-0.5, 0.5] }
};

function to51(from: Layout): Matrix {
  const out = LAYOUTS['5.1'].speakers;
  const m = new Float64Array(out.length * from.speakers.length);
  from.speakers.forEach((s: Speaker, c) => {
    for (const [label, g] of TO_51[s.label]) m[out.findIndex((o) => o.label === label) * from.speakers.length + c] += g;
  });
  return { rows: out.length, cols: from.speakers.length, m };
}

function multiply(a: Matrix, b: Matrix): Matrix {
  const m = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < b.cols; j++) for (let k = 0; k < a.cols; k++) m[i * b.cols + j] += a.m[i * a.cols + k] * b.m[k * b.cols + j];
  return { rows: a.rows, cols: b.cols, m };
}

export function foldDownMatrix(from: Layout, to: FoldDownId): Matrix {
  const five = to51(from);
  if (to === '5.1') return five;
  const s51 = LAYOUTS['5.1'].speakers;
  const st = new Float64Array(2 * s51.length);
  s51.forEach((s, c) => {
    const [l, r] = TO_STEREO[to][s.label];
    st[c] = l;
    st[s51.length + c] = r;
  });
  return multiply({ rows: 2, cols: s51.length, m: st }, five);
}

/** out = M · in, over n frames. */
export function applyMatrix(mx: Matrix, input: Float32Array[], n: number, out: Float32Array[]): void {
  for (let r = 0; r < mx.rows; r++) {
    const o = out[r];
    o.fill(0, 0, n);
    for (let c = 0; c < mx.cols; c++) {
      const g = mx.m[r * mx.cols + c];
      if (g === 0) continue;
      const x = input[c];
      for (let i = 0; i < n; i++) o[i] += g * x[i];
    }
  }
}

/** BS.1770 channel weights of a layout: 1.41 for the surrounds at 90 to 110 degrees, 0 for the LFE, else 1. */
export function loudnessWeights(l: Layout): number[] {
  return l.speakers.map((s) => (s.lfe ? 0 : /^M[+-](090|110)$/.test(s.bs2051) ? 1.41 : 1));
}
