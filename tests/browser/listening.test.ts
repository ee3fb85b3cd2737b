import { describe, expect, it } from 'vitest';
import { AlbumPlayer } from '$lib/web/audio/player';
import { LiveMeters, LoudnessProbe } from '$lib/web/audio/meters';
import { createAlbum, createClip, createTrack, type Asset } from '$lib/core/album/model';
import { Analyzer } from '$lib/core/analysis/analyzer';
import { seededRandom } from '$lib/core/audio/synth';
import { matchOffsetDb } from '$lib/core/listening/reference';
import { simulation, simulationFir } from '$lib/core/dsp/translation';
import { audioTimePasses, waitFor } from './util';

const R = 48_000;
const SEC = 12;

/** Band-limited noise at a set integrated loudness (measured with the core meter, then scaled). */
function noiseAt(lufs: number, seed: number): { planar: Float32Array[]; lufs: number } {
  const rand = seededRandom(seed);
  const planar = [new Float32Array(SEC * R), new Float32Array(SEC * R)];
  // Two one-pole low-passes: little above 20 kHz, so a device at 44.1 kHz hears all of it.
  let y = 0;
  let z = 0;
  let w = 0;
  for (let i = 0; i < SEC * R; i++) {
    y = 0.8 * y + 0.2 * (rand() * 2 - 1);
    z = 0.8 * z + 0.2 * y;
    w = 0.8 * w + 0.2 * (rand() * 2 - 1);
    planar[0][i] = z;
    planar[1][i] = 0.8 * z + 0.2 * w;
  }
  const measure = (p: Float32Array[]) => {
    const a = new Analyzer({ rateHz: R, channels: 2, bitDepth: 24, sampleFormat: 'float' });
    a.process(p, p[0].length);
    return a.finish().integratedLufs as number;
  };
  const gain = 10 ** ((lufs - measure(planar)) / 20);
  for (const ch of planar) for (let i = 0; i < ch.length; i++) ch[i] *= gain;
  return { planar, lufs: measure(planar) };
}

function asset(id: string): Asset {
  return { id, name: id, rateHz: R, channels: 2, bitDepth: 24, sampleFormat: 'float', encoding: 'f32le', frames: SEC * R, sha256: '', container: 'wav' };
}

function playerOf(sources: Record<string, Float32Array[]>): AlbumPlayer {
  return new AlbumPlayer(async (a, start, n, out) => {
    const src = sources[a.id];
    for (const [c, ch] of out.entries()) {
      ch.fill(0, 0, n);
      const s = src[Math.min(c, src.length - 1)];
      ch.set(s.subarray(Math.max(0, start), Math.max(0, Math.min(s.length, start + n))), Math.max(0, -start));
    }
  });
}

/** Short-term loudness of what is heard, once 3 s of the current side have passed. */
async function settledShortTerm(ctx: AudioContext, meters: LiveMeters, read: () => number | null): Promise<number> {
  meters.reset();
  await audioTimePasses(ctx, 3.3);
  return waitFor(() => read(), 'a short-term reading');
}

describe('listening: A/B and the monitor simulations', () => {
  it('switches between a -10 and a -20 LUFS programme and keeps the monitored level within 0.2 LU', async () => {
    const album = noiseAt(-10, 1);
    const ref = noiseAt(-20, 2);
    const player = playerOf({ a: album.planar, r: ref.planar });
    const a = createAlbum({ rateHz: R, tracks: [createTrack(R, { gapBeforeSamples: 0, clips: [createClip({ assetId: 'a', lengthSamples: SEC * R })] })] });
    player.setProgram(a, [asset('a')]);
    const ctx = player.context();
    const meters = await LiveMeters.attach(ctx, player.output());
    let reading: number | null = null;
    meters.onReading = (r) => (reading = r.shortTermLufs);
    const probeA = await LoudnessProbe.attach(ctx, player.albumBus());
    const probeB = await LoudnessProbe.attach(ctx, player.compareBus());
    player.setCompare({ kind: 'reference', asset: asset('r'), loop: null });
    await player.play(0);
    const heardA = await settledShortTerm(ctx, meters, () => reading);
    expect(Math.abs(heardA - -10), `${heardA} at ${ctx.sampleRate}`).toBeLessThan(0.5);
    const offset = matchOffsetDb(album.lufs, ref.lufs) as number;
    expect(offset).toBeCloseTo(10, 1);
    player.setAB('B', offset);
    reading = null;
    const heardB = await settledShortTerm(ctx, meters, () => reading);
    expect(Math.abs(heardB - heardA), `A ${heardA} LUFS, B ${heardB} LUFS`).toBeLessThanOrEqual(0.2);
    // Both sides are measured while one plays: matching over the played span finds the same offset.
    const span = await waitFor(() => (probeA.reading?.integratedLufs != null && probeB.reading?.integratedLufs != null ? matchOffsetDb(probeA.reading.integratedLufs, probeB.reading.integratedLufs) : null), 'both sides measured');
    expect(Math.abs(span - offset)).toBeLessThan(0.3);
    player.setAB('A');
    reading = null;
    expect(Math.abs((await settledShortTerm(ctx, meters, () => reading)) - heardA)).toBeLessThanOrEqual(0.2);
    player.stop();
    await ctx.close();
  }, 40_000);

  it('compares the album with and without its master chain, in step, loudness-matched', async () => {
    const album = noiseAt(-14, 3);
    const player = playerOf({ a: album.planar });
    const eq = { plugin: 'lathe.eq', params: { outputGainDb: -6 }, bypass: false };
    const a = createAlbum({ rateHz: R, masterChain: [eq], tracks: [createTrack(R, { gapBeforeSamples: 0, clips: [createClip({ assetId: 'a', lengthSamples: SEC * R })] })] });
    player.setProgram(a, [asset('a')]);
    const ctx = player.context();
    const probeA = await LoudnessProbe.attach(ctx, player.albumBus());
    const probeB = await LoudnessProbe.attach(ctx, player.compareBus());
    player.setCompare({ kind: 'master-bypass' });
    await player.play(0);
    await audioTimePasses(ctx, 2);
    const [la, lb] = await waitFor(() => (probeA.reading?.integratedLufs != null && probeB.reading?.integratedLufs != null ? [probeA.reading.integratedLufs, probeB.reading.integratedLufs] : null), 'both sides measured');
    // The chain takes 6 dB off; without it the album is 6 dB louder, so B is matched 6 dB down.
    expect(matchOffsetDb(la, lb)).toBeCloseTo(-6, 0);
    player.stop();
    await ctx.close();
  }, 30_000);

  it('monitors through a simulation: the phone loses 60 Hz and keeps 1 kHz; Side only of a mono signal is silence', async () => {
    const tone = (hz: number) => [0, 1].map(() => Float32Array.from({ length: SEC * R }, (_, i) => 0.25 * Math.sin((2 * Math.PI * hz * i) / R)));
    const player = playerOf({ low: tone(60), mid: tone(1000) });
    const ctx = player.context();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 4096;
    player.heard().connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    const rmsDb = () => {
      analyser.getFloatTimeDomainData(buf);
      return 10 * Math.log10(buf.reduce((s, x) => s + x * x, 0) / buf.length + 1e-20);
    };
    const phone = simulation('phone');
    const levels: Record<string, number> = {};
    for (const id of ['low', 'mid']) {
      player.setProgram(createAlbum({ rateHz: R, tracks: [createTrack(R, { gapBeforeSamples: 0, clips: [createClip({ assetId: id, lengthSamples: SEC * R })] })] }), [asset(id)]);
      player.setSimulation(null);
      await player.play(0);
      await audioTimePasses(ctx, 0.5);
      const dry = rmsDb();
      player.setSimulation({ mode: phone.mode, fir: simulationFir(phone, ctx.sampleRate) });
      await audioTimePasses(ctx, 0.5);
      levels[id] = rmsDb() - dry;
      player.setSimulation({ mode: 'side', fir: null });
      await audioTimePasses(ctx, 0.3);
      levels[`${id}-side`] = rmsDb();
      player.stop();
    }
    expect(levels.low).toBeLessThan(-25);
    expect(Math.abs(levels.mid)).toBeLessThan(1);
    expect(levels['mid-side']).toBeLessThan(-90);
    await ctx.close();
  }, 30_000);
});
