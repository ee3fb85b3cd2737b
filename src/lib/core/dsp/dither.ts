/** Word-length reduction: seeded TPDF dither, optional noise shaping, rounding and clipping. */
import { seededRandom } from '../audio/synth';

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
  private readonly rand: () => number;
  private readonly scale: number;
  private readonly max: number;
  private readonly shape: number[];
  /** Per channel: the last shaped errors, newest first. */
  private readonly errors: Float64Array[];

  constructor(readonly options: QuantizerOptions) {
    this.rand = seededRandom(options.seed);
    this.scale = 2 ** (options.bits - 1);
    this.max = this.scale - 1;
    this.shape = options.shaping === 'lipshitz' ? LIPSHITZ : [];
    this.errors = Array.from({ length: options.channels }, () => new Float64Array(this.shape.length));
  }

  /**
   * Writes integers for frames [0, n) into `out` (interleaved). Where `processed[i]` is 0 the
   * sample passes by plain rounding: untouched sources on the target grid come out unchanged,
   * and digital silence stays digital silence.
   */
  quantize(planar: Float32Array[], n: number, processed: Uint8Array, out: Int32Array): void {
    const { channels } = this.options;
    const { scale, max, shape } = this;
    const dither = this.options.dither;
    for (let i = 0; i < n; i++) {
      const touched = processed[i] === 1;
      for (let c = 0; c < channels; c++) {
        const x = planar[c][i] * scale;
        let q: number;
        if (!touched) {
          q = Math.round(x);
        } else {
          const e = this.errors[c];
          let v = x;
          for (let k = 0; k < shape.length; k++) v -= shape[k] * e[k];
          const d = dither ? this.rand() - this.rand() : 0;
          q = Math.round(v + d);
          if (q > max) q = max;
          else if (q < -scale) q = -scale;
          // Keep the shaping loop stable when the signal clips.
          const err = Math.max(-1, Math.min(1, q - v));
          for (let k = shape.length - 1; k > 0; k--) e[k] = e[k - 1];
          if (shape.length) e[0] = err;
        }
        out[i * channels + c] = q > max ? max : q < -scale ? -scale : q;
      }
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
