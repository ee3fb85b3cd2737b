/** Second-order sections from the RBJ cookbook, run in transposed direct form II in double precision. */

export type FilterType = 'bell' | 'lowShelf' | 'highShelf' | 'lowPass' | 'highPass';

export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

export const UNITY: BiquadCoefficients = { b0: 1, b1: 0, b2: 0, a1: 0, a2: 0 };

export function designBiquad(type: FilterType, freqHz: number, gainDb: number, q: number, rateHz: number): BiquadCoefficients {
  const f = Math.min(Math.max(freqHz, 1), rateHz * 0.4999);
  const w0 = (2 * Math.PI * f) / rateHz;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * Math.max(q, 0.01));
  const A = Math.pow(10, gainDb / 40);
  const sqA = 2 * Math.sqrt(A) * alpha;
  let b0: number, b1: number, b2: number, a0: number, a1: number, a2: number;
  switch (type) {
    case 'bell':
      [b0, b1, b2] = [1 + alpha * A, -2 * cos, 1 - alpha * A];
      [a0, a1, a2] = [1 + alpha / A, -2 * cos, 1 - alpha / A];
      break;
    case 'lowShelf':
      [b0, b1, b2] = [A * (A + 1 - (A - 1) * cos + sqA), 2 * A * (A - 1 - (A + 1) * cos), A * (A + 1 - (A - 1) * cos - sqA)];
      [a0, a1, a2] = [A + 1 + (A - 1) * cos + sqA, -2 * (A - 1 + (A + 1) * cos), A + 1 + (A - 1) * cos - sqA];
      break;
    case 'highShelf':
      [b0, b1, b2] = [A * (A + 1 + (A - 1) * cos + sqA), -2 * A * (A - 1 + (A + 1) * cos), A * (A + 1 + (A - 1) * cos - sqA)];
      [a0, a1, a2] = [A + 1 - (A - 1) * cos + sqA, 2 * (A - 1 - (A + 1) * cos), A + 1 - (A - 1) * cos - sqA];
      break;
    case 'lowPass':
      [b0, b1, b2] = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2];
      [a0, a1, a2] = [1 + alpha, -2 * cos, 1 - alpha];
      break;
    case 'highPass':
      [b0, b1, b2] = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2];
      [a0, a1, a2] = [1 + alpha, -2 * cos, 1 - alpha];
      break;
  }
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

/** |H(e^jw)| in dB at a frequency: the analytic response, for tests and for drawing curves. */
export function responseDb(c: BiquadCoefficients, freqHz: number, rateHz: number): number {
  const w = (2 * Math.PI * freqHz) / rateHz;
  const [c1, s1, c2, s2] = [Math.cos(w), Math.sin(w), Math.cos(2 * w), Math.sin(2 * w)];
  const nr = c.b0 + c.b1 * c1 + c.b2 * c2;
  const ni = -(c.b1 * s1 + c.b2 * s2);
  const dr = 1 + c.a1 * c1 + c.a2 * c2;
  const di = -(c.a1 * s1 + c.a2 * s2);
  return 10 * Math.log10((nr * nr + ni * ni) / (dr * dr + di * di));
}

/** One section on several channels; state per channel. */
export class Biquad {
  private c: BiquadCoefficients = UNITY;
  private readonly z: Float64Array;

  constructor(readonly channels: number) {
    this.z = new Float64Array(channels * 2);
  }

  set(c: BiquadCoefficients): void {
    this.c = c;
  }

  process(inputs: Float32Array[], outputs: Float32Array[], n: number): void {
    const { b0, b1, b2, a1, a2 } = this.c;
    for (let ch = 0; ch < this.channels; ch++) {
      const x = inputs[ch];
      const y = outputs[ch];
      let z1 = this.z[ch * 2];
      let z2 = this.z[ch * 2 + 1];
      for (let i = 0; i < n; i++) {
        const v = x[i];
        const o = b0 * v + z1;
        z1 = b1 * v - a1 * o + z2;
        z2 = b2 * v - a2 * o;
        y[i] = o;
      }
      this.z[ch * 2] = Math.abs(z1) < 1e-30 ? 0 : z1;
      this.z[ch * 2 + 1] = Math.abs(z2) < 1e-30 ? 0 : z2;
    }
  }

  reset(): void {
    this.z.fill(0);
  }
}
