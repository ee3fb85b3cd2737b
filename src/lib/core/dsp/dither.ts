/** Word-length reduction: seeded TPDF dither, optional noise shaping, rounding and clipping. */
import { FunctionBuilder, buildModule, type Expr } from './wasm-emit';

export type NoiseShaping = 'none' | 'lipshitz';

/** Lipshitz et al.'s minimally audible 5-tap shaping filter for 44.1 kHz, as SoX publishes it. */
const LIPSHITZ = [2.033, -2.165, 1.959, -1.59, 0.6149];

export interface QuantizerOptions {
  bits: 16 | 24;
  channels: number;
  dither: boolean;
  shaping: NoiseShaping;
  seed: number;
}

/**
 * The shaping loop for one channel pair (lanes 0 and 1) or one channel (lane 0), as WebAssembly:
 * each channel's error feedback is a chain of dependent steps, and the pair's two chains run as
 * one in f64x2 lanes. The operations and their order are those of the formula below, so the
 * result is the same to the bit on any engine. Per frame, where processed:
 *   v = x·scale - (h1 e1 + h2 e2 + h3 e3 + h4 e4) - h0 e0
 *   q = clamp(floor(v + (noise + 0.5)), min, max); e = clamp(q - v, -1, 1), newest first
 * and elsewhere q = clamp(floor(x·scale + 0.5)), with the errors left as they are.
 */
function shapeKernel(lanes: 1 | 2): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f64', 'f64', 'f64']);
  const [XA, XB, NOISE, PROCESSED, OUT, N, CHANNELS, STATE, TAPS, SCALE, MIN, MAX] = f.params.map((_, i) => f.param(i));
  const { get, i32, add, mul, load, loadF64, loadF32AsF64, loadU8, eq, splat, withLane1, fadd, fsub, fmul, floor, fmin, fmax, toInt32, f64x2 } = f;
  const v128 = (e: Expr) => {
    const l = f.local('v128');
    f.set(l, e);
    return l;
  };
  const h = [0, 1, 2, 3, 4].map((k) => get(v128(splat(loadF64(get(TAPS), 8 * k)))));
  const scale = get(v128(splat(get(SCALE))));
  const lo = get(v128(splat(get(MIN))));
  const hi = get(v128(splat(get(MAX))));
  const half = get(v128(f64x2(0.5, 0.5)));
  const one = get(v128(f64x2(1, 1)));
  const minusOne = get(v128(f64x2(-1, -1)));
  const e = [0, 1, 2, 3, 4].map((k) => v128(load(get(STATE), 16 * k)));
  const outStride = f.local('i32'), noiseStride = f.local('i32'), i = f.local('i32');
  const x = f.local('v128'), v = f.local('v128'), q = f.local('v128');
  f.set(outStride, mul(get(CHANNELS), i32(4)));
  f.set(noiseStride, mul(get(CHANNELS), i32(8)));
  f.repeat(i, get(N), () => {
    f.set(x, fmul(withLane1(splat(loadF32AsF64(get(XA))), loadF32AsF64(get(XB))), scale));
    f.ifElse(
      eq(loadU8(get(PROCESSED)), i32(1)),
      () => {
        const older = fadd(fadd(fadd(fmul(h[1], get(e[1])), fmul(h[2], get(e[2]))), fmul(h[3], get(e[3]))), fmul(h[4], get(e[4])));
        f.set(v, fsub(fsub(get(x), older), fmul(h[0], get(e[0]))));
        f.set(q, fmin(fmax(floor(fadd(get(v), fadd(load(get(NOISE)), half))), lo), hi));
        for (let k = 4; k > 0; k--) f.set(e[k], get(e[k - 1]));
        f.set(e[0], fmin(fmax(fsub(get(q), get(v)), minusOne), one));
      },
      () => f.set(q, fmin(fmax(floor(fadd(get(x), half)), lo), hi))
    );
    f.storeInt32Lanes(get(OUT), toInt32(get(q)), lanes);
    f.set(XA, add(get(XA), i32(4)));
    f.set(XB, add(get(XB), i32(4)));
    f.set(NOISE, add(get(NOISE), get(noiseStride)));
    f.set(PROCESSED, add(get(PROCESSED), i32(1)));
    f.set(OUT, add(get(OUT), get(outStride)));
  });
  e.forEach((l, k) => f.store(get(STATE), get(l), 16 * k));
  return f;
}

/**
 * Seeded TPDF dither for the processed frames, `channels` values a frame, in frame order:
 * Mulberry32, one draw per value holding both 16-bit uniforms of the triangular pair. The
 * generator's state is an i32 at `state`.
 */
function ditherKernel(): FunctionBuilder {
  const f = new FunctionBuilder(['i32', 'i32', 'i32', 'i32', 'i32']);
  const [PROCESSED, NOISE, N, CHANNELS, STATE] = f.params.map((_, i) => f.param(i));
  const { get, i32, add, mul, sub, and, or, xor, shrU, eq, loadU8, loadI32, i32ToF64Times } = f;
  const imul = mul;
  const a = f.local('i32'), t = f.local('i32'), i = f.local('i32'), c = f.local('i32');
  f.set(a, loadI32(get(STATE)));
  f.repeat(i, get(N), () => {
    f.ifElse(
      eq(loadU8(get(PROCESSED)), i32(1)),
      () =>
        f.repeat(c, get(CHANNELS), () => {
          f.set(a, add(get(a), i32(0x6d2b79f5)));
          f.set(t, imul(xor(get(a), shrU(get(a), i32(15))), or(get(a), i32(1))));
          f.set(t, xor(get(t), add(get(t), imul(xor(get(t), shrU(get(t), i32(7))), or(get(t), i32(61))))));
          f.set(t, xor(get(t), shrU(get(t), i32(14))));
          f.storeF64(get(NOISE), i32ToF64Times(sub(and(get(t), i32(0xffff)), shrU(get(t), i32(16))), 1 / 65536));
          f.set(NOISE, add(get(NOISE), i32(8)));
        }),
      () => f.set(NOISE, add(get(NOISE), mul(get(CHANNELS), i32(8))))
    );
    f.set(PROCESSED, add(get(PROCESSED), i32(1)));
  });
  f.storeI32(get(STATE), get(a));
  return f;
}

type DitherFn = (processed: number, noise: number, n: number, channels: number, state: number) => void;
type ShapeFn = (xa: number, xb: number, noise: number, processed: number, out: number, n: number, channels: number, state: number, taps: number, scale: number, min: number, max: number) => void;

let shapeModule: WebAssembly.Module | null = null;

interface QuantizerKernels {
  dither: DitherFn;
  pair: ShapeFn;
  single: ShapeFn;
}

function quantizerKernels(memory: WebAssembly.Memory): QuantizerKernels {
  if (!shapeModule) {
    const bytes = buildModule([
      { name: 'dither', fn: ditherKernel() },
      { name: 'pair', fn: shapeKernel(2) },
      { name: 'single', fn: shapeKernel(1) }
    ]);
    if (!WebAssembly.validate(bytes)) throw new Error('the quantizer needs WebAssembly SIMD, which this runtime does not have');
    shapeModule = new WebAssembly.Module(bytes);
  }
  return new WebAssembly.Instance(shapeModule, { env: { memory } }).exports as unknown as QuantizerKernels;
}

/** Bytes per shaping state (five f64x2 errors), and for the taps and the generator's state. */
const STATE_BYTES = 80;
const TAPS_BYTES = 48;

export class Quantizer {
  private readonly scale: number;
  private readonly max: number;
  private readonly memory: WebAssembly.Memory;
  private readonly kernels: QuantizerKernels;
  /** Frames the block buffers hold, and their byte offsets; states and taps come first, fixed. */
  private frames = 0;
  private at = { input: 0, noise: 0, processed: 0, out: 0 };
  private inputs: Float32Array[] = [];
  private noise = new Float64Array(0);
  private processedIn = new Uint8Array(0);
  private outInts = new Int32Array(0);

  constructor(readonly options: QuantizerOptions) {
    this.scale = 2 ** (options.bits - 1);
    this.max = this.scale - 1;
    this.memory = new WebAssembly.Memory({ initial: 1 });
    this.kernels = quantizerKernels(this.memory);
    if (options.shaping === 'lipshitz') new Float64Array(this.memory.buffer, this.tapsAt, 5).set(LIPSHITZ);
    new Int32Array(this.memory.buffer, this.randAt, 1)[0] = options.seed | 0;
    this.reserve(4096);
  }

  /** Where the generator's state lives, after the taps. */
  private get randAt(): number {
    return this.tapsAt + 40;
  }

  private get tapsAt(): number {
    return Math.ceil(this.options.channels / 2) * STATE_BYTES;
  }

  /** Lays out the block buffers for `frames` frames, growing the memory; states and taps stay. */
  private reserve(frames: number): void {
    const { channels } = this.options;
    const align = (b: number) => Math.ceil(b / 16) * 16;
    const input = align(this.tapsAt + TAPS_BYTES);
    const noise = align(input + 4 * channels * frames);
    // A lane past the last value may be read (noise) or written (one channel's output): spares.
    const processed = align(noise + 8 * channels * frames + 16);
    const out = align(processed + frames);
    const end = out + 4 * channels * frames + 8;
    const pages = Math.ceil(end / 65_536) - this.memory.buffer.byteLength / 65_536;
    if (pages > 0) this.memory.grow(pages);
    const buf = this.memory.buffer;
    this.frames = frames;
    this.at = { input, noise, processed, out };
    this.inputs = Array.from({ length: channels }, (_, c) => new Float32Array(buf, input + 4 * c * frames, frames));
    this.noise = new Float64Array(buf, noise, channels * frames);
    this.processedIn = new Uint8Array(buf, processed, frames);
    this.outInts = new Int32Array(buf, out, channels * frames);
  }

  /**
   * Writes integers for frames [0, n) into `out` (interleaved). Where `processed[i]` is 0 the
   * sample passes by plain rounding: untouched sources on the target grid come out unchanged,
   * and digital silence stays digital silence.
   */
  quantize(planar: Float32Array[], n: number, processed: Uint8Array, out: Int32Array): void {
    const { channels, dither } = this.options;
    if (n > this.frames) this.reserve(n);
    this.processedIn.set(processed.subarray(0, n));
    // The dither comes first, in frame order, so the sequence does not depend on the loop below.
    if (dither) this.kernels.dither(this.at.processed, this.at.noise, n, channels, this.randAt);
    else this.noise.fill(0, 0, n * channels);
    for (let c = 0; c < channels; c++) this.inputs[c].set(planar[c].subarray(0, n));
    const { input, noise: noiseAt, processed: processedAt, out: outAt } = this.at;
    const { frames, scale, max, tapsAt } = this;
    for (let c = 0; c < channels; c += 2) {
      const pair = c + 1 < channels;
      const xa = input + 4 * c * frames;
      (pair ? this.kernels.pair : this.kernels.single)(xa, pair ? xa + 4 * frames : xa, noiseAt + 8 * c, processedAt, outAt + 4 * c, n, channels, (c / 2) * STATE_BYTES, tapsAt, scale, -scale, max);
    }
    out.set(this.outInts.subarray(0, n * channels));
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function int16le(values: Int32Array, count: number, out: Uint8Array): void {
  // Values are already in range: a typed-array copy narrows them exactly, natively.
  if (LITTLE_ENDIAN && out.byteOffset % 2 === 0) {
    new Int16Array(out.buffer, out.byteOffset, count).set(values.subarray(0, count));
    return;
  }
  for (let i = 0; i < count; i++) {
    const v = values[i];
    out[2 * i] = v & 0xff;
    out[2 * i + 1] = (v >> 8) & 0xff;
  }
}

export function int24le(values: Int32Array, count: number, out: Uint8Array): void {
  for (let i = 0; i < count; i++) {
    const v = values[i];
    out[3 * i] = v & 0xff;
    out[3 * i + 1] = (v >> 8) & 0xff;
    out[3 * i + 2] = (v >> 16) & 0xff;
  }
}
