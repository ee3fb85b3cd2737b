import { describe, expect, it } from 'vitest';
import { SpectrumMeter, SIXTH_OCTAVE_HZ, OCTAVE_HZ, normaliseToLoudness } from '../../../src/lib/core/analysis/spectrum';
import { Analyzer } from '../../../src/lib/core/analysis/analyzer';
import { Fft } from '../../../src/lib/core/dsp/fft';
import { seededRandom } from '../../../src/lib/core/audio/synth';
import { sine } from '../../helpers/signals';

const R = 48_000;

/** Noise with an exact power law: magnitude k^(-exponent/2) per bin, random phases, one inverse FFT. */
function powerLawNoise(size: number, exponent: number, seed: number): Float32Array {
  const fft = new Fft(size);
  const rand = seededRandom(seed);
  fft.re.fill(0);
  fft.im.fill(0);
  for (let k = 1; k < size / 2; k++) {
    const mag = k ** (-exponent / 2);
    const phase = 2 * Math.PI * rand();
    fft.re[k] = mag * Math.cos(phase);
    fft.im[k] = mag * Math.sin(phase);
    fft.re[size - k] = fft.re[k];
    fft.im[size - k] = -fft.im[k];
  }
  fft.transform(undefined, undefined, true);
  let peak = 0;
  for (let i = 0; i < size; i++) peak = Math.max(peak, Math.abs(fft.re[i]));
  return Float32Array.from(fft.re, (v) => (0.5 * v) / peak);
}

function measure(channels: Float32Array[]) {
  const m = new SpectrumMeter(R, channels.length);
  // Odd block sizes on purpose: frames straddle blocks.
  for (let at = 0; at < channels[0].length; at += 3001) m.process(channels, Math.min(3001, channels[0].length - at), at);
  return m.finish();
}

/** Least-squares slope of band level against octaves, over 50 Hz to 16 kHz. */
function slopeDbPerOctave(bands: (number | null)[]): number {
  const pts = SIXTH_OCTAVE_HZ.map((f, i) => [Math.log2(f), bands[i]] as const).filter(([lf, v]) => v !== null && lf >= Math.log2(50) && lf <= Math.log2(16_000)) as [number, number][];
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  return pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
}

describe('long-term average spectrum', () => {
  it('reads white noise rising 3 dB per octave and pink noise flat (band power, as an RTA shows it)', () => {
    const white = powerLawNoise(1 << 19, 0, 1);
    const pink = powerLawNoise(1 << 19, 1, 2);
    const w = measure([white, white]);
    const p = measure([pink, pink]);
    expect(Math.abs(slopeDbPerOctave(w.bandsDb) - 10 * Math.log10(2))).toBeLessThan(0.5);
    expect(Math.abs(slopeDbPerOctave(p.bandsDb))).toBeLessThan(0.5);
    // No band strays from the line by more than a fraction of a dB above 100 Hz (smooth, not noisy).
    const mean = p.bandsDb.filter((v, i) => v !== null && SIXTH_OCTAVE_HZ[i] > 100 && SIXTH_OCTAVE_HZ[i] < 16_000) as number[];
    const avg = mean.reduce((a, b) => a + b, 0) / mean.length;
    for (const v of mean) expect(Math.abs(v - avg)).toBeLessThan(0.6);
  });

  it('puts a sine in its band at its level (full-scale sine = 0 dB) and sums bands to the whole', () => {
    const s = sine(R * 4, R, 1000, 0.5);
    const r = measure([s, s]);
    const i1k = SIXTH_OCTAVE_HZ.findIndex((f) => Math.abs(f - 1000) < 1);
    expect(r.bandsDb[i1k]).toBeCloseTo(-6.02, 1);
    expect(r.octaveDb[OCTAVE_HZ.findIndex((f) => f === 1000)]).toBeCloseTo(-6.02, 1);
    for (const [i, v] of r.bandsDb.entries()) if (Math.abs(i - i1k) > 2) expect(v === null || v < -60).toBe(true);
  });

  it('measures width as side over mid: mono null, one channel 0 dB, anti-phase side only', () => {
    const n = powerLawNoise(1 << 17, 1, 3);
    const silent = new Float32Array(n.length);
    expect(measure([n, n]).widthDb).toBeNull();
    expect(measure([n, silent]).widthDb).toBeCloseTo(0, 3);
    const anti = n.map((v) => -v);
    const a = measure([n, anti]);
    expect(a.widthDb).toBeNull();
    expect(a.sideDb.some((v) => v !== null)).toBe(true);
    expect(a.midDb.every((v) => v === null)).toBe(true);
  });

  it('comes with the analysis on request, with RMS and crest factor, and normalises by loudness', () => {
    const s = sine(R * 10, R, 1000, 0.5);
    const an = new Analyzer({ rateHz: R, channels: 2, bitDepth: 24, sampleFormat: 'int' }, { spectrum: true });
    an.process([s, s], s.length);
    const a = an.finish();
    expect(a.rmsDbfs).toBeCloseTo(-9.03, 1);
    expect(a.crestDb).toBeCloseTo(3.01, 1);
    expect(a.spectrum?.bandsDb.length).toBe(SIXTH_OCTAVE_HZ.length);
    const norm = normaliseToLoudness(a.spectrum!.bandsDb, a.integratedLufs);
    const i1k = SIXTH_OCTAVE_HZ.findIndex((f) => Math.abs(f - 1000) < 1);
    // A 1 kHz sine at -6 dBFS on both channels measures about -3 LUFS: the band reads about -3 above it.
    expect(norm[i1k]).toBeCloseTo(-6.02 - (a.integratedLufs as number), 2);
    const plain = new Analyzer({ rateHz: R, channels: 2, bitDepth: 24, sampleFormat: 'int' });
    plain.process([s, s], s.length);
    expect(plain.finish().spectrum).toBeUndefined();
  });
});
