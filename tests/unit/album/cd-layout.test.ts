import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack, type Album } from '../../../src/lib/core/album/model';
import { cdLayout, cdPauseFrames, cdTrackFrames } from '../../../src/lib/core/album/cd-layout';
import { checkMarksBeforeAudio, checkRedBook } from '../../../src/lib/core/album/redbook';

const R = 44_100;
const F = 588;
const track = (lengthSamples: number, init: Parameters<typeof createTrack>[1] = {}) => createTrack(R, { ...init, clips: [createClip({ assetId: 'a', lengthSamples })] });

/** Every mark at or before the first sample of what it marks. */
function marksBeforeAudio(album: Album) {
  const l = cdLayout(album);
  return l.tracks.every((t, i) => t.index01 * F <= l.audio[i].startSample && t.indexes.every((f, k) => f * F <= l.audio[i].indexSamples[k]));
}

describe('the CD layout puts every mark at or before its audio', () => {
  it('gapless after a track that is not a whole number of sectors: INDEX 01 on the sector holding the first sample', () => {
    // Track 1 ends 294 samples into a sector (half a frame): rounding would put track 2's mark after its start.
    for (const tail of [1, 293, 294, 295, 587]) {
      const a = createAlbum({ tracks: [track(10 * R + tail), track(5 * R, { gapBeforeSamples: 0 })] });
      const l = cdLayout(a);
      const start = l.audio[1].startSample;
      expect(l.tracks[1].index01).toBe(Math.floor(start / F));
      expect(l.tracks[1].index00).toBeNull();
      expect(marksBeforeAudio(a)).toBe(true);
      expect(checkMarksBeforeAudio(l)).toEqual([]);
    }
  });

  it('segues and index marks inside continuous audio', () => {
    const a = createAlbum({
      tracks: [track(20 * R + 100, { indexMarksSamples: [5 * R + 300, 12 * R + 587] }), track(10 * R, { gapBeforeSamples: 0, overlapSamples: 3 * R + 77 })]
    });
    expect(marksBeforeAudio(a)).toBe(true);
    const l = cdLayout(a);
    expect(l.tracks[0].indexes).toEqual([150 + Math.floor((5 * R + 300) / F), 150 + Math.floor((12 * R + 587) / F)]);
  });

  it('places marks N frames before the audio where the pause leaves room', () => {
    const album = (lead: number, gap1Sec = 2) =>
      createAlbum({ markLeadFrames: lead, tracks: [track(30 * R, { gapBeforeSamples: gap1Sec * R }), track(30 * R, { gapBeforeSamples: 2 * R }), track(30 * R, { gapBeforeSamples: 0 })] });
    const base = cdLayout(album(0));
    const led = cdLayout(album(5));
    // Track 1 keeps 00:02:00: its pause leaves no room under Red Book.
    expect(led.tracks[0].index01).toBe(150);
    // Track 2 moves 5 frames into its pause; the pause and the audio stay where they were.
    expect(led.tracks[1].index01).toBe(base.tracks[1].index01 - 5);
    expect(led.tracks[1].index00).toBe(base.tracks[1].index00);
    expect(cdPauseFrames(led.tracks[1])).toBe(cdPauseFrames(base.tracks[1]) - 5);
    // A gapless track has no pause to move into.
    expect(led.tracks[2].index01).toBe(base.tracks[2].index01);
    expect(led.leadOut).toBe(base.leadOut);
    // With a 3 s first pause, track 1 moves too, never before 00:02:00.
    expect(cdLayout(album(5, 3)).tracks[0].index01).toBe(225 - 5);
    expect(cdLayout(album(100, 3)).tracks[0].index01).toBe(150);
    // A pause shorter than the lead is used whole, and INDEX 00 goes with it.
    const short = cdLayout(createAlbum({ markLeadFrames: 10, tracks: [track(30 * R), track(30 * R, { gapBeforeSamples: 3 * F })] }));
    expect(short.tracks[1].index00).toBeNull();
    expect(short.tracks[1].index01).toBe(cdLayout(createAlbum({ tracks: [track(30 * R), track(30 * R, { gapBeforeSamples: 3 * F })] })).tracks[1].index00);
    expect(checkRedBook(album(5)).filter((p) => p.severity !== 'info')).toEqual([]);
  });

  it('reads the same layout at any album rate: 96 kHz positions are rescaled as the render does', () => {
    const hi = 96_000;
    const a = createAlbum({ rateHz: hi, tracks: [createTrack(hi, { clips: [createClip({ assetId: 'a', lengthSamples: 10 * hi + 17 })] }), createTrack(hi, { gapBeforeSamples: 1.5 * hi, clips: [createClip({ assetId: 'a', lengthSamples: 5 * hi })] })] });
    const l = cdLayout(a);
    expect(l.album.rateHz).toBe(R);
    // Track 1 ends 8 samples into sector 900 (10 s + 17 samples at 96 kHz is 441 008 at 44.1): the
    // pause starts on the next whole sector and runs to the sector where 1.5 s later lands.
    const end = 150 * F + Math.round(((10 * hi + 17) * R) / hi);
    expect(cdPauseFrames(l.tracks[1])).toBe(Math.ceil((end + 1.5 * R) / F) - Math.ceil(end / F));
    expect(cdPauseFrames(l.tracks[1])).toBe(112);
    expect(cdTrackFrames(l.tracks, 1, l.leadOut)).toBe(375);
  });

  it('says when a mark would be after its audio', () => {
    const l = cdLayout(createAlbum({ tracks: [track(10 * R + 294), track(5 * R, { gapBeforeSamples: 0 })] }));
    l.tracks[1].index01 += 1;
    expect(checkMarksBeforeAudio(l)).toEqual([expect.objectContaining({ code: 'mark-after-audio', severity: 'warning', trackIndex: 1, index: 1, message: expect.stringMatching(/^Track 2's INDEX 01 \(00:12:\d\d\) is \d+ samples after its audio starts/) })]);
    // A late index mark is named by its number, so the timeline flags the mark itself.
    const marked = cdLayout(createAlbum({ tracks: [track(10 * R, { indexMarksSamples: [2 * R] })] }));
    marked.tracks[0].indexes[0] += 1;
    expect(checkMarksBeforeAudio(marked)).toEqual([expect.objectContaining({ code: 'mark-after-audio', trackIndex: 0, index: 2, message: expect.stringMatching(/^Track 1's INDEX 02/) })]);
  });
});
