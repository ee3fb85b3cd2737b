import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack } from '../../../src/lib/core/album/model';
import { formatMsf, layoutAlbum, parseMsf, samplesToCdFrames, formatClock } from '../../../src/lib/core/album/timeline';
import { checkRedBook } from '../../../src/lib/core/album/redbook';

const R = 44_100;
const track = (sec: number, init: Parameters<typeof createTrack>[1] = {}) =>
  createTrack(R, { ...init, clips: [createClip({ assetId: 'a', lengthSamples: Math.round(sec * R) })] });

describe('MM:SS:FF', () => {
  it('formats and parses CD time', () => {
    expect(formatMsf(0, R)).toBe('00:00:00');
    expect(formatMsf(588, R)).toBe('00:00:01');
    expect(formatMsf(587, R)).toBe('00:00:00');
    expect(formatMsf(150 * 588, R)).toBe('00:02:00');
    expect(formatMsf((79 * 60 + 57) * R, R)).toBe('79:57:00');
    expect(formatMsf(100 * 60 * R, R)).toBe('100:00:00');
    expect(formatMsf(48_000 / 75, 48_000)).toBe('00:00:01');
    expect(parseMsf('01:02:03', R)).toBe(((60 + 2) * 75 + 3) * 588);
    expect(parseMsf('00:60:00', R)).toBeNull();
    expect(samplesToCdFrames(2 * R, R)).toBe(150);
    expect(formatClock(R * 61.5, R)).toBe('01:01.500');
  });
});

describe('album layout', () => {
  it('places tracks after gaps; a track runs to the next INDEX 01', () => {
    const a = createAlbum({ tracks: [track(10), track(20, { gapBeforeSamples: R }), track(5, { gapBeforeSamples: 0 })] });
    const l = layoutAlbum(a);
    expect(l.tracks.map((t) => [t.index00Samples, t.index01Samples, t.lengthSamples])).toEqual([
      [0, 2 * R, 11 * R],
      [12 * R, 13 * R, 20 * R],
      [33 * R, 33 * R, 5 * R]
    ]);
    expect(l.totalSamples).toBe(38 * R);
  });

  it('overlaps a segue into the previous track', () => {
    const a = createAlbum({ tracks: [track(10), track(10, { overlapSamples: 3 * R, gapBeforeSamples: 0 })] });
    const l = layoutAlbum(a);
    expect(l.tracks[1].index01Samples).toBe(9 * R);
    expect(l.tracks[0].lengthSamples).toBe(7 * R);
    expect(l.totalSamples).toBe(19 * R);
  });

  it('lays out clips placed within a track', () => {
    const t = createTrack(R, {
      clips: [createClip({ assetId: 'a', lengthSamples: R }), createClip({ assetId: 'b', lengthSamples: R, positionSamples: 5 * R })]
    });
    expect(layoutAlbum(createAlbum({ tracks: [t] })).totalSamples).toBe(8 * R);
  });
});

describe('Red Book checks', () => {
  const codes = (a: ReturnType<typeof createAlbum>) => checkRedBook(a).map((p) => p.code);

  it('passes a plain album', () => {
    expect(checkRedBook(createAlbum({ tracks: [track(30), track(4)] }))).toEqual([]);
  });

  it('finds short tracks, a short first pregap, too many tracks and an over-long album', () => {
    // The last track's 3.99 s fill 300 sectors on the disc (padded to a whole sector): 4 s as written.
    expect(codes(createAlbum({ tracks: [track(30), track(3.99)] }))).toEqual([]);
    expect(codes(createAlbum({ tracks: [track(30), track(3.98)] }))).toEqual(['track-too-short']);
    expect(codes(createAlbum({ tracks: [track(30, { gapBeforeSamples: R })] }))).toEqual(['first-pregap-short']);
    expect(codes(createAlbum({ tracks: Array.from({ length: 100 }, () => track(4, { gapBeforeSamples: 2 * R })) }))).toContain('too-many-tracks');
    expect(codes(createAlbum({ tracks: [track(80 * 60)] }))).toEqual(['over-79-57']);
    expect(codes(createAlbum({ tracks: [track(75 * 60)] }))).toEqual(['over-74-00']);
    expect(codes(createAlbum({ tracks: [] }))).toEqual(['no-tracks']);
    expect(checkRedBook(createAlbum({ tracks: [track(30), track(3)] }))[0]).toMatchObject({ severity: 'error', trackIndex: 1 });
  });

  it('accepts exactly 99 tracks of exactly 4 s', () => {
    expect(checkRedBook(createAlbum({ tracks: Array.from({ length: 99 }, () => track(4)) }))).toEqual([]);
  });
});
