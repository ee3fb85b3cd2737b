import { describe, expect, it } from 'vitest';
import { CompressorKernel, compressorCurveDb } from '../../../src/lib/core/dsp/compressor';
import { TruePeakMeter } from '../../../src/lib/core/analysis/truepeak';

const R = 48_000;

function run(kernel: { process(i: Float32Array[], o: Float32Array[], n: number): void }, x: Float32Array[], block = 256): Float32Array[] {
  const out = x.map((c) => new Float32Array(c.length));
  for (let i = 0; i < x[0].length; i += block) {
    const n = Math.min(block, x[0].length - i);
    kernel.process(x.map((c) => c.subarray(i, i + n)), out.map((c) => c.subarray(i, i + n)), n);
  }
  return out;
}

const tpDb = (x: Float32Array[]) => {
  const m = new TruePeakMeter(x.length, R);
  m.process(x, x[0].length);
  return 20 * Math.log10(m.maxPeak());
};

describe('lathe.compressor', () => {
  // A square wave has a steady level sample by sample: the static curve applies exactly.
  const square = (a: number, period = 96) => new Float32Array(R).map((_, i) => (Math.floor(i / (period / 2)) % 2 ? -a : a));

  it('follows its static curve on steady levels, knee included', () => {
    const params = { thresholdDb: -20, ratio: 4, kneeDb: 6, attackMs: 1, releaseMs: 50 };
    for (const inDb of [-40, -26, -23, -20, -17, -10, -3]) {
      const x = square(Math.pow(10, inDb / 20));
      const [y] = run(new CompressorKernel(R, 1, params), [x]);
      let peak = 0;
      for (let i = R / 2; i < R; i++) peak = Math.max(peak, Math.abs(y[i]));
      const outDb = 20 * Math.log10(peak);
      expect(Math.abs(outDb - compressorCurveDb(inDb, -20, 4, 6)), `${inDb} dB in`).toBeLessThan(0.01);
    }
    expect(compressorCurveDb(-10, -20, 4, 0)).toBeCloseTo(-17.5, 9);
    expect(compressorCurveDb(-30, -20, 4, 6)).toBe(-30);
  });

  it('mixes dry and wet, and adds makeup gain', () => {
    const x = square(0.5);
    const peakOf = (y: Float32Array) => y.subarray(R / 2).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const dry = peakOf(run(new CompressorKernel(R, 1, { mixPercent: 0 }), [x])[0]);
    expect(dry).toBeCloseTo(0.5, 4);
    const wet = peakOf(run(new CompressorKernel(R, 1, { thresholdDb: -20, ratio: 20, kneeDb: 0, makeupGainDb: 6 }), [x])[0]);
    expect(20 * Math.log10(wet)).toBeCloseTo(compressorCurveDb(20 * Math.log10(0.5), -20, 20, 0) + 6, 2);
    const half = peakOf(run(new CompressorKernel(R, 1, { thresholdDb: -20, ratio: 20, kneeDb: 0, mixPercent: 50 }), [x])[0]);
    expect(half).toBeCloseTo(0.5 * (0.5 + 0.5 * Math.pow(10, (compressorCurveDb(20 * Math.log10(0.5), -20, 20, 0) - 20 * Math.log10(0.5)) / 20)), 3);
  });
});

describe('lathe.compressor sidechain', () => {
  it('ignores bass below its sidechain high-pass', () => {
    const x = new Float32Array(R).map((_, i) => 0.6 * Math.sin((2 * Math.PI * 40 * i) / R) + 0.05 * Math.sin((2 * Math.PI * 2000 * i) / R));
    const reduction = (hpf: number) => {
      const [y] = run(new CompressorKernel(R, 1, { thresholdDb: -30, ratio: 8, kneeDb: 0, sidechainHpfHz: hpf }), [x]);
      let ex = 0, ey = 0;
      for (let i = R / 2; i < R; i++) {
        ex += x[i] * x[i];
        ey += y[i] * y[i];
      }
      return 10 * Math.log10(ey / ex);
    };
    expect(reduction(0)).toBeLessThan(-10);
    expect(reduction(300)).toBeGreaterThan(reduction(0) + 6);
  });
});

