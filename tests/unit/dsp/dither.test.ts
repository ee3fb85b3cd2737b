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

const LIPSHITZ = [2.033, -2.165, 1.959, -1.59, 0.6149];

/** The quantizer's documented formula, one channel at a time in plain scalar code. */
function reference(planar: Float32Array[][], processed: Uint8Array[], bits: number, shaping: boolean, seed: number): number[] {
  const channels = planar[0].length;
  const scale = 2 ** (bits - 1);
  const h = shaping ? LIPSHITZ : [0, 0, 0, 0, 0];
  const e = Array.from({ length: channels }, () => [0, 0, 0, 0, 0]);
  let a = seed >>> 0;
  const out: number[] = [];
  planar.forEach((block, b) => {
    const n = block[0].length;
    const noise: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < channels; c++) {
        if (processed[b][i] !== 1) continue;
        a = (a + 0x6d2b79f5) >>> 0;
        let t = Math.imul(a ^ (a >>> 15), a | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        t = (t ^ (t >>> 14)) >>> 0;
        noise[i * channels + c] = ((t & 0xffff) - (t >>> 16)) / 65536;
      }
    }
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < channels; c++) {
        const x = block[c][i] * scale;
        const clamp = (q: number) => Math.min(Math.max(q, -scale), scale - 1);
        if (processed[b][i] !== 1) {
          out.push(clamp(Math.floor(x + 0.5)));
          continue;
        }
        const ec = e[c];
        const v = x - (h[1] * ec[1] + h[2] * ec[2] + h[3] * ec[3] + h[4] * ec[4]) - h[0] * ec[0];
        const q = clamp(Math.floor(v + (noise[i * channels + c] + 0.5)));
        ec.unshift(Math.min(Math.max(q - v, -1), 1));
        ec.pop();
        out.push(q);
      }
    }
  });
  return out;
}

describe('dither', () => {
  it('computes its formula to the bit: a channel pair and an odd channel, processed or not, clipping, state across blocks', () => {
    for (const [bits, shaping] of [[16, true], [24, true], [16, false]] as const) {
      let r = 12345;
      const rand = () => ((r = (Math.imul(r, 1103515245) + 12345) | 0) >>> 8) / 2 ** 24;
      // The second block is larger than the first buffers, so they grow between calls.
      const sizes = [1000, 5000, 3];
      const planar = sizes.map((n) => Array.from({ length: 3 }, (_, c) => Float32Array.from({ length: n }, (_, i) => (c === 2 && i % 97 < 5 ? 1.2 : 0.3 * Math.sin(i * (0.01 + c * 0.02))) + (rand() - 0.5) * 1e-4)));
      const processed = sizes.map((n) => Uint8Array.from({ length: n }, (_, i) => (i % 400 < 300 ? 1 : 0)));
      const q = new Quantizer({ bits, channels: 3, dither: true, shaping: shaping ? 'lipshitz' : 'none', seed: 99 });
      const got: number[] = [];
      planar.forEach((block, b) => {
        const out = new Int32Array(block[0].length * 3);
        q.quantize(block, block[0].length, processed[b], out);
        got.push(...out);
      });
      const want = reference(planar, processed, bits, shaping, 99);
      expect(got.length).toBe(want.length);
      const firstDiff = got.findIndex((v, i) => v !== want[i]);
      expect(firstDiff, `${bits}-bit, shaping ${shaping}`).toBe(-1);
      expect(got.some((v) => v === 2 ** (bits - 1) - 1)).toBe(true);
    }
  });

  it('takes an empty block and goes on where it was', () => {
    const x = [Float32Array.of(0.1, -0.2), Float32Array.of(0.3, 0.4)];
    const a = new Quantizer({ bits: 16, channels: 2, dither: true, shaping: 'lipshitz', seed: 3 });
    const b = new Quantizer({ bits: 16, channels: 2, dither: true, shaping: 'lipshitz', seed: 3 });
    const outA = new Int32Array(4);
    const outB = new Int32Array(4);
    a.quantize(x, 0, new Uint8Array(0), new Int32Array(0));
    a.quantize(x, 2, Uint8Array.of(1, 1), outA);
    b.quantize(x, 2, Uint8Array.of(1, 1), outB);
    expect([...outA]).toEqual([...outB]);
  });

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
