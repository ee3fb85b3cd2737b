/**
 * The complex FFT, for any size whose prime factors are 2, 3, 5 and 7 (powers of two, and every
 * ratio between standard audio rates), on split real/imaginary arrays. Stockham's self-sorting form: each pass
 * reads one buffer and writes the other in order, so there is no bit-reversal pass.
 */

/**
 * The radices of `size` in pass order, or null when it has a prime factor above 7. Fours come
 * last: the last pass needs no twiddles, and a radix-4 butterfly saves the most by that.
 */
export function smoothFactors(size: number): number[] | null {
  if (!Number.isInteger(size) || size < 1) return null;
  const radices: number[] = [];
  let n = size;
  for (const p of [7, 5, 3]) {
    while (n % p === 0) {
      radices.push(p);
      n /= p;
    }
  }
  let fours = 0;
  while (n % 4 === 0) {
    fours++;
    n /= 4;
  }
  if (n === 2) radices.push(2);
  else if (n !== 1) return null;
  for (let i = 0; i < fours; i++) radices.push(4);
  return radices;
}

interface Pass {
  radix: number;
  /** Length of the sub-transforms this pass splits, and the stride between their elements. */
  length: number;
  stride: number;
  /** exp(-2πi p u / length) for p < length / radix, u in [1, radix), at [p (radix - 1) + u - 1]. */
  twRe: Float64Array;
  twIm: Float64Array;
}

const C3 = Math.sqrt(3) / 2;
const C51 = Math.cos((2 * Math.PI) / 5), C52 = Math.cos((4 * Math.PI) / 5);
const S51 = Math.sin((2 * Math.PI) / 5), S52 = Math.sin((4 * Math.PI) / 5);
const C71 = Math.cos((2 * Math.PI) / 7), C72 = Math.cos((4 * Math.PI) / 7), C73 = Math.cos((6 * Math.PI) / 7);
const S71 = Math.sin((2 * Math.PI) / 7), S72 = Math.sin((4 * Math.PI) / 7), S73 = Math.sin((6 * Math.PI) / 7);

export class Fft {
  private readonly passes: Pass[];
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(readonly size: number) {
    const radices = smoothFactors(size);
    if (!radices) throw new RangeError(`FFT size ${size} has a prime factor above 7`);
    this.passes = [];
    let length = size;
    let stride = 1;
    for (const radix of radices) {
      const m = length / radix;
      const twRe = new Float64Array(m * (radix - 1));
      const twIm = new Float64Array(m * (radix - 1));
      for (let p = 0; p < m; p++) {
        for (let u = 1; u < radix; u++) {
          const a = (-2 * Math.PI * p * u) / length;
          twRe[p * (radix - 1) + u - 1] = Math.cos(a);
          twIm[p * (radix - 1) + u - 1] = Math.sin(a);
        }
      }
      this.passes.push({ radix, length, stride, twRe, twIm });
      length = m;
      stride *= radix;
    }
    this.workRe = new Float64Array(size);
    this.workIm = new Float64Array(size);
  }

  /** In place. `inverse` conjugates the twiddles and, unless `scale` is false, divides by size. */
  transform(re: Float64Array, im: Float64Array, inverse = false, scale = true): void {
    const sign = inverse ? -1 : 1;
    let xr = re, xi = im, yr = this.workRe, yi = this.workIm;
    for (const pass of this.passes) {
      switch (pass.radix) {
        case 4: radix4(pass, xr, xi, yr, yi, sign); break;
        case 2: radix2(pass, xr, xi, yr, yi, sign); break;
        case 3: radix3(pass, xr, xi, yr, yi, sign); break;
        case 5: radix5(pass, xr, xi, yr, yi, sign); break;
        default: radix7(pass, xr, xi, yr, yi, sign);
      }
      [xr, yr] = [yr, xr];
      [xi, yi] = [yi, xi];
    }
    if (xr !== re) {
      re.set(xr);
      im.set(xi);
    }
    if (inverse && scale) {
      const k = 1 / this.size;
      for (let i = 0; i < this.size; i++) {
        re[i] *= k;
        im[i] *= k;
      }
    }
  }
}

// Each pass: for p < m and q < s, take a_t = x[q + s (p + t m)], form the radix-point DFT b_u,
// and write b_u times exp(-2πi p u / length) to y[q + s (radix p + u)].

function radix2(pass: Pass, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, sign: number): void {
  const { length, stride: s, twRe, twIm } = pass;
  const m = length / 2;
  for (let p = 0; p < m; p++) {
    const wr = twRe[p], wi = sign * twIm[p];
    const i0 = s * p, i1 = s * (p + m), o0 = s * 2 * p, o1 = o0 + s;
    for (let q = 0; q < s; q++) {
      const ar = xr[i0 + q], ai = xi[i0 + q], br = xr[i1 + q], bi = xi[i1 + q];
      yr[o0 + q] = ar + br;
      yi[o0 + q] = ai + bi;
      const dr = ar - br, di = ai - bi;
      yr[o1 + q] = dr * wr - di * wi;
      yi[o1 + q] = dr * wi + di * wr;
    }
  }
}

function radix4(pass: Pass, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, sign: number): void {
  const { length, stride: s, twRe, twIm } = pass;
  const m = length / 4;
  if (m === 1) {
    radix4Last(s, xr, xi, yr, yi, sign);
    return;
  }
  for (let p = 0; p < m; p++) {
    const w1r = twRe[3 * p], w1i = sign * twIm[3 * p];
    const w2r = twRe[3 * p + 1], w2i = sign * twIm[3 * p + 1];
    const w3r = twRe[3 * p + 2], w3i = sign * twIm[3 * p + 2];
    const i0 = s * p, i1 = i0 + s * m, i2 = i1 + s * m, i3 = i2 + s * m;
    const o0 = s * 4 * p, o1 = o0 + s, o2 = o1 + s, o3 = o2 + s;
    for (let q = 0; q < s; q++) {
      const a0r = xr[i0 + q], a0i = xi[i0 + q], a1r = xr[i1 + q], a1i = xi[i1 + q];
      const a2r = xr[i2 + q], a2i = xi[i2 + q], a3r = xr[i3 + q], a3i = xi[i3 + q];
      const t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;
      const t2r = a1r + a3r, t2i = a1i + a3i;
      // (a1 - a3) times -i going forward, +i going back.
      const t3r = sign * (a1i - a3i), t3i = sign * (a3r - a1r);
      yr[o0 + q] = t0r + t2r;
      yi[o0 + q] = t0i + t2i;
      const b1r = t1r + t3r, b1i = t1i + t3i;
      yr[o1 + q] = b1r * w1r - b1i * w1i;
      yi[o1 + q] = b1r * w1i + b1i * w1r;
      const b2r = t0r - t2r, b2i = t0i - t2i;
      yr[o2 + q] = b2r * w2r - b2i * w2i;
      yi[o2 + q] = b2r * w2i + b2i * w2r;
      const b3r = t1r - t3r, b3i = t1i - t3i;
      yr[o3 + q] = b3r * w3r - b3i * w3i;
      yi[o3 + q] = b3r * w3i + b3i * w3r;
    }
  }
}

/** The last pass, where every twiddle is 1. */
function radix4Last(s: number, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, sign: number): void {
  for (let q = 0; q < s; q++) {
    const a0r = xr[q], a0i = xi[q], a1r = xr[s + q], a1i = xi[s + q];
    const a2r = xr[2 * s + q], a2i = xi[2 * s + q], a3r = xr[3 * s + q], a3i = xi[3 * s + q];
    const t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;
    const t2r = a1r + a3r, t2i = a1i + a3i;
    const t3r = sign * (a1i - a3i), t3i = sign * (a3r - a1r);
    yr[q] = t0r + t2r;
    yi[q] = t0i + t2i;
    yr[s + q] = t1r + t3r;
    yi[s + q] = t1i + t3i;
    yr[2 * s + q] = t0r - t2r;
    yi[2 * s + q] = t0i - t2i;
    yr[3 * s + q] = t1r - t3r;
    yi[3 * s + q] = t1i - t3i;
  }
}

function radix3(pass: Pass, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, sign: number): void {
  const { length, stride: s, twRe, twIm } = pass;
  const m = length / 3;
  const c = sign * C3;
  for (let p = 0; p < m; p++) {
    const w1r = twRe[2 * p], w1i = sign * twIm[2 * p];
    const w2r = twRe[2 * p + 1], w2i = sign * twIm[2 * p + 1];
    const i0 = s * p, i1 = i0 + s * m, i2 = i1 + s * m;
    const o0 = s * 3 * p, o1 = o0 + s, o2 = o1 + s;
    for (let q = 0; q < s; q++) {
      const a0r = xr[i0 + q], a0i = xi[i0 + q];
      const sr = xr[i1 + q] + xr[i2 + q], si = xi[i1 + q] + xi[i2 + q];
      const dr = xr[i1 + q] - xr[i2 + q], di = xi[i1 + q] - xi[i2 + q];
      yr[o0 + q] = a0r + sr;
      yi[o0 + q] = a0i + si;
      const mr = a0r - 0.5 * sr, mi = a0i - 0.5 * si;
      // -i c d going forward.
      const nr = c * di, ni = -c * dr;
      const b1r = mr + nr, b1i = mi + ni, b2r = mr - nr, b2i = mi - ni;
      yr[o1 + q] = b1r * w1r - b1i * w1i;
      yi[o1 + q] = b1r * w1i + b1i * w1r;
      yr[o2 + q] = b2r * w2r - b2i * w2i;
      yi[o2 + q] = b2r * w2i + b2i * w2r;
    }
  }
}

function radix5(pass: Pass, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, sign: number): void {
  const { length, stride: s, twRe, twIm } = pass;
  const m = length / 5;
  const s1 = sign * S51, s2 = sign * S52;
  for (let p = 0; p < m; p++) {
    const t = 4 * p;
    const w1r = twRe[t], w1i = sign * twIm[t], w2r = twRe[t + 1], w2i = sign * twIm[t + 1];
    const w3r = twRe[t + 2], w3i = sign * twIm[t + 2], w4r = twRe[t + 3], w4i = sign * twIm[t + 3];
    const i0 = s * p, i1 = i0 + s * m, i2 = i1 + s * m, i3 = i2 + s * m, i4 = i3 + s * m;
    const o0 = s * 5 * p, o1 = o0 + s, o2 = o1 + s, o3 = o2 + s, o4 = o3 + s;
    for (let q = 0; q < s; q++) {
      const a0r = xr[i0 + q], a0i = xi[i0 + q];
      const p1r = xr[i1 + q] + xr[i4 + q], p1i = xi[i1 + q] + xi[i4 + q];
      const p2r = xr[i2 + q] + xr[i3 + q], p2i = xi[i2 + q] + xi[i3 + q];
      const d1r = xr[i1 + q] - xr[i4 + q], d1i = xi[i1 + q] - xi[i4 + q];
      const d2r = xr[i2 + q] - xr[i3 + q], d2i = xi[i2 + q] - xi[i3 + q];
      yr[o0 + q] = a0r + p1r + p2r;
      yi[o0 + q] = a0i + p1i + p2i;
      const r1r = a0r + C51 * p1r + C52 * p2r, r1i = a0i + C51 * p1i + C52 * p2i;
      const r2r = a0r + C52 * p1r + C51 * p2r, r2i = a0i + C52 * p1i + C51 * p2i;
      // b1 = r1 - i u1, b4 = r1 + i u1, b2 = r2 - i u2, b3 = r2 + i u2 (signs flip going back).
      const u1r = s1 * d1r + s2 * d2r, u1i = s1 * d1i + s2 * d2i;
      const u2r = s2 * d1r - s1 * d2r, u2i = s2 * d1i - s1 * d2i;
      const b1r = r1r + u1i, b1i = r1i - u1r, b4r = r1r - u1i, b4i = r1i + u1r;
      const b2r = r2r + u2i, b2i = r2i - u2r, b3r = r2r - u2i, b3i = r2i + u2r;
      yr[o1 + q] = b1r * w1r - b1i * w1i;
      yi[o1 + q] = b1r * w1i + b1i * w1r;
      yr[o2 + q] = b2r * w2r - b2i * w2i;
      yi[o2 + q] = b2r * w2i + b2i * w2r;
      yr[o3 + q] = b3r * w3r - b3i * w3i;
      yi[o3 + q] = b3r * w3i + b3i * w3r;
      yr[o4 + q] = b4r * w4r - b4i * w4i;
      yi[o4 + q] = b4r * w4i + b4i * w4r;
    }
  }
}

function radix7(pass: Pass, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array, sign: number): void {
  const { length, stride: s, twRe, twIm } = pass;
  const m = length / 7;
  const s1 = sign * S71, s2 = sign * S72, s3 = sign * S73;
  for (let p = 0; p < m; p++) {
    const t = 6 * p;
    const w1r = twRe[t], w1i = sign * twIm[t], w2r = twRe[t + 1], w2i = sign * twIm[t + 1], w3r = twRe[t + 2], w3i = sign * twIm[t + 2];
    const w4r = twRe[t + 3], w4i = sign * twIm[t + 3], w5r = twRe[t + 4], w5i = sign * twIm[t + 4], w6r = twRe[t + 5], w6i = sign * twIm[t + 5];
    const sm = s * m;
    const i0 = s * p, i1 = i0 + sm, i2 = i1 + sm, i3 = i2 + sm, i4 = i3 + sm, i5 = i4 + sm, i6 = i5 + sm;
    const o0 = s * 7 * p;
    for (let q = 0; q < s; q++) {
      const a0r = xr[i0 + q], a0i = xi[i0 + q];
      const p1r = xr[i1 + q] + xr[i6 + q], p1i = xi[i1 + q] + xi[i6 + q];
      const p2r = xr[i2 + q] + xr[i5 + q], p2i = xi[i2 + q] + xi[i5 + q];
      const p3r = xr[i3 + q] + xr[i4 + q], p3i = xi[i3 + q] + xi[i4 + q];
      const d1r = xr[i1 + q] - xr[i6 + q], d1i = xi[i1 + q] - xi[i6 + q];
      const d2r = xr[i2 + q] - xr[i5 + q], d2i = xi[i2 + q] - xi[i5 + q];
      const d3r = xr[i3 + q] - xr[i4 + q], d3i = xi[i3 + q] - xi[i4 + q];
      const o = o0 + q;
      yr[o] = a0r + p1r + p2r + p3r;
      yi[o] = a0i + p1i + p2i + p3i;
      // r_u = a0 + sum_k cos(2π k u / 7) p_k; v_u = sum_k sin(2π k u / 7) d_k; b_u = r_u - i v_u.
      const r1r = a0r + C71 * p1r + C72 * p2r + C73 * p3r, r1i = a0i + C71 * p1i + C72 * p2i + C73 * p3i;
      const r2r = a0r + C72 * p1r + C73 * p2r + C71 * p3r, r2i = a0i + C72 * p1i + C73 * p2i + C71 * p3i;
      const r3r = a0r + C73 * p1r + C71 * p2r + C72 * p3r, r3i = a0i + C73 * p1i + C71 * p2i + C72 * p3i;
      const v1r = s1 * d1r + s2 * d2r + s3 * d3r, v1i = s1 * d1i + s2 * d2i + s3 * d3i;
      const v2r = s2 * d1r - s3 * d2r - s1 * d3r, v2i = s2 * d1i - s3 * d2i - s1 * d3i;
      const v3r = s3 * d1r - s1 * d2r + s2 * d3r, v3i = s3 * d1i - s1 * d2i + s2 * d3i;
      let br = r1r + v1i, bi = r1i - v1r;
      yr[o + s] = br * w1r - bi * w1i;
      yi[o + s] = br * w1i + bi * w1r;
      br = r2r + v2i; bi = r2i - v2r;
      yr[o + 2 * s] = br * w2r - bi * w2i;
      yi[o + 2 * s] = br * w2i + bi * w2r;
      br = r3r + v3i; bi = r3i - v3r;
      yr[o + 3 * s] = br * w3r - bi * w3i;
      yi[o + 3 * s] = br * w3i + bi * w3r;
      br = r3r - v3i; bi = r3i + v3r;
      yr[o + 4 * s] = br * w4r - bi * w4i;
      yi[o + 4 * s] = br * w4i + bi * w4r;
      br = r2r - v2i; bi = r2i + v2r;
      yr[o + 5 * s] = br * w5r - bi * w5i;
      yi[o + 5 * s] = br * w5i + bi * w5r;
      br = r1r - v1i; bi = r1i + v1r;
      yr[o + 6 * s] = br * w6r - bi * w6i;
      yi[o + 6 * s] = br * w6i + bi * w6r;
    }
  }
}
