/**
 * An in-place complex FFT on split real/imaginary arrays, tables made once per size. Radix-2
 * stages are fused in pairs, so each pass over memory does two levels of butterflies.
 */
export class Fft {
  /** Twiddles for the level whose butterflies span 2h: entries [h, 2h) hold exp(-2πi j / 2h). */
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;
  /** Index pairs the bit-reversal permutation swaps. */
  private readonly swaps: Uint32Array;

  constructor(readonly size: number) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size ${size} is not a power of two`);
    this.twRe = new Float64Array(size);
    this.twIm = new Float64Array(size);
    for (let h = 1; h < size; h <<= 1) {
      for (let j = 0; j < h; j++) {
        this.twRe[h + j] = Math.cos((Math.PI * j) / h);
        this.twIm[h + j] = -Math.sin((Math.PI * j) / h);
      }
    }
    const bits = Math.log2(size);
    const pairs: number[] = [];
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      if (r > i) pairs.push(i, r);
    }
    this.swaps = Uint32Array.from(pairs);
  }

  /** Forward transform; `inverse` conjugates the twiddles and, unless `scale` is false, divides by size. */
  transform(re: Float64Array, im: Float64Array, inverse = false, scale = true): void {
    const n = this.size;
    const swaps = this.swaps;
    for (let p = 0; p < swaps.length; p += 2) {
      const i = swaps[p];
      const j = swaps[p + 1];
      const tr = re[i];
      re[i] = re[j];
      re[j] = tr;
      const ti = im[i];
      im[i] = im[j];
      im[j] = ti;
    }
    let q = 1;
    if ((Math.log2(n) & 1) === 1) {
      for (let a = 0; a < n; a += 2) {
        const xr = re[a + 1];
        const xi = im[a + 1];
        re[a + 1] = re[a] - xr;
        im[a + 1] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
      q = 2;
    }
    const s = inverse ? -1 : 1;
    const twRe = this.twRe;
    const twIm = this.twIm;
    for (; q < n; q <<= 2) {
      const span = 4 * q;
      for (let j = 0; j < q; j++) {
        const w1r = twRe[q + j];
        const w1i = s * twIm[q + j];
        const w2r = twRe[2 * q + j];
        const w2i = s * twIm[2 * q + j];
        for (let a0 = j; a0 < n; a0 += span) {
          const a1 = a0 + q;
          const a2 = a1 + q;
          const a3 = a2 + q;
          // Level one: (a0, a1) and (a2, a3), twiddle exp(-2πi j / 2q).
          let xr = re[a1] * w1r - im[a1] * w1i;
          let xi = re[a1] * w1i + im[a1] * w1r;
          const y0r = re[a0] + xr;
          const y0i = im[a0] + xi;
          const y1r = re[a0] - xr;
          const y1i = im[a0] - xi;
          xr = re[a3] * w1r - im[a3] * w1i;
          xi = re[a3] * w1i + im[a3] * w1r;
          const y2r = re[a2] + xr;
          const y2i = im[a2] + xi;
          const y3r = re[a2] - xr;
          const y3i = im[a2] - xi;
          // Level two: (a0, a2) with exp(-2πi j / 4q); (a1, a3) with that times -i.
          const ur = y2r * w2r - y2i * w2i;
          const ui = y2r * w2i + y2i * w2r;
          re[a0] = y0r + ur;
          im[a0] = y0i + ui;
          re[a2] = y0r - ur;
          im[a2] = y0i - ui;
          const tr = y3r * w2r - y3i * w2i;
          const ti = y3r * w2i + y3i * w2r;
          const vr = s * ti;
          const vi = -s * tr;
          re[a1] = y1r + vr;
          im[a1] = y1i + vi;
          re[a3] = y1r - vr;
          im[a3] = y1i - vi;
        }
      }
    }
    if (inverse && scale) {
      const k = 1 / n;
      for (let i = 0; i < n; i++) {
        re[i] *= k;
        im[i] *= k;
      }
    }
  }
}
