import { describe, expect, it } from 'vitest';
import { EqKernel, linearPhaseTaps } from '../../../src/lib/core/dsp/eq';
import { Biquad, designBiquad } from '../../../src/lib/core/dsp/biquad';

const R = 48_000;

/** The largest magnitude above 8 kHz (three high-pass sections) in out[from, to): a click's energy. */
function clickDb(x: Float32Array, from: number, to: number): number {
  const hp = [new Biquad(1), new Biquad(1), new Biquad(1)];
  for (const s of hp) s.set(designBiquad('highPass', 8000, 0, Math.SQRT1_2, R));
  const y = [Float32Array.from(x)];
  for (const s of hp) s.process(y, y, x.length);
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(y[0][i]));
  return 20 * Math.log10(m + 1e-12);
}

/** A 500 Hz sine through an EQ whose bell at 500 Hz goes from +12 to -12 dB, and its output gain by 6 dB, at `at`. */
function switched(linearPhase: number, at: number, n: number, blocks = 128) {
  const from = { band1Type: 1, band1FreqHz: 500, band1GainDb: 12, band1Q: 1, outputGainDb: 0, linearPhase };
  const eq = new EqKernel(R, 1, from);
  const x = new Float32Array(n).map((_, i) => 0.2 * Math.sin((2 * Math.PI * 500 * i) / R));
  const y = new Float32Array(n);
  for (let i = 0; i < n; i += blocks) {
    if (i === at) eq.setParams({ ...from, band1GainDb: -12, outputGainDb: -6 });
    const m = Math.min(blocks, n - i);
    eq.process([x.subarray(i, i + m)], [y.subarray(i, i + m)], m);
  }
  return { y, eq };
}

// A setting that moves must not click: the old and the new filter overlap and the output fades across.
describe('a new EQ setting does not click', () => {
  it('in minimum phase: the biquads of both settings run and fade across 256 samples', () => {
    const at = 188 * 128;
    const { y } = switched(0, at, 48_000);
    // A 500 Hz tone has nothing above 8 kHz but what a discontinuity puts there: 25 dB less than
    // the same change made at once (next test), 65 dB under the tone.
    expect(clickDb(y, at - 1000, at + 2000)).toBeLessThan(-60);
    // And the change is made: -24 dB relative to before.
    const rms = (a: number, b: number) => Math.sqrt(y.subarray(a, b).reduce((s, v) => s + v * v, 0) / (b - a));
    expect(20 * Math.log10(rms(40_000, 48_000) / rms(10_000, 20_000))).toBeCloseTo(-30, 0);
  });

  it('the same change made at once would click (what the crossfade prevents)', () => {
    const at = 188 * 128;
    const x = new Float32Array(48_000).map((_, i) => 0.2 * Math.sin((2 * Math.PI * 500 * i) / R));
    const s = new Biquad(1);
    s.set(designBiquad('bell', 500, 12, 1, R));
    const y = [new Float32Array(48_000)];
    s.process([x], y, at);
    s.set(designBiquad('bell', 500, -12, 1, R));
    s.process([x], y, 48_000 - at, at, at);
    for (let i = at; i < 48_000; i++) y[0][i] *= 0.5;
    expect(clickDb(y[0], at - 1000, at + 2000)).toBeGreaterThan(-40);
  });

  it('in linear phase: the new taps are designed over several blocks, then faded in across one FIR block', () => {
    const at = 3 * 8192 * 2;
    const n = at + 12 * 8192;
    const { y, eq } = switched(1, at, n);
    expect(clickDb(y, at, n - 8192)).toBeLessThan(-70);
    // The design ends with the taps a one-go design gives.
    const want = linearPhaseTaps({ band1Type: 1, band1FreqHz: 500, band1GainDb: -12, band1Q: 1, outputGainDb: -6, linearPhase: 1 }, R);
    const got = (eq as unknown as { designer: { taps: Float64Array; busy: boolean } }).designer;
    expect(got.busy).toBe(false);
    let worst = 0;
    for (let j = 0; j < want.length; j++) worst = Math.max(worst, Math.abs(got.taps[j] - want[j]));
    expect(worst).toBeLessThan(1e-12);
  });

  it('in linear phase, setParams only starts the design: it is spread over the blocks that follow', () => {
    const eq = new EqKernel(R, 1, { band1Type: 1, band1GainDb: 6, linearPhase: 1 });
    const x = [new Float32Array(128)];
    // Once audio runs (before it, a setting applies at once: nothing plays to keep going).
    eq.process(x, x, 128);
    eq.setParams({ band1Type: 1, band1GainDb: -6, linearPhase: 1 });
    const designer = (eq as unknown as { designer: { busy: boolean } }).designer;
    expect(designer.busy).toBe(true);
    let blocks = 0;
    while (designer.busy) {
      eq.process(x, x, 128);
      blocks++;
    }
    // 16,385 frequency bins at 512 a 128-sample block, then the transform and the window.
    expect(blocks).toBeGreaterThan(20);
  });
});
