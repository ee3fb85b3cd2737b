import { describe, expect, it } from 'vitest';
import { ImagerKernel } from '../../../src/lib/core/dsp/imager';
import { DeesserKernel } from '../../../src/lib/core/dsp/deesser';
import { seededRandom } from '../../../src/lib/core/audio/synth';
import { firstDifference } from '../../helpers/signals';

const R = 48_000;
const tone = (f: number, a = 0.3, n = R) => new Float32Array(n).map((_, i) => a * Math.sin((2 * Math.PI * f * i) / R));

function run(kernel: { process(i: Float32Array[], o: Float32Array[], n: number): void }, x: Float32Array[]): Float32Array[] {
  const out = x.map((c) => new Float32Array(c.length));
  for (let i = 0; i < x[0].length; i += 300) {
    const n = Math.min(300, x[0].length - i);
    kernel.process(x.map((c) => c.subarray(i, i + n)), out.map((c) => c.subarray(i, i + n)), n);
  }
  return out;
}

const rmsDb = (x: Float32Array, from = x.length / 2) => {
  let s = 0;
  for (let i = from; i < x.length; i++) s += x[i] * x[i];
  return 10 * Math.log10(s / (x.length - from));
};

/** Side and mid levels of a stereo pair, in dB. */
const sideDb = ([l, r]: Float32Array[]) => rmsDb(l.map((v, i) => (v - r[i]) / 2));
const midDb = ([l, r]: Float32Array[]) => rmsDb(l.map((v, i) => (v + r[i]) / 2));

describe('lathe.imager', () => {
  it('is transparent at its defaults', () => {
    const rand = seededRandom(4);
    const x = [new Float32Array(R).map(() => rand() - 0.5), new Float32Array(R).map(() => rand() - 0.5)];
    const y = run(new ImagerKernel(R, 2), x);
    expect(firstDifference(y[0], x[0])).toBeNull();
    expect(firstDifference(y[1], x[1])).toBeNull();
  });

  it('makes the low end mono below its frequency, and leaves side content above alone', () => {
    const side = (f: number) => {
      const s = tone(f);
      return [s, s.map((v) => -v)];
    };
    const k = () => new ImagerKernel(R, 2, { monoBelowHz: 150 });
    expect(sideDb(run(k(), side(40))) - sideDb(side(40))).toBeLessThan(-20);
    expect(Math.abs(sideDb(run(k(), side(2000))) - sideDb(side(2000)))).toBeLessThan(0.1);
    // The mid signal is never touched.
    const mono = [tone(40), tone(40)];
    expect(Math.abs(midDb(run(k(), mono)) - midDb(mono))).toBeLessThan(1e-6);
  });

  it('scales the side signal per band', () => {
    const stereo = (f: number) => [tone(f, 0.3), tone(f, 0.1)];
    const widen = new ImagerKernel(R, 2, { highWidthPercent: 200 });
    const x = stereo(10_000);
    expect(sideDb(run(widen, x)) - sideDb(x)).toBeCloseTo(20 * Math.log10(2), 0);
    const narrow = run(new ImagerKernel(R, 2, { lowWidthPercent: 0, midWidthPercent: 0, highWidthPercent: 0 }), stereo(1000));
    expect(sideDb(narrow)).toBeLessThan(-100);
  });
});

describe('lathe.deesser', () => {
  it('turns down loud sibilance above its frequency by at most its range, and leaves the rest', () => {
    const k = () => new DeesserKernel(R, 1, { freqHz: 5000, thresholdDb: -30, ratio: 10, rangeDb: 6 });
    const ess = [tone(12_000, 0.5)];
    expect(rmsDb(run(k(), ess)[0]) - rmsDb(ess[0])).toBeCloseTo(-6, 0);
    const voice = [tone(300, 0.5)];
    expect(Math.abs(rmsDb(run(k(), voice)[0]) - rmsDb(voice[0]))).toBeLessThan(0.05);
    const quiet = [tone(12_000, 0.005)];
    expect(firstDifference(run(k(), quiet)[0], quiet[0])).toBeNull();
  });
});
