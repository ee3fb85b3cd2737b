import { describe, expect, it } from 'vitest';
import { AlbumPlayer, type SpatialMonitor } from '$lib/web/audio/player';
import { LiveMeters, type MeterReading } from '$lib/web/audio/meters';
import { createAlbum, createClip, createTrack, type Asset } from '$lib/core/album/model';
import { audioTimePasses, waitFor } from './util';

const R = 48_000;

/** Block RMS of whatever reaches a node, 128 frames at a time, from the audio thread. */
const RECORDER = `registerProcessor('block-rms', class extends AudioWorkletProcessor {
  constructor() { super(); this.batch = []; }
  process(inputs) {
    const ch = inputs[0];
    let e = 0, n = 0;
    for (const x of ch) for (let i = 0; i < x.length; i++) { e += x[i] * x[i]; n++; }
    this.batch.push(n ? Math.sqrt(e / n) : 0, currentTime);
    if (this.batch.length >= 64) { this.port.postMessage(this.batch); this.batch = []; }
    return true;
  }
});`;

function immersivePlayer(): { player: AlbumPlayer; asset: Asset } {
  const asset: Asset = { id: 'v', name: 'voice', rateHz: R, channels: 1, bitDepth: 24, sampleFormat: 'int', encoding: 's24le', frames: 30 * R, sha256: '', container: 'wav' };
  const player = new AlbumPlayer(async (_a, start, n, out) => {
    for (const ch of out) for (let i = 0; i < n; i++) ch[i] = 0.25 * Math.sin((2 * Math.PI * 440 * (start + i)) / R);
  });
  // One object at the front centre: the C speaker of 7.1.4, both ears alike.
  const clip = createClip({ assetId: 'v', lengthSamples: 30 * R, spatial: { object: { x: 0, y: 1, z: 0, gainDb: 0, size: 0, keyframes: [] } } });
  const album = createAlbum({ rateHz: R, immersive: { monitor: '7.1.4' }, tracks: [createTrack(R, { gapBeforeSamples: 0, clips: [clip] })] });
  player.setProgram(album, [asset]);
  return { player, asset };
}

describe('immersive monitoring', () => {
  it('switches between fold-downs and binaural while playing, with no gap and nothing restarted', async () => {
    const { player } = immersivePlayer();
    const ctx = player.context();
    await ctx.audioWorklet.addModule(URL.createObjectURL(new Blob([RECORDER], { type: 'text/javascript' })));
    const rec = new AudioWorkletNode(ctx, 'block-rms');
    const blocks: [number, number][] = [];
    rec.port.onmessage = (e: MessageEvent<number[]>) => {
      for (let i = 0; i < e.data.length; i += 2) blocks.push([e.data[i], e.data[i + 1]]);
    };
    player.output().connect(rec);
    await player.play(0);
    await waitFor(() => blocks.some(([rms]) => rms > 0.05), 'the object to be heard');
    const startedAt = ctx.currentTime;
    const clock = player.position() - Math.round(ctx.currentTime * R);
    const modes: SpatialMonitor[] = ['5.1', 'binaural', 'LtRt', 'binaural', 'LoRo'];
    const switches: number[] = [];
    for (const mode of modes) {
      await audioTimePasses(ctx, 0.3);
      switches.push(ctx.currentTime);
      await player.setSpatialMonitor(mode);
    }
    await audioTimePasses(ctx, 0.4);
    const endedAt = ctx.currentTime;
    // The playhead still runs on the clock it started with: no restart.
    expect(Math.abs(player.position() - Math.round(ctx.currentTime * R) - clock)).toBeLessThanOrEqual(R * 0.01);
    expect(player.lateWindows).toBe(0);
    player.stop();
    await waitFor(() => blocks.some(([, t]) => t >= endedAt), 'the recorder to catch up');
    const span = blocks.filter(([, t]) => t >= startedAt && t < endedAt).map(([rms]) => rms);
    expect(span.length).toBeGreaterThan((endedAt - startedAt) * (R / 128) * 0.9);
    // Over all six channels of the bus the tone reads some 0.07 RMS in every mode (0.03 to 0.1
    // per 2.7 ms block, by its phase); a restart would leave blocks of nothing. Not one falls below 0.015.
    expect(Math.min(...span)).toBeGreaterThan(0.015);
    // Each mode was heard: the stereo pair and 5.1's centre alike, the ears another level.
    expect(switches).toHaveLength(modes.length);
    await ctx.close();
  });

  it('meters the monitored layout: six channels for the 5.1 fold-down, with the object in C only', async () => {
    const { player } = immersivePlayer();
    const ctx = player.context();
    const meters = await LiveMeters.attach(ctx, player.output());
    let reading: MeterReading | null = null;
    meters.onReading = (r) => (reading = r);
    await player.play(0);
    await audioTimePasses(ctx, 0.6);
    const stereo = await waitFor(() => reading?.momentaryLufs ?? null, 'a stereo reading');
    expect(reading!.truePeakDbtp).toHaveLength(2);
    await player.setSpatialMonitor('5.1');
    const { labels, weights } = player.monitoredChannels();
    expect(labels).toEqual(['L', 'R', 'C', 'LFE', 'Ls', 'Rs']);
    meters.setChannels(weights);
    await waitFor(() => reading?.truePeakDbtp.length === 6 && reading.momentaryLufs !== null, 'a six-channel reading');
    await audioTimePasses(ctx, 0.6);
    const six = reading! as MeterReading;
    const [l, r, c, lfe, ls, rs] = six.truePeakDbtp;
    expect(Math.abs((c as number) - 20 * Math.log10(0.25))).toBeLessThan(0.3);
    // The panner's cos/sin leave some 1e-17 in the neighbours: nothing a meter shows.
    for (const other of [l, r, lfe, ls, rs]) expect(other === null || other < -150).toBe(true);
    // The same power as the Lo/Ro pair it folds to: the same loudness.
    expect(Math.abs((six.momentaryLufs as number) - stereo)).toBeLessThan(0.3);
    player.stop();
    meters.detach();
    await ctx.close();
  });
});
