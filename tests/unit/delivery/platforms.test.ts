import { describe, expect, it } from 'vitest';
import { PLATFORMS, PLATFORM_IDS, monitorSteps, platform, platformGain, previewAlbum, previewTrack, type Platform } from '../../../src/lib/core/delivery/platforms';

const get = (id: string) => platform(id) as Platform;

describe('platform table', () => {
  it('has every platform the issue names, each with its source, the date and codec', () => {
    expect(PLATFORMS.map((p) => p.id)).toEqual([...PLATFORM_IDS]);
    for (const p of PLATFORMS) {
      expect(p.source.length).toBeGreaterThan(10);
      expect(p.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.bitrateKbps).toBeGreaterThan(0);
      expect(p.codec).not.toBe('');
    }
    expect(get('spotify')).toMatchObject({ referenceLufs: -14, raisesQuiet: true, raiseCeilingDbtp: -1, albumMode: true, unofficial: false });
    expect(get('youtube').raisesQuiet).toBe(false);
    expect(get('tidal').raisesQuiet).toBe(false);
    expect(get('deezer').referenceLufs).toBe(-15);
    expect(get('soundcloud').referenceLufs).toBeNull();
  });
});

describe('loudness preview', () => {
  it("follows Spotify's own example: -20 LUFS at -5 dBTP is raised only to -16 LUFS", () => {
    const p = previewTrack(get('spotify'), { integratedLufs: -20, truePeakDbtp: -5 });
    expect(p).toEqual({ gainDb: 4, limitedBy: 'peak', heardLufs: -16, heardTruePeakDbtp: -1 });
    // With headroom to spare it goes all the way.
    expect(previewTrack(get('spotify'), { integratedLufs: -20, truePeakDbtp: -9 })).toMatchObject({ gainDb: 6, limitedBy: 'reference', heardLufs: -14 });
  });

  it('turns loud masters down everywhere that normalizes, quiet ones up only where allowed', () => {
    const loud = { integratedLufs: -8, truePeakDbtp: 0.5 };
    expect(platformGain(get('spotify'), loud).gainDb).toBe(-6);
    expect(platformGain(get('deezer'), loud).gainDb).toBe(-7);
    expect(platformGain(get('apple'), loud).gainDb).toBe(-8);
    const quiet = { integratedLufs: -22, truePeakDbtp: -10 };
    expect(platformGain(get('youtube'), quiet)).toEqual({ gainDb: 0, limitedBy: 'down-only' });
    expect(platformGain(get('tidal'), quiet)).toEqual({ gainDb: 0, limitedBy: 'down-only' });
    expect(platformGain(get('apple'), quiet)).toEqual({ gainDb: 6, limitedBy: 'reference' });
    expect(platformGain(get('soundcloud'), loud)).toEqual({ gainDb: 0, limitedBy: 'no-normalization' });
    expect(platformGain(get('spotify'), { integratedLufs: null, truePeakDbtp: null })).toEqual({ gainDb: 0, limitedBy: 'silent' });
    // A peak already above the raise ceiling gets no raise at all, never a cut.
    expect(platformGain(get('spotify'), { integratedLufs: -16, truePeakDbtp: -0.5 })).toEqual({ gainDb: 0, limitedBy: 'peak' });
  });

  it('in album mode plays the whole album at one gain, so a quiet track stays quieter', () => {
    const tracks = [{ integratedLufs: -9, truePeakDbtp: -0.3 }, { integratedLufs: -15, truePeakDbtp: -4 }];
    const album = { integratedLufs: -10, truePeakDbtp: -0.3 };
    const s = previewAlbum(get('spotify'), tracks, album);
    expect(s.album.gainDb).toBe(-4);
    expect(s.album.tracks.map((t) => t.heardLufs)).toEqual([-13, -19]);
    expect(s.tracks.map((t) => t.heardLufs)).toEqual([-14, -14]);
    // Louder than -14 with peaks above -2 dBTP: Spotify's advice for loud masters.
    expect(s.advice[0]).toMatch(/^Track 1 peaks at -0\.3 dBTP; Spotify advises -2 dBTP for masters louder than -14 LUFS \(-1\.7 dB would meet it\)/);
    const y = previewAlbum(get('youtube'), tracks, album);
    expect(y.album).toMatchObject({ gainDb: null, limitedBy: 'per-track' });
    expect(y.album.tracks.map((t) => t.heardLufs)).toEqual([-14, -15]);
  });

  it('gives the monitor one gain in album playback, or a step at each INDEX 01', () => {
    const tracks = [{ integratedLufs: -9, truePeakDbtp: -0.3 }, { integratedLufs: -15, truePeakDbtp: -4 }];
    const s = previewAlbum(get('spotify'), tracks, { integratedLufs: -10, truePeakDbtp: -0.3 });
    expect(monitorSteps(s, true, [88_200, 600_000])).toEqual([{ fromSamples: 0, gainDb: -4 }, { fromSamples: 600_000, gainDb: -4 }]);
    expect(monitorSteps(s, false, [88_200, 600_000])).toEqual([{ fromSamples: 0, gainDb: -5 }, { fromSamples: 600_000, gainDb: 1 }]);
    // A platform without album playback plays each track on its own either way.
    const a = previewAlbum(get('apple'), tracks, { integratedLufs: -10, truePeakDbtp: -0.3 });
    expect(monitorSteps(a, true, [88_200, 600_000]).map((x) => x.gainDb)).toEqual([-7, -1]);
  });
});
