/**
 * The complex FFT, for any size whose prime factors are 2, 3, 5 and 7 (powers of two, and every
 * ratio between standard audio rates). Stockham's self-sorting form: each pass reads one buffer
 * and writes the other in order, so there is no bit-reversal pass. The passes run as WebAssembly
 * SIMD, one complex number per f64x2 (real, imaginary), written by `wasm-emit`; an inverse is the
 * forward transform of the conjugate, conjugated.
 */
import { FunctionBuilder, buildModule, type Expr } from './wasm-emit';

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

const C3 = Math.sqrt(3) / 2;
const C51 = Math.cos((2 * Math.PI) / 5), C52 = Math.cos((4 * Math.PI) / 5);
const S51 = Math.sin((2 * Math.PI) / 5), S52 = Math.sin((4 * Math.PI) / 5);
const C71 = Math.cos((2 * Math.PI) / 7), C72 = Math.cos((4 * Math.PI) / 7), C73 = Math.cos((6 * Math.PI) / 7);
const S71 = Math.sin((2 * Math.PI) / 7), S72 = Math.sin((4 * Math.PI) / 7), S73 = Math.sin((6 * Math.PI) / 7);

const RADICES = [2, 3, 4, 5, 7];
/** Bytes per twiddle: (wr, wr) and (-wi, wi), so b·w = b·(wr, wr) + swap(b)·(-wi, wi). */
const TWIDDLE_BYTES = 32;

/**
 * One pass of radix r: for p < m and q < s, a_t = x[q + s (p + t m)], b_u its r-point DFT, and
 * y[q + s (r p + u)] = b_u · exp(-2πi p u / (r m)). Without twiddles (the last pass, m = 1) the
 * products are skipped. Parameters: x, y and the twiddles as byte offsets, then m and s.
 */
function passKernel(radix: number, twiddled: boolean): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32']);
  const [X, Y, TW, M, S] = [0, 1, 2, 3, 4];
  const { get, i32, add, mul, load, fadd, fsub, fmul, swap, f64x2 } = f;
  const i32Local = (e: Expr) => {
    const l = f.local('i32');
    f.set(l, e);
    return get(l);
  };
  const v = (e: Expr) => {
    const l = f.local('v128');
    f.set(l, e);
    return get(l);
  };
  const inStride = i32Local(mul(mul(get(S), get(M)), i32(16)));
  const outStride = i32Local(mul(get(S), i32(16)));
  const inAt = [i32(0), ...Array.from({ length: radix - 1 }, (_, t) => i32Local(mul(inStride, i32(t + 1))))];
  const outAt = [i32(0), ...Array.from({ length: radix - 1 }, (_, u) => i32Local(mul(outStride, i32(u + 1))))];
  const groupOut = i32Local(mul(outStride, i32(radix)));
  // -i·z = swap(z)·(1, -1); c·z for a real c.
  const NEG_I = v(f64x2(1, -1));
  const consts = new Map<number, Expr>();
  const c = (k: number) => {
    if (!consts.has(k)) consts.set(k, v(f64x2(k, k)));
    return consts.get(k) as Expr;
  };
  const constNames: Record<number, number[]> = { 3: [0.5, C3], 5: [C51, C52, S51, S52], 7: [C71, C72, C73, S71, S72, S73] };
  for (const k of constNames[radix] ?? []) c(k);
  const minusI = (z: Expr) => fmul(swap(z), NEG_I);

  const p = f.local('i32'), q = f.local('i32'), ip = f.local('i32'), op = f.local('i32');
  const inBase = f.local('i32'), outBase = f.local('i32'), tw = f.local('i32');
  f.set(inBase, get(X));
  f.set(outBase, get(Y));
  f.set(tw, get(TW));
  f.repeat(p, get(M), () => {
    const w: { re: Expr; im: Expr }[] = [];
    if (twiddled) for (let u = 1; u < radix; u++) w[u] = { re: v(load(get(tw), TWIDDLE_BYTES * (u - 1))), im: v(load(get(tw), TWIDDLE_BYTES * (u - 1) + 16)) };
    f.set(ip, get(inBase));
    f.set(op, get(outBase));
    f.repeat(q, get(S), () => {
      const a = inAt.map((off, t) => v(load(t === 0 ? get(ip) : add(get(ip), off))));
      const b = butterfly(radix, a, v, c, minusI, fadd, fsub, fmul);
      b.forEach((bu, u) => {
        let out = bu;
        if (twiddled && u > 0) {
          const z = v(bu);
          out = fadd(fmul(z, w[u].re), fmul(swap(z), w[u].im));
        }
        f.store(u === 0 ? get(op) : add(get(op), outAt[u]), out);
      });
      f.set(ip, add(get(ip), i32(16)));
      f.set(op, add(get(op), i32(16)));
    });
    f.set(inBase, add(get(inBase), outStride));
    f.set(outBase, add(get(outBase), groupOut));
    if (twiddled) f.set(tw, add(get(tw), i32(TWIDDLE_BYTES * (radix - 1))));
  });
  return f;
}

/** The r-point forward DFT of a (values held in locals), as one expression per output. */
function butterfly(radix: number, a: Expr[], v: (e: Expr) => Expr, c: (k: number) => Expr, minusI: (z: Expr) => Expr, add: (x: Expr, y: Expr) => Expr, sub: (x: Expr, y: Expr) => Expr, mul: (x: Expr, y: Expr) => Expr): Expr[] {
  switch (radix) {
    case 2:
      return [add(a[0], a[1]), sub(a[0], a[1])];
    case 4: {
      const t0 = v(add(a[0], a[2])), t1 = v(sub(a[0], a[2])), t2 = v(add(a[1], a[3])), t3 = v(minusI(v(sub(a[1], a[3]))));
      return [add(t0, t2), add(t1, t3), sub(t0, t2), sub(t1, t3)];
    }
    case 3: {
      const s = v(add(a[1], a[2]));
      const m = v(sub(a[0], mul(c(0.5), s)));
      const n = v(mul(minusI(v(sub(a[1], a[2]))), c(C3)));
      return [add(a[0], s), add(m, n), sub(m, n)];
    }
    case 5: {
      const p1 = v(add(a[1], a[4])), p2 = v(add(a[2], a[3]));
      const d1 = v(minusI(v(sub(a[1], a[4])))), d2 = v(minusI(v(sub(a[2], a[3]))));
      const r1 = v(add(a[0], add(mul(c(C51), p1), mul(c(C52), p2))));
      const r2 = v(add(a[0], add(mul(c(C52), p1), mul(c(C51), p2))));
      const n1 = v(add(mul(c(S51), d1), mul(c(S52), d2)));
      const n2 = v(sub(mul(c(S52), d1), mul(c(S51), d2)));
      return [add(a[0], add(p1, p2)), add(r1, n1), add(r2, n2), sub(r2, n2), sub(r1, n1)];
    }
    default: {
      const p1 = v(add(a[1], a[6])), p2 = v(add(a[2], a[5])), p3 = v(add(a[3], a[4]));
      const d1 = v(minusI(v(sub(a[1], a[6])))), d2 = v(minusI(v(sub(a[2], a[5])))), d3 = v(minusI(v(sub(a[3], a[4]))));
      const r = (x: number, y: number, z: number) => v(add(a[0], add(add(mul(c(x), p1), mul(c(y), p2)), mul(c(z), p3))));
      const r1 = r(C71, C72, C73), r2 = r(C72, C73, C71), r3 = r(C73, C71, C72);
      const n1 = v(add(add(mul(c(S71), d1), mul(c(S72), d2)), mul(c(S73), d3)));
      const n2 = v(sub(sub(mul(c(S72), d1), mul(c(S73), d2)), mul(c(S71), d3)));
      const n3 = v(add(sub(mul(c(S73), d1), mul(c(S71), d2)), mul(c(S72), d3)));
      return [add(a[0], add(add(p1, p2), p3)), add(r1, n1), add(r2, n2), add(r3, n3), sub(r3, n3), sub(r2, n2), sub(r1, n1)];
    }
  }
}

/** Split real and imaginary arrays into complex pairs, the imaginary part times `sign`. */
function splitInKernel(): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'f64']);
  const [RE, IM, X, PAIRS, SIGN] = [0, 1, 2, 3, 4];
  const { get, i32, add, load, fmul, splat, lows, highs } = f;
  const sign = f.local('v128'), r = f.local('v128'), i = f.local('v128'), k = f.local('i32');
  f.set(sign, splat(get(SIGN)));
  f.repeat(k, get(PAIRS), () => {
    f.set(r, load(get(RE)));
    f.set(i, fmul(load(get(IM)), get(sign)));
    f.store(get(X), lows(get(r), get(i)));
    f.store(get(X), highs(get(r), get(i)), 16);
    f.set(RE, add(get(RE), i32(16)));
    f.set(IM, add(get(IM), i32(16)));
    f.set(X, add(get(X), i32(32)));
  });
  return f;
}

/** Complex pairs back into split arrays, each part times its scale. */
function splitOutKernel(): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'f64', 'f64']);
  const [X, RE, IM, PAIRS, SCALE_RE, SCALE_IM] = [0, 1, 2, 3, 4, 5];
  const { get, i32, add, load, fmul, splat, lows, highs } = f;
  const sr = f.local('v128'), si = f.local('v128'), c0 = f.local('v128'), c1 = f.local('v128'), k = f.local('i32');
  f.set(sr, splat(get(SCALE_RE)));
  f.set(si, splat(get(SCALE_IM)));
  f.repeat(k, get(PAIRS), () => {
    f.set(c0, load(get(X)));
    f.set(c1, load(get(X), 16));
    f.store(get(RE), fmul(lows(get(c0), get(c1)), get(sr)));
    f.store(get(IM), fmul(highs(get(c0), get(c1)), get(si)));
    f.set(X, add(get(X), i32(32)));
    f.set(RE, add(get(RE), i32(16)));
    f.set(IM, add(get(IM), i32(16)));
  });
  return f;
}

type PassFn = (x: number, y: number, tw: number, m: number, s: number) => void;
interface FftExports {
  splitIn(re: number, im: number, x: number, pairs: number, sign: number): void;
  splitOut(x: number, re: number, im: number, pairs: number, scaleRe: number, scaleIm: number): void;
  [pass: string]: PassFn | FftExports['splitIn'] | FftExports['splitOut'];
}

let compiled: WebAssembly.Module | null = null;

/** The kernels, compiled once per thread. */
function fftModule(): WebAssembly.Module {
  if (compiled) return compiled;
  if (typeof WebAssembly === 'undefined') throw new Error('the FFT needs WebAssembly, which this runtime does not have');
  const bytes = buildModule([
    ...RADICES.flatMap((r) => [
      { name: `t${r}`, fn: passKernel(r, true) },
      { name: `u${r}`, fn: passKernel(r, false) }
    ]),
    { name: 'splitIn', fn: splitInKernel() },
    { name: 'splitOut', fn: splitOutKernel() }
  ]);
  if (!WebAssembly.validate(bytes)) throw new Error('the FFT needs WebAssembly SIMD, which this runtime does not have');
  compiled = new WebAssembly.Module(bytes);
  return compiled;
}

interface Pass {
  run: PassFn;
  m: number;
  s: number;
  /** Byte offset of its twiddles. */
  tw: number;
}

export class Fft {
  /** Work arrays inside the transform's memory: `transform()` with no arrays works on these. */
  readonly re: Float64Array;
  readonly im: Float64Array;
  private readonly passes: Pass[] = [];
  private readonly k: FftExports;
  private readonly pairs: number;
  /** 1 / size and its negative, made once: a number computed per call is boxed to cross into wasm. */
  private readonly inverseScale: number;
  private readonly inverseScaleNeg: number;
  /** Byte offsets of the two complex buffers and of the split arrays. */
  private readonly a = 0;
  private readonly b: number;
  private readonly reAt: number;
  private readonly imAt: number;

  constructor(readonly size: number) {
    this.inverseScale = 1 / size;
    this.inverseScaleNeg = -1 / size;
    const radices = smoothFactors(size);
    if (!radices) throw new RangeError(`FFT size ${size} has a prime factor above 7`);
    // Pairs of values move together, so an odd size gets one spare slot.
    this.pairs = Math.ceil(size / 2);
    const slots = 2 * this.pairs;
    this.b = 16 * slots;
    this.reAt = 32 * slots;
    this.imAt = 40 * slots;
    let twBytes = 0;
    let length = size;
    for (const r of radices) {
      length /= r;
      if (length > 1) twBytes += length * (r - 1) * TWIDDLE_BYTES;
    }
    const bytes = 48 * slots + twBytes;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65_536)) });
    this.k = new WebAssembly.Instance(fftModule(), { env: { memory } }).exports as unknown as FftExports;
    const heap = new Float64Array(memory.buffer);
    let tw = 48 * slots;
    length = size;
    let s = 1;
    for (const r of radices) {
      const m = length / r;
      const twiddled = m > 1;
      this.passes.push({ run: this.k[`${twiddled ? 't' : 'u'}${r}`] as PassFn, m, s, tw });
      if (twiddled) {
        for (let p = 0; p < m; p++) {
          for (let u = 1; u < r; u++) {
            const angle = (-2 * Math.PI * p * u) / length;
            const at = (tw + (p * (r - 1) + u - 1) * TWIDDLE_BYTES) / 8;
            heap[at] = heap[at + 1] = Math.cos(angle);
            heap[at + 2] = -Math.sin(angle);
            heap[at + 3] = Math.sin(angle);
          }
        }
        tw += m * (r - 1) * TWIDDLE_BYTES;
      }
      length = m;
      s *= r;
    }
    this.re = new Float64Array(memory.buffer, this.reAt, size);
    this.im = new Float64Array(memory.buffer, this.imAt, size);
  }

  /**
   * In place on `re` and `im` (by default the transform's own arrays, which saves two copies).
   * `inverse` conjugates the exponent and, unless `scale` is false, divides by size.
   */
  transform(re: Float64Array = this.re, im: Float64Array = this.im, inverse = false, scale = true): void {
    const { size } = this;
    // No views, iterators or swaps by array: a transform allocates nothing.
    if (re !== this.re) this.re.set(re.length === size ? re : re.subarray(0, size));
    if (im !== this.im) this.im.set(im.length === size ? im : im.subarray(0, size));
    this.k.splitIn(this.reAt, this.imAt, this.a, this.pairs, inverse ? -1 : 1);
    let x = this.a;
    let y = this.b;
    const passes = this.passes;
    for (let i = 0; i < passes.length; i++) {
      const pass = passes[i];
      pass.run(x, y, pass.tw, pass.m, pass.s);
      const t = x;
      x = y;
      y = t;
    }
    if (!inverse) this.k.splitOut(x, this.reAt, this.imAt, this.pairs, 1, 1);
    else if (scale) this.k.splitOut(x, this.reAt, this.imAt, this.pairs, this.inverseScale, this.inverseScaleNeg);
    else this.k.splitOut(x, this.reAt, this.imAt, this.pairs, 1, -1);
    if (re !== this.re) re.set(this.re);
    if (im !== this.im) im.set(this.im);
  }
}
