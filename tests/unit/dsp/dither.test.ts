import { describe, expect, it } from 'vitest';
import { Quantizer } from '../../../src/lib/core/dsp/dither';

/** Energy of the quantization error in a band, by DFT bins over the whole signal. */
function bandPower(err: Float64Array, rate: number, lo: number, hi: number): number {
  const n = err.length;
  let total = 0;
  let bins = 0;
  for (let k = Math.ceil((lo * n) / rate); k <= Math.floor((hi * n) / rate); k += 7) {
    let re = 0, im = 0;
    for (let i = 0; i < n; i++) {
      re += err[i] * Math.cos((2 * Math.PI * k * i) / n);
      im -= err[i] * Math.sin((2 * Math.PI * k * i) / n);
    }
    total += re * re + im * im;
    bins++;
  }
  return total / bins;
}

function errorOf(shaping: 'none' | 'lipshitz', seed = 1) {
  const n = 8192;
  const x = new Float32Array(n).map((_, i) => 0.001 * Math.sin(i * 0.05));
  const q = new Quantizer({ bits: 16, channels: 1, dither: true, shaping, seed });
  const out = new Int32Array(n);
  q.quantize([x], n, new Uint8Array(n).fill(1), out);
  return { err: Float64Array.from(out, (v, i) => v - x[i] * 32768), out };
}

describe('dither', () => {
  it('TPDF dither is seeded: same seed, same samples; another seed, others', () => {
    expect(errorOf('none', 5).out).toEqual(errorOf('none', 5).out);
    expect(errorOf('none', 6).out).not.toEqual(errorOf('none', 5).out);
  });

  it('leaves untouched samples exactly and silence silent', () => {
    const q = new Quantizer({ bits: 16, channels: 2, dither: true, shaping: 'lipshitz', seed: 1 });
    const x = [Float32Array.of(0, 1234 / 32768, -1, 0), Float32Array.of(0, -5 / 32768, 32767 / 32768, 0)];
    const out = new Int32Array(8);
    q.quantize(x, 4, new Uint8Array(4), out);
    expect([...out]).toEqual([0, 0, 1234, -5, -32768, 32767, 0, 0]);
  });

  it('noise shaping moves the noise out of the 1-5 kHz band, up above 15 kHz', () => {
    const flat = errorOf('none').err;
    const shaped = errorOf('lipshitz').err;
    const mid = (e: Float64Array) => bandPower(e, 44_100, 1000, 5000);
    const high = (e: Float64Array) => bandPower(e, 44_100, 16_000, 21_000);
    expect(10 * Math.log10(mid(shaped) / mid(flat))).toBeLessThan(-6);
    expect(10 * Math.log10(high(shaped) / high(flat))).toBeGreaterThan(6);
  });
});
