import { describe, expect, it } from 'vitest';
import { EqKernel, eqResponseDb } from '$lib/core/dsp/eq';

/** The kernel's gain at a frequency, measured: a steady sine's RMS out over in, in dB. */
function measuredDb(params: Record<string, number>, rateHz: number, hz: number): number {
  const kernel = new EqKernel(rateHz, 1, params);
  const n = rateHz;
  const x = Float32Array.from({ length: n }, (_, i) => 0.25 * Math.sin((2 * Math.PI * hz * i) / rateHz));
  const y = new Float32Array(n);
  for (let at = 0; at < n; at += 1024) {
    const m = Math.min(1024, n - at);
    kernel.process([x.subarray(at, at + m)], [y.subarray(at, at + m)], m);
  }
  const from = n >> 1;
  let inE = 0;
  let outE = 0;
  for (let i = from; i < n - kernel.latencySamples; i++) {
    inE += x[i] ** 2;
    outE += y[i + kernel.latencySamples] ** 2;
  }
  return 10 * Math.log10(outE / inE);
}

describe("lathe.eq's drawn curve is the kernel's response", () => {
  const settings: Record<string, number>[] = [
    { band1Type: 5, band1FreqHz: 40, band2Type: 1, band2FreqHz: 250, band2GainDb: -4, band2Q: 1.2, band5Type: 3, band5FreqHz: 6000, band5GainDb: 5, outputGainDb: -2 },
    { band1Type: 2, band1FreqHz: 120, band1GainDb: 3, band3Type: 1, band3FreqHz: 3000, band3GainDb: -6, band3Q: 4, band6Type: 4, band6FreqHz: 15_000 }
  ];
  for (const [k, params] of settings.entries()) {
    for (const linearPhase of [0, 1]) {
      // The linear-phase FIR resolves about 11 Hz: next to a 40 Hz high-pass it is 0.1 dB off at 50 Hz.
      const toleranceDb = linearPhase ? 0.15 : 0.02;
      it(`setting ${k + 1}, ${linearPhase ? 'linear' : 'minimum'} phase, at sample frequencies within ${toleranceDb} dB`, () => {
        const p = { ...params, linearPhase };
        for (const hz of [50, 100, 250, 700, 1000, 3000, 6000, 10_000, 16_000]) {
          expect(Math.abs(measuredDb(p, 48_000, hz) - eqResponseDb(p, 48_000, hz)), `${hz} Hz`).toBeLessThan(toleranceDb);
        }
      });
    }
  }
});
