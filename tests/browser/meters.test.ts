import { describe, expect, it } from 'vitest';
import { LiveMeters, type MeterReading } from '$lib/web/audio/meters';
import { audioTimePasses, waitFor } from './util';

describe('live meters (AudioWorklet)', () => {
  it('read a -23 dBFS 1 kHz stereo tone as -23 LUFS, its true peak and full correlation', async () => {
    const ctx = new AudioContext({ sampleRate: 48_000 });
    await ctx.resume();
    const osc = ctx.createOscillator();
    osc.frequency.value = 1000;
    const level = ctx.createGain();
    level.gain.value = Math.pow(10, -23 / 20);
    // Mono into a two-channel input is copied to both sides: a stereo tone.
    osc.connect(level);
    const meters = await LiveMeters.attach(ctx, level);
    const readings: MeterReading[] = [];
    meters.onReading = (r) => readings.push(r);
    osc.start();
    // The short-term window needs 3 s of audio: wait for the audio clock, not the wall clock.
    await audioTimePasses(ctx, 3.5);
    await waitFor(() => readings.at(-1)?.shortTermLufs !== null && readings.at(-1)?.shortTermLufs !== undefined, 'a short-term reading');
    osc.stop();
    const last = readings.at(-1) as MeterReading;
    expect(readings.length).toBeGreaterThan(50);
    expect(Math.abs((last.momentaryLufs as number) + 23)).toBeLessThanOrEqual(0.1);
    expect(Math.abs((last.shortTermLufs as number) + 23)).toBeLessThanOrEqual(0.1);
    expect(Math.abs((last.integratedLufs as number) + 23)).toBeLessThanOrEqual(0.1);
    for (const tp of last.truePeakDbtp) expect(Math.abs((tp as number) + 23)).toBeLessThanOrEqual(0.2);
    expect(last.correlation).toBeGreaterThan(0.99);
    const bins = new Float32Array(meters.analyser.frequencyBinCount);
    meters.analyser.getFloatFrequencyData(bins);
    const peakBin = bins.indexOf(Math.max(...bins));
    expect(Math.abs((peakBin * 48_000) / meters.analyser.fftSize - 1000)).toBeLessThan(12);
    meters.detach();
    await ctx.close();
  });
});
