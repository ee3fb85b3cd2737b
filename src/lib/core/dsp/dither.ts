/** Word-length reduction: seeded TPDF dither, optional noise shaping, rounding and clipping. */

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

export class Quantizer {
  /** Mulberry32 state, inlined here: this loop runs for every sample delivered. */
  private randState: number;
  private readonly scale: number;
  private readonly max: number;
  /** Shaping taps, zero-padded to five. */
  private readonly h: Float64Array;
  /** Per channel: the last five shaped errors, newest first, at [5c, 5c + 5). */
  private readonly errors: Float64Array;
  /** Dither for one block, grown on first use. */
  private noise = new Float64Array(0);

  constructor(readonly options: QuantizerOptions) {
    this.randState = options.seed | 0;
    this.scale = 2 ** (options.bits - 1);
    this.max = this.scale - 1;
    this.h = new Float64Array(5);
    if (options.shaping === 'lipshitz') this.h.set(LIPSHITZ);
    this.errors = new Float64Array(5 * options.channels);
  }

  /**
   * Writes integers for frames [0, n) into `out` (interleaved). Where `processed[i]` is 0 the
   * sample passes by plain rounding: untouched sources on the target grid come out unchanged,
   * and digital silence stays digital silence.
   */
  quantize(planar: Float32Array[], n: number, processed: Uint8Array, out: Int32Array): void {
    const { channels, dither } = this.options;
    // The dither comes first, in frame order, so the sequence does not depend on the loop below.
    if (this.noise.length < n * channels) this.noise = new Float64Array(n * channels);
    const noise = this.noise;
    if (dither) {
      // Mulberry32 kept in int32 (the same bits as its uint32 form): a value past 2^31 in this
      // loop would be boxed, one allocation per sample.
      let a = this.randState;
      for (let i = 0, k = 0; i < n; i++, k += channels) {
        if (processed[i] !== 1) continue;
        for (let c = 0; c < channels; c++) {
          // One Mulberry32 draw holds both 16-bit uniforms of the triangular pair.
          a = (a + 0x6d2b79f5) | 0;
          let t = Math.imul(a ^ (a >>> 15), a | 1);
          t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
          t ^= t >>> 14;
          noise[k + c] = ((t & 0xffff) - (t >>> 16)) * (1 / 65536);
        }
      }
      this.randState = a;
    } else noise.fill(0, 0, n * channels);
    // Channels go through in pairs: each one's error feedback is a chain of dependent steps, and
    // two independent chains in one loop run in about the time of one.
    let c = 0;
    for (; c + 1 < channels; c += 2) this.shapePair(planar[c], planar[c + 1], c, n, processed, noise, out);
    if (c < channels) this.shapeSingle(planar[c], c, n, processed, noise, out);
  }

  /** Channels c and c + 1 from `xa` and `xb` into `out` (interleaved). */
  private shapePair(xa: Float32Array, xb: Float32Array, c: number, n: number, processed: Uint8Array, noise: Float64Array, out: Int32Array): void {
    const { channels } = this.options;
    const { scale, max } = this;
    const min = -scale;
    const h = this.h;
    const h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3], h4 = h[4];
    const e = this.errors;
    const b = c + 1;
    let a0 = e[5 * c], a1 = e[5 * c + 1], a2 = e[5 * c + 2], a3 = e[5 * c + 3], a4 = e[5 * c + 4];
    let b0 = e[5 * b], b1 = e[5 * b + 1], b2 = e[5 * b + 2], b3 = e[5 * b + 3], b4 = e[5 * b + 4];
    for (let i = 0, o = c; i < n; i++, o += channels) {
      const xA = xa[i] * scale;
      const xB = xb[i] * scale;
      let qA: number;
      let qB: number;
      // Math.floor(x + 0.5) rounds as Math.round does, several times faster in V8.
      if (processed[i] !== 1) {
        qA = Math.floor(xA + 0.5);
        qB = Math.floor(xB + 0.5);
        qA = qA > max ? max : qA < min ? min : qA;
        qB = qB > max ? max : qB < min ? min : qB;
      } else {
        // The newest error comes last, so the older taps are summed while it is still being made.
        const vA = xA - (h1 * a1 + h2 * a2 + h3 * a3 + h4 * a4) - h0 * a0;
        const vB = xB - (h1 * b1 + h2 * b2 + h3 * b3 + h4 * b4) - h0 * b0;
        qA = Math.floor(vA + (noise[o] + 0.5));
        qB = Math.floor(vB + (noise[o + 1] + 0.5));
        qA = qA > max ? max : qA < min ? min : qA;
        qB = qB > max ? max : qB < min ? min : qB;
        // Keep the shaping loop stable when the signal clips.
        const errA = qA - vA;
        const errB = qB - vB;
        a4 = a3; a3 = a2; a2 = a1; a1 = a0;
        a0 = errA > 1 ? 1 : errA < -1 ? -1 : errA;
        b4 = b3; b3 = b2; b2 = b1; b1 = b0;
        b0 = errB > 1 ? 1 : errB < -1 ? -1 : errB;
      }
      out[o] = qA;
      out[o + 1] = qB;
    }
    e[5 * c] = a0; e[5 * c + 1] = a1; e[5 * c + 2] = a2; e[5 * c + 3] = a3; e[5 * c + 4] = a4;
    e[5 * b] = b0; e[5 * b + 1] = b1; e[5 * b + 2] = b2; e[5 * b + 3] = b3; e[5 * b + 4] = b4;
  }

  /** The last channel of an odd count, alone. */
  private shapeSingle(x: Float32Array, c: number, n: number, processed: Uint8Array, noise: Float64Array, out: Int32Array): void {
    const { channels } = this.options;
    const { scale, max, h, errors: e } = this;
    const min = -scale;
    let a0 = e[5 * c], a1 = e[5 * c + 1], a2 = e[5 * c + 2], a3 = e[5 * c + 3], a4 = e[5 * c + 4];
    for (let i = 0, o = c; i < n; i++, o += channels) {
      let q: number;
      if (processed[i] !== 1) q = Math.floor(x[i] * scale + 0.5);
      else {
        const v = x[i] * scale - (h[1] * a1 + h[2] * a2 + h[3] * a3 + h[4] * a4) - h[0] * a0;
        q = Math.floor(v + (noise[o] + 0.5));
        q = q > max ? max : q < min ? min : q;
        const err = q - v;
        a4 = a3; a3 = a2; a2 = a1; a1 = a0;
        a0 = err > 1 ? 1 : err < -1 ? -1 : err;
      }
      out[o] = q > max ? max : q < min ? min : q;
    }
    e[5 * c] = a0; e[5 * c + 1] = a1; e[5 * c + 2] = a2; e[5 * c + 3] = a3; e[5 * c + 4] = a4;
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
