import { describe, expect, it } from 'vitest';
import { AlbumPlayer } from '$lib/web/audio/player';
import { createAlbum, createClip, createTrack, type Asset } from '$lib/core/album/model';

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
    await new Promise((r) => setTimeout(r, 600));
    const buf = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(buf);
    const peak = buf.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(peak).toBeGreaterThan(0.2);
    const after = player.position();
    expect(after - before).toBeGreaterThan(0.3 * R);
    player.stop();
    expect(player.playing).toBe(false);
    const stoppedAt = player.position();
    await new Promise((r) => setTimeout(r, 200));
    expect(player.position()).toBe(stoppedAt);
    await ctx.close();
  });
});
