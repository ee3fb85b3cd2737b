import { describe, expect, it } from 'vitest';
import { dbfs, differenceDb, measuredLag, multisine, scan } from '$lib/core/analysis/plugin-checks';
import { seededRandom } from '$lib/core/audio/synth';

describe('validator stimuli and measurements', () => {
  it('the multisine has no DC over whole seconds, unlike seeded uniform noise', () => {
    for (const rateHz of [44_100, 96_000]) {
      const x = multisine(3 * rateHz, rateHz);
      const last = scan([x], 2 * rateHz);
      expect(Math.abs(last.mean)).toBeLessThan(1e-6);
      expect(dbfs(last.rms)).toBeCloseTo(-18, 0);
      // It repeats every second: a plugin's steady state is a whole period.
      for (let i = 0; i < 1000; i++) expect(x[rateHz + i * 37]).toBeCloseTo(x[2 * rateHz + i * 37], 4);
    }
    // What the old validator used: uniform noise from the seeded generator, 0.5 s at 44.1 kHz.
    const rand = seededRandom(7);
    const noise = Float32Array.from({ length: 22_050 }, () => (rand() * 2 - 1) * 0.25);
    expect(Math.abs(scan([noise]).mean)).toBeGreaterThan(1e-4);
  });

  it('has no energy below its lowest partial: a low-passed copy carries no DC either', () => {
    const rateHz = 44_100;
    const x = multisine(2 * rateHz, rateHz, { lowHz: 40 });
    // A one-pole low-pass at 5 Hz keeps what is near DC.
    const a = Math.exp((-2 * Math.PI * 5) / rateHz);
    let y = 0;
    let sum = 0;
    for (let i = 0; i < x.length; i++) {
      y = a * y + (1 - a) * x[i];
      if (i >= rateHz) sum += y;
    }
    expect(Math.abs(sum / rateHz)).toBeLessThan(1e-5);
  });

  it('measures a delay by correlation, and says when the output is unlike the input', () => {
    const rateHz = 48_000;
    const x = multisine(rateHz, rateHz, { seed: 3 });
    const delayed = new Float32Array(x.length);
    delayed.set(x.subarray(0, x.length - 475), 475);
    const found = measuredLag(x.subarray(12_000, 36_000), delayed.subarray(12_000, 36_000 + 4096), 4096);
    expect(found.lag).toBe(475);
    expect(found.score).toBeGreaterThan(0.99);
    const other = multisine(rateHz, rateHz, { seed: 4 });
    expect(measuredLag(x.subarray(12_000, 36_000), other.subarray(12_000, 36_000 + 4096), 4096).score).toBeLessThan(0.1);
  });

  it('reads a change relative to the output level', () => {
    const a = [Float32Array.from([0.5, -0.5, 0.5, -0.5])];
    const b = [Float32Array.from([0.5, -0.5, 0.5, -0.4995])];
    expect(differenceDb(b, a)).toBeCloseTo(10 * Math.log10(0.0005 ** 2 / 1), 0);
    expect(differenceDb(a, a)).toBe(-Infinity);
  });
});
