import { describe, expect, it } from 'vitest';
import { createBinaural } from '$lib/web/audio/binaural';
import { AMBISONIC_CHANNELS, ambisonicMatrix } from '$lib/core/spatial/ambisonics';
import { AllocentricPanner } from '$lib/core/spatial/panner';
import { LAYOUTS } from '$lib/core/spatial/layouts';
import { applyMatrix } from '$lib/core/spatial/downmix';

const R = 48_000;

/** An impulse from an object at (x, y, z) on 7.1.4, as virtual speakers through omnitone's HRIRs: the two ears. */
async function ears(x: number, y: number, z: number): Promise<[Float32Array, Float32Array]> {
  const layout = LAYOUTS['7.1.4'];
  const n = 4096;
  const speakers = layout.speakers.map(() => new Float32Array(n));
  const g = new Float64Array(layout.speakers.length);
  new AllocentricPanner(layout).gains(x, y, z, g);
  speakers.forEach((s, i) => (s[100] = g[i] * 0.5));
  const amb = Array.from({ length: AMBISONIC_CHANNELS }, () => new Float32Array(n));
  applyMatrix(ambisonicMatrix(layout), speakers, n, amb);
  const ctx = new OfflineAudioContext(2, n, R);
  const binaural = await createBinaural(ctx);
  const buffer = ctx.createBuffer(AMBISONIC_CHANNELS, n, R);
  amb.forEach((c, i) => buffer.getChannelData(i).set(c));
  const src = ctx.createBufferSource();
  src.buffer = buffer;
  src.connect(binaural.input);
  binaural.output.connect(ctx.destination);
  src.start();
  const out = await ctx.startRendering();
  return [out.getChannelData(0), out.getChannelData(1)];
}

const energy = (x: Float32Array) => x.reduce((a, v) => a + v * v, 0);
/** Where the response first reaches half its peak: its arrival. */
const arrival = (x: Float32Array) => {
  const peak = x.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  return x.findIndex((v) => Math.abs(v) >= peak / 2);
};

describe('binaural monitoring (omnitone second-order HRIRs over virtual speakers)', () => {
  it('puts an object at the left louder and earlier in the left ear, and the mirror image on the right', async () => {
    const [l, r] = await ears(-1, 0, 0);
    const ild = 10 * Math.log10(energy(l) / energy(r));
    expect(ild).toBeGreaterThan(6);
    // The right ear hears it later (an interaural delay of some 0.3 to 0.8 ms).
    const itd = arrival(r) - arrival(l);
    expect(itd).toBeGreaterThan(0.2e-3 * R);
    expect(itd).toBeLessThan(1e-3 * R);
    const [l2, r2] = await ears(1, 0, 0);
    expect(10 * Math.log10(energy(r2) / energy(l2))).toBeCloseTo(ild, 1);
    expect(arrival(l2) - arrival(r2)).toBe(itd);
  });

  it('keeps a front-centre object equal in both ears', async () => {
    const [l, r] = await ears(0, 1, 0);
    expect(Math.abs(10 * Math.log10(energy(l) / energy(r)))).toBeLessThan(0.5);
    expect(arrival(l)).toBe(arrival(r));
  });
});
