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
    this.randState = options.seed >>> 0;
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
    const { scale, max } = this;
    const min = -scale;
    // The dither comes first, in frame order, so the sequence does not depend on the loop below.
    if (this.noise.length < n * channels) this.noise = new Float64Array(n * channels);
    const noise = this.noise;
    let a = this.randState;
    for (let i = 0; i < n; i++) {
      if (processed[i] !== 1) continue;
      for (let c = 0; c < channels; c++) {
        let d = 0;
        if (dither) {
          a = (a + 0x6d2b79f5) >>> 0;
          let t = Math.imul(a ^ (a >>> 15), a | 1);
          t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
          const r1 = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
          a = (a + 0x6d2b79f5) >>> 0;
          t = Math.imul(a ^ (a >>> 15), a | 1);
          t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
          d = r1 - ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        }
        noise[i * channels + c] = d;
      }
    }
    this.randState = a;
    const [h0, h1, h2, h3, h4] = this.h;
    const e = this.errors;
    for (let c = 0; c < channels; c++) {
      const x0 = planar[c];
      let e0 = e[5 * c], e1 = e[5 * c + 1], e2 = e[5 * c + 2], e3 = e[5 * c + 3], e4 = e[5 * c + 4];
      for (let i = 0, o = c; i < n; i++, o += channels) {
        const x = x0[i] * scale;
        let q: number;
        // Math.floor(x + 0.5) rounds as Math.round does, several times faster in V8.
        if (processed[i] !== 1) {
          q = Math.floor(x + 0.5);
        } else {
          const v = x - h0 * e0 - h1 * e1 - h2 * e2 - h3 * e3 - h4 * e4;
          q = Math.floor(v + noise[o] + 0.5);
          if (q > max) q = max;
          else if (q < min) q = min;
          // Keep the shaping loop stable when the signal clips.
          const err = q - v;
          e4 = e3;
          e3 = e2;
          e2 = e1;
          e1 = e0;
          e0 = err > 1 ? 1 : err < -1 ? -1 : err;
        }
        out[o] = q > max ? max : q < min ? min : q;
      }
      e[5 * c] = e0;
      e[5 * c + 1] = e1;
      e[5 * c + 2] = e2;
      e[5 * c + 3] = e3;
      e[5 * c + 4] = e4;
    }
  }
}

export function int16le(values: Int32Array, count: number, out: Uint8Array): void {
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
