import { describe, expect, it } from 'vitest';
import { Resampler } from '../../../src/lib/core/dsp/resampler';
import { resamplingReader } from '../../../src/lib/core/render/resampling-reader';
import { createClip } from '../../../src/lib/core/album/model';
import { arrayReader } from '../../helpers/signals';

function resample(from: number, to: number, x: Float32Array, block = x.length): Float32Array {
  const r = new Resampler(from, to, 1);
  const out = new Float32Array(Math.ceil((x.length * to) / from) + 1000);
  let w = 0;
  for (let i = 0; i < x.length; i += block) w += r.process([x.subarray(i, Math.min(x.length, i + block))], Math.min(block, x.length - i), [out], w);
  return out.subarray(0, w);
}

const sine = (n: number, rate: number, f: number, a = 0.5) => new Float32Array(n).map((_, i) => a * Math.sin((2 * Math.PI * f * i) / rate));

/** Amplitude of a sine at f in y (least squares over the middle half), and what is left in dB. */
function fit(y: Float32Array, rate: number, f: number, amp: number) {
  const s0 = Math.floor(y.length * 0.25);
  const s1 = Math.floor(y.length * 0.75);
  let ss = 0, cc = 0, sc = 0, sy = 0, cy = 0;
  for (let i = s0; i < s1; i++) {
    const s = Math.sin((2 * Math.PI * f * i) / rate);
    const c = Math.cos((2 * Math.PI * f * i) / rate);
    ss += s * s; cc += c * c; sc += s * c; sy += s * y[i]; cy += c * y[i];
  }
  const det = ss * cc - sc * sc;
  const A = (sy * cc - cy * sc) / det;
  const B = (cy * ss - sy * sc) / det;
  let res = 0;
  for (let i = s0; i < s1; i++) {
    const e = y[i] - A * Math.sin((2 * Math.PI * f * i) / rate) - B * Math.cos((2 * Math.PI * f * i) / rate);
    res += e * e;
  }
  return { gainDb: 20 * Math.log10(Math.hypot(A, B) / amp), residualDb: 10 * Math.log10(res / (s1 - s0) / ((amp * amp) / 2)) };
}

const rms = (y: Float32Array) => Math.sqrt(y.reduce((s, v) => s + v * v, 0) / y.length);

describe('resampler', () => {
  // 47 952 Hz (48 kHz pulled down by 1000/1001) has the factors 37 and 1 001: the polyphase method.
  for (const [from, to] of [[96_000, 44_100], [48_000, 44_100], [88_200, 44_100], [192_000, 44_100], [44_100, 96_000], [47_952, 44_100], [44_100, 47_952]]) {
    it(`${from} -> ${to} Hz (${new Resampler(from, to, 1).design.method}): flat within 0.01 dB to 20 kHz, nothing else above -120 dB`, () => {
      for (const f of [20, 1000, 10_000, 15_000, 19_000, 20_000]) {
        const y = resample(from, to, sine(Math.round(from * 0.5), from, f));
        const { gainDb, residualDb } = fit(y, to, f, 0.5);
        expect(Math.abs(gainDb), `${f} Hz gain`).toBeLessThan(0.01);
        expect(residualDb, `${f} Hz images and aliases`).toBeLessThan(-120);
      }
    });
  }

  it('rejects what would alias when going down: tones above 22.05 kHz vanish below -120 dB', () => {
    for (const [from, tones] of [[96_000, [22_100, 25_000, 30_000, 40_000, 47_000]], [47_952, [22_100, 23_000]]] as const) {
      for (const f of tones) {
        const y = resample(from, 44_100, sine(from, from, f));
        expect(20 * Math.log10(rms(y.subarray(2000, y.length - 2000)) / (0.5 / Math.SQRT2)), `${from}: ${f} Hz`).toBeLessThan(-120);
      }
    }
  });

  it('uses the frequency-domain method for standard rates and the polyphase one for the rest', () => {
    expect(new Resampler(96_000, 44_100, 2).design.method).toBe('spectral');
    expect(new Resampler(8_000, 44_100, 2).design.method).toBe('spectral');
    expect(new Resampler(47_952, 44_100, 2).design.method).toBe('polyphase');
  });

  it('gives the same samples whatever the block size', () => {
    for (const from of [96_000, 47_952]) {
      const x = sine(50_000, from, 3_000).map((v, i) => v + 0.1 * Math.sin(i * 0.37));
      const whole = resample(from, 44_100, x);
      for (const block of [1, 97, 4096, 20_000]) expect(resample(from, 44_100, x, block)).toEqual(whole);
    }
  });

  it('resamples each channel as if alone: channels share transforms in pairs without leaking', () => {
    const rate = 96_000;
    const chans = [sine(40_000, rate, 997), sine(40_000, rate, 15_000, 0.25), sine(40_000, rate, 31_000, 0.9)];
    const r = new Resampler(rate, 44_100, 3);
    const out = chans.map(() => new Float32Array(20_000));
    const w = r.process(chans, 40_000, out);
    for (let c = 0; c < 3; c++) {
      const alone = resample(rate, 44_100, chans[c]);
      let worst = 0;
      for (let i = 0; i < w; i++) worst = Math.max(worst, Math.abs(out[c][i] - alone[i]));
      expect(20 * Math.log10(worst + 1e-30), `channel ${c}`).toBeLessThan(-140);
    }
  });

  it('keeps time: a click at 0.5 s comes out at 0.5 s', () => {
    for (const [from, to] of [[96_000, 44_100], [44_100, 96_000], [88_200, 44_100]]) {
      const x = new Float32Array(from);
      x[from / 2] = 1;
      const y = resample(from, to, x);
      const peak = y.reduce((best, v, i) => (Math.abs(v) > Math.abs(y[best]) ? i : best), 0);
      expect(peak, `${from} -> ${to}`).toBe(to / 2);
    }
  });
});

describe('resampling clip reader', () => {
  it('reads a clip that starts mid-file exactly as the whole file resampled', async () => {
    const rate = 96_000;
    const source = sine(rate * 3, rate, 997).map((v, i) => v * (0.5 + 0.5 * Math.sin(i / 20_000)));
    const clip = createClip({ assetId: 'a', lengthSamples: 44_100 });
    const read = resamplingReader(
      arrayReader(source),
      () => rate,
      44_100,
      1
    );
    const whole = resample(rate, 44_100, source);
    const out = [new Float32Array(10_000)];
    await read(clip, 60_000, 10_000, out);
    let worst = 0;
    for (let i = 0; i < 10_000; i++) worst = Math.max(worst, Math.abs(out[0][i] - whole[60_000 + i]));
    expect(20 * Math.log10(worst)).toBeLessThan(-120);
    // And reading on continues seamlessly.
    const next = [new Float32Array(5_000)];
    await read(clip, 70_000, 5_000, next);
    for (let i = 0; i < 5_000; i++) worst = Math.max(worst, Math.abs(next[0][i] - whole[70_000 + i]));
    expect(20 * Math.log10(worst)).toBeLessThan(-120);
  });
});
