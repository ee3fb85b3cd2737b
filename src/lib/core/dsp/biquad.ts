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

/** RBJ coefficients, normalised by a0. */
export function designBiquad(type: FilterType, freqHz: number, gainDb: number, q: number, rateHz: number): BiquadCoefficients {
  const a = new Float64Array(5);
  designInto(a, 0, type, Float64Array.of(freqHz, gainDb, q, rateHz));
  return { b0: a[0], b1: a[1], b2: a[2], a1: a[3], a2: a[4] };
}

/**
 * designBiquad from spec = [freqHz, gainDb, q, rateHz] into out[at .. at + 5) = [b0, b1, b2, a1,
 * a2]. Both typed arrays, because a number passed to a call or stored in an object's field is
 * boxed (allocated) each time and one in a typed array is not: so a kernel redesigns without
 * allocating.
 */
export function designInto(out: Float64Array, at: number, type: FilterType, spec: Float64Array): void {
  const freqHz = spec[0];
  const gainDb = spec[1];
  const q = spec[2];
  const rateHz = spec[3];
  const f = Math.min(Math.max(freqHz, 1), rateHz * 0.4999);
  const w0 = (2 * Math.PI * f) / rateHz;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * Math.max(q, 0.01));
  const A = Math.pow(10, gainDb / 40);
  const sqA = 2 * Math.sqrt(A) * alpha;
  // Plain assignments from numbers (array destructuring, or variables that start undefined, would
  // make the compiler box every one).
  let b0 = 1;
  let b1 = 0;
  let b2 = 0;
  let a0 = 1;
  let a1 = 0;
  let a2 = 0;
  switch (type) {
    case 'bell':
      b0 = 1 + alpha * A;
      b1 = -2 * cos;
      b2 = 1 - alpha * A;
      a0 = 1 + alpha / A;
      a1 = -2 * cos;
      a2 = 1 - alpha / A;
      break;
    case 'lowShelf':
      b0 = A * (A + 1 - (A - 1) * cos + sqA);
      b1 = 2 * A * (A - 1 - (A + 1) * cos);
      b2 = A * (A + 1 - (A - 1) * cos - sqA);
      a0 = A + 1 + (A - 1) * cos + sqA;
      a1 = -2 * (A - 1 + (A + 1) * cos);
      a2 = A + 1 + (A - 1) * cos - sqA;
      break;
    case 'highShelf':
      b0 = A * (A + 1 + (A - 1) * cos + sqA);
      b1 = -2 * A * (A - 1 + (A + 1) * cos);
      b2 = A * (A + 1 + (A - 1) * cos - sqA);
      a0 = A + 1 - (A - 1) * cos + sqA;
      a1 = 2 * (A - 1 - (A + 1) * cos);
      a2 = A + 1 - (A - 1) * cos - sqA;
      break;
    case 'lowPass':
      b0 = (1 - cos) / 2;
      b1 = 1 - cos;
      b2 = (1 - cos) / 2;
      a0 = 1 + alpha;
      a1 = -2 * cos;
      a2 = 1 - alpha;
      break;
    case 'highPass':
      b0 = (1 + cos) / 2;
      b1 = -(1 + cos);
      b2 = (1 + cos) / 2;
      a0 = 1 + alpha;
      a1 = -2 * cos;
      a2 = 1 - alpha;
      break;
  }
  out[at] = b0 / a0;
  out[at + 1] = b1 / a0;
  out[at + 2] = b2 / a0;
  out[at + 3] = a1 / a0;
  out[at + 4] = a2 / a0;
}

/**
 * Fills spec with [freqHz, gainDb, q, rateHz] and returns it. Small enough to be inlined where it
 * is called, so its numbers are never boxed.
 */
export function filterSpec(spec: Float64Array, freqHz: number, gainDb: number, q: number, rateHz: number): Float64Array {
  spec[0] = freqHz;
  spec[1] = gainDb;
  spec[2] = q;
  spec[3] = rateHz;
  return spec;
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
  /** Its own copy of [b0, b1, b2, a1, a2]: a caller may reuse what it set from. */
  private readonly c = Float64Array.of(1, 0, 0, 0, 0);
  private readonly z: Float64Array;

  constructor(readonly channels: number) {
    this.z = new Float64Array(channels * 2);
  }

  set(c: BiquadCoefficients): void {
    this.c[0] = c.b0;
    this.c[1] = c.b1;
    this.c[2] = c.b2;
    this.c[3] = c.a1;
    this.c[4] = c.a2;
  }

  /** Takes [b0, b1, b2, a1, a2] from `from` at `at` (as designInto writes them). */
  setFrom(from: Float64Array, at = 0): void {
    for (let k = 0; k < 5; k++) this.c[k] = from[at + k];
  }

  /** Filters inputs[ch][inAt, inAt + n) into outputs[ch][outAt, outAt + n). */
  process(inputs: Float32Array[], outputs: Float32Array[], n: number, inAt = 0, outAt = inAt): void {
    const c = this.c;
    const b0 = c[0];
    const b1 = c[1];
    const b2 = c[2];
    const a1 = c[3];
    const a2 = c[4];
    for (let ch = 0; ch < this.channels; ch++) {
      const x = inputs[ch];
      const y = outputs[ch];
      let z1 = this.z[ch * 2];
      let z2 = this.z[ch * 2 + 1];
      for (let i = 0; i < n; i++) {
        const v = x[inAt + i];
        const o = b0 * v + z1;
        z1 = b1 * v - a1 * o + z2;
        z2 = b2 * v - a2 * o;
        y[outAt + i] = o;
      }
      this.z[ch * 2] = Math.abs(z1) < 1e-30 ? 0 : z1;
      this.z[ch * 2 + 1] = Math.abs(z2) < 1e-30 ? 0 : z2;
    }
  }

  /** Takes another section's state (its coefficients stay its own). */
  copyStateFrom(other: Biquad): void {
    this.z.set(other.z);
  }

  reset(): void {
    this.z.fill(0);
  }
}
