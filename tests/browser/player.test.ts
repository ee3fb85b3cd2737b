import { describe, expect, it } from 'vitest';
import { AlbumPlayer } from '$lib/web/audio/player';
import { createAlbum, createClip, createTrack, type Asset } from '$lib/core/album/model';
import { audioTimePasses, waitFor } from './util';

const R = 44_100;

describe('album player', () => {
  it('plays from a point, sounds, advances the playhead and stops where it is', async () => {
    const asset: Asset = { id: 'a', name: 'a', rateHz: R, channels: 2, bitDepth: 16, sampleFormat: 'int', encoding: 's16le', frames: 10 * R, sha256: '', container: 'wav' };
    const requested: number[] = [];
    const player = new AlbumPlayer(async (_asset, start, n, out) => {
      requested.push(start);
      for (const ch of out) for (let i = 0; i < n; i++) ch[i] = 0.5 * Math.sin((2 * Math.PI * 440 * (start + i)) / R);
    });
    const album = createAlbum({ tracks: [createTrack(R, { clips: [createClip({ assetId: 'a', lengthSamples: 10 * R })] })] });
    player.setProgram(album, [asset]);
    const ctx = player.context();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    player.output().connect(analyser);

    await player.play(5 * R);
    expect(player.playing).toBe(true);
    // Playback starts 5 s into the album: 3 s into the clip, after the 2 s pregap.
    expect(requested[0]).toBe(3 * R);
    const before = player.position();
    const buf = new Float32Array(analyser.fftSize);
    // It sounds, and the playhead moves with the audio.
    await waitFor(() => {
      analyser.getFloatTimeDomainData(buf);
      return buf.reduce((m, x) => Math.max(m, Math.abs(x)), 0) > 0.2;
    }, 'the tone to be heard');
    await waitFor(() => player.position() - before > 0.3 * R, 'the playhead to move 0.3 s');
    player.stop();
    expect(player.playing).toBe(false);
    const stoppedAt = player.position();
    // Stopped: the audio clock goes on, the playhead does not.
    await audioTimePasses(ctx, 0.2);
    expect(player.position()).toBe(stoppedAt);
    await ctx.close();
  });

  it('plays the chains live through the renderer\'s kernels: a master EQ at -12 dB is heard at once', async () => {
    const asset: Asset = { id: 'a', name: 'a', rateHz: 48_000, channels: 2, bitDepth: 16, sampleFormat: 'int', encoding: 's16le', frames: 10 * 48_000, sha256: '', container: 'wav' };
    const player = new AlbumPlayer(async (_asset, start, n, out) => {
      for (const ch of out) for (let i = 0; i < n; i++) ch[i] = 0.5 * Math.sin((2 * Math.PI * 440 * (start + i)) / 48_000);
    });
    const eq = { plugin: 'lathe.eq', params: { outputGainDb: -12 }, bypass: false };
    // The source is at 48 kHz in a 44.1 kHz album: the mixer resamples it as the renderer does.
    const album = createAlbum({ masterChain: [eq], tracks: [createTrack(R, { chain: [{ plugin: 'lathe.limiter', params: {}, bypass: false }], clips: [createClip({ assetId: 'a', lengthSamples: 10 * R })] })] });
    player.setProgram(album, [asset]);
    const ctx = player.context();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    player.output().connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    const peak = () => {
      analyser.getFloatTimeDomainData(buf);
      return buf.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    };
    await player.play(4 * R);
    // Once the tone is through the analyser's window, the EQ's -12 dB is heard.
    await waitFor(() => peak() > 0.05, 'the tone to be heard');
    await audioTimePasses(ctx, 0.1);
    expect(20 * Math.log10(peak() / 0.5)).toBeCloseTo(-12, 0);
    player.setProgram({ ...album, masterChain: [{ ...eq, bypass: true }] }, [asset]);
    // Bypassed: the next windows are scheduled without it and the full level comes through.
    await waitFor(() => peak() > 0.45, 'the level without the EQ');
    player.stop();
    await ctx.close();
  });
});
