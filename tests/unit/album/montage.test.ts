import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack, type Album } from '../../../src/lib/core/album/model';
import { addTrack } from '../../../src/lib/core/album/edits';
import { layoutAlbum } from '../../../src/lib/core/album/timeline';
import { albumFromDocument, albumToDocument, parseAlbumJson } from '../../../src/lib/core/album/json';
import {
  addIndexMarkAt, clipAlone, clipsAt, duplicateClips, fadeTo, findOverlaps, frameAtOrBefore, moveClipsBy, moveIndex01, moveIndexMark,
  placeClips, removeIndexMark, renameIndexMark, setAlbumRate, setCrossfade, snapEdges, snapPoint, snapSpan, splitAt, toggleMute, trimEdgeTo,
  type SnapSettings
} from '../../../src/lib/core/album/montage';

const R = 44_100;
const snap = (over: Partial<SnapSettings> = {}): SnapSettings => ({ rateHz: R, edges: [], playheadSamples: null, toleranceSamples: 500, enabled: true, frames: true, ...over });

function album2(): Album {
  let a = createAlbum();
  for (const id of ['one', 'two']) a = addTrack(a, createTrack(R, { id, title: id, clips: [createClip({ id: `${id}-c`, assetId: id, lengthSamples: 10 * R })] }));
  return a;
}

describe('snapping', () => {
  it('catches the nearest edge or the playhead within the tolerance, else the CD frame grid', () => {
    expect(snapPoint(1000, snap())).toEqual({ samples: 1176, to: 'frame' });
    expect(snapPoint(1000, snap({ edges: [1300, 900] }))).toEqual({ samples: 900, to: 'edge' });
    expect(snapPoint(1000, snap({ edges: [1300], playheadSamples: 1200 }))).toEqual({ samples: 1200, to: 'playhead' });
    expect(snapPoint(1000, snap({ edges: [2000] })).to).toBe('frame');
    expect(snapPoint(1000, snap({ enabled: false, edges: [990] }))).toEqual({ samples: 1000, to: null });
  });

  it('snaps a moving span by either edge', () => {
    expect(snapSpan(1000, 5000, snap({ edges: [6100] }))).toEqual({ samples: 1100, to: 'edge' });
    expect(snapSpan(1000, 5000, snap({ edges: [950, 6010] }))).toEqual({ samples: 1010, to: 'edge' });
    expect(snapSpan(1000, 5000, snap()).samples % 588).toBe(0);
  });

  it('lists the other clips\' edges and the track starts', () => {
    const a = album2();
    expect(snapEdges(a, new Set(['one-c']))).toEqual([14 * R, 24 * R, 2 * R, 14 * R]);
  });

  it('puts marks on the frame at or before a point', () => {
    expect(frameAtOrBefore(1175, R)).toBe(588);
    expect(frameAtOrBefore(1176, R)).toBe(1176);
    expect(frameAtOrBefore(639, 48_000)).toBe(0);
  });
});

describe('montage edits map to the model', () => {
  it('moving a track\'s lead clip moves its INDEX 01: the pause changes, and past the previous end it becomes a segue with an equal-power crossfade', () => {
    const a = album2();
    const later = moveClipsBy(a, ['two-c'], R);
    expect(later.tracks[1]).toMatchObject({ gapBeforeSamples: 3 * R, overlapSamples: 0 });
    const segue = moveClipsBy(a, ['two-c'], -5 * R);
    expect(segue.tracks[1]).toMatchObject({ gapBeforeSamples: 0, overlapSamples: 3 * R });
    expect(segue.tracks[0].clips[0]).toMatchObject({ fadeOutSamples: 3 * R, fadeOutCurve: 'equalPower' });
    expect(segue.tracks[1].clips[0]).toMatchObject({ fadeInSamples: 3 * R, fadeInCurve: 'equalPower' });
    const back = moveClipsBy(segue, ['two-c'], 5 * R);
    expect(back.tracks[1]).toMatchObject({ gapBeforeSamples: 2 * R, overlapSamples: 0 });
    expect(back.tracks[0].clips[0].fadeOutSamples).toBe(0);
    expect(back.tracks[1].clips[0].fadeInSamples).toBe(0);
    expect(findOverlaps(segue)).toHaveLength(1);
    expect(findOverlaps(segue)[0]).toMatchObject({ segue: true, startSamples: 9 * R, endSamples: 12 * R });
  });

  it('moving a later clip moves it within its track; overlapping clips crossfade, and stop when apart', () => {
    const a = album2();
    const { album: split, newClipIds } = splitAt(a, ['one-c'], 7 * R);
    expect(split.tracks[0].clips.map((c) => c.lengthSamples)).toEqual([5 * R, 5 * R]);
    expect(split.tracks[0].clips[1]).toMatchObject({ positionSamples: 5 * R, sourceOffsetSamples: 5 * R });
    const over = moveClipsBy(split, newClipIds, -R);
    expect(over.tracks[0].clips[0]).toMatchObject({ fadeOutSamples: R, fadeOutCurve: 'equalPower' });
    expect(over.tracks[0].clips[1]).toMatchObject({ positionSamples: 4 * R, fadeInSamples: R });
    const apart = moveClipsBy(over, newClipIds, 2 * R);
    expect(apart.tracks[0].clips[0].fadeOutSamples).toBe(0);
    expect(apart.tracks[0].clips[1].fadeInSamples).toBe(0);
    const curve = setCrossfade(over, 'one-c', newClipIds[0], R / 2, 'sCurve');
    expect(curve.tracks[0].clips[1]).toMatchObject({ positionSamples: 4.5 * R, fadeInSamples: R / 2, fadeInCurve: 'sCurve' });
    expect(curve.tracks[0].clips[0]).toMatchObject({ fadeOutSamples: R / 2, fadeOutCurve: 'sCurve' });
  });

  it('trimming the head of the clip at INDEX 01 keeps INDEX 01 on the audio; trimming a tail stops at the source', () => {
    const a = album2();
    const t = trimEdgeTo(a, 'one-c', 'start', 3 * R, 10 * R);
    expect(t.tracks[0].clips[0]).toMatchObject({ positionSamples: 0, sourceOffsetSamples: R, lengthSamples: 9 * R });
    expect(layoutAlbum(t).tracks[1].index01Samples).toBe(layoutAlbum(a).tracks[1].index01Samples - R);
    expect(trimEdgeTo(a, 'one-c', 'end', 99 * R, 10 * R).tracks[0].clips[0].lengthSamples).toBe(10 * R);
    expect(trimEdgeTo(a, 'one-c', 'end', 7 * R, 10 * R).tracks[0].clips[0].lengthSamples).toBe(5 * R);
  });

  it('sets fades by their handles, duplicates, mutes and finds clips under the playhead', () => {
    const a = album2();
    expect(fadeTo(a, 'one-c', 'in', 3 * R).tracks[0].clips[0].fadeInSamples).toBe(R);
    expect(fadeTo(a, 'one-c', 'out', 10 * R).tracks[0].clips[0].fadeOutSamples).toBe(2 * R);
    const d = duplicateClips(a, ['one-c']);
    expect(d.album.tracks[0].clips[1]).toMatchObject({ positionSamples: 10 * R, assetId: 'one' });
    expect(toggleMute(a, ['one-c']).tracks[0].clips[0].muted).toBe(true);
    expect(clipsAt(a, 5 * R)).toEqual(['one-c']);
    expect(placeClips(a)[1]).toMatchObject({ startSamples: 14 * R, endSamples: 24 * R });
  });

  it('moves INDEX 01 inside a segue to the frame at or before the point, the audio staying put', () => {
    const segue = moveClipsBy(album2(), ['two-c'], -5 * R);
    const before = placeClips(segue)[1].startSamples;
    const m = moveIndex01(segue, 'two', 10 * R + 100);
    const at = layoutAlbum(m).tracks[1].index01Samples;
    expect(at).toBe(frameAtOrBefore(10 * R + 100, R));
    expect(placeClips(m)[1].startSamples).toBe(before);
    expect(m.tracks[1].clips[0].positionSamples).toBe(before - at);
  });

  it('adds, moves, names and deletes index marks', () => {
    const a = album2();
    const { album: m, trackIndex } = addIndexMarkAt(a, 5 * R + 10, 'verse');
    expect(trackIndex).toBe(0);
    expect(m.tracks[0].indexMarksSamples).toEqual([3 * R]);
    expect(m.tracks[0].indexMarkNames).toEqual(['verse']);
    const two = addIndexMarkAt(m, 4 * R).album;
    expect(two.tracks[0].indexMarksSamples).toEqual([2 * R, 3 * R]);
    expect(two.tracks[0].indexMarkNames).toEqual(['', 'verse']);
    const moved = moveIndexMark(two, 'one', 1, 3 * R);
    expect(moved.tracks[0].indexMarksSamples).toEqual([R, 2 * R]);
    expect(moved.tracks[0].indexMarkNames).toEqual(['verse', '']);
    expect(renameIndexMark(moved, 'one', 1, 'solo').tracks[0].indexMarkNames).toEqual(['verse', 'solo']);
    expect(removeIndexMark(moved, 'one', 0).tracks[0]).toMatchObject({ indexMarksSamples: [2 * R], indexMarkNames: [''] });
    expect(() => addIndexMarkAt(a, R)).toThrow(/after track 1's INDEX 01/);
  });

  it('keeps index mark names through album.json', () => {
    const named = addIndexMarkAt(addIndexMarkAt(album2(), 4 * R).album, 6 * R, 'chorus').album;
    const assets = new Map([['one.wav', { id: 'one', rateHz: R, frames: 10 * R }], ['two.wav', { id: 'two', rateHz: R, frames: 10 * R }]]);
    const again = albumFromDocument(parseAlbumJson(JSON.stringify(albumToDocument(named, (id) => `${id}.wav`))), assets);
    expect(again.tracks[0].indexMarksSamples).toEqual(named.tracks[0].indexMarksSamples);
    expect(again.tracks[0].indexMarkNames).toEqual(['', 'chorus']);
  });

  it('gives a clip alone, unmuted and without chains, for measuring it like a track', () => {
    const a = toggleMute(album2(), ['two-c']);
    a.tracks[1].chain = [{ plugin: 'lathe.limiter', params: {}, bypass: false }];
    const alone = clipAlone({ ...a, masterChain: a.tracks[1].chain }, 'two-c');
    expect(alone.tracks).toHaveLength(1);
    expect(alone.masterChain).toEqual([]);
    expect(alone.tracks[0]).toMatchObject({ chain: [], overlapSamples: 0, indexMarksSamples: [] });
    expect(alone.tracks[0].clips).toEqual([{ ...a.tracks[1].clips[0], positionSamples: 0, muted: false, chain: [] }]);
    expect(layoutAlbum(alone).tracks[0].lengthSamples).toBe(10 * R);
    expect(() => clipAlone(a, 'nope')).toThrow(/no clip nope/);
  });

  it('changes the album rate without reaching past a source', () => {
    const a = album2();
    const assets = new Map([['one', { frames: 10 * R, rateHz: R }], ['two', { frames: 10 * R, rateHz: R }]]);
    const b = setAlbumRate(a, 96_000, assets);
    expect(b.rateHz).toBe(96_000);
    expect(b.tracks[0].clips[0].lengthSamples).toBe(960_000);
    expect(b.tracks[1].gapBeforeSamples).toBe(192_000);
    expect(() => setAlbumRate(a, 12.5, assets)).toThrow(/not an album rate/);
  });
});

describe('Red Book on the montage', () => {
  it('lets a segue\'s audio before INDEX 01 play over the previous track, back to its INDEX 01 and no further', async () => {
    const { checkRedBook } = await import('../../../src/lib/core/album/redbook');
    const segue = moveClipsBy(album2(), ['two-c'], -5 * R);
    const inside = moveIndex01(segue, 'two', 10 * R);
    expect(checkRedBook(inside).filter((p) => p.code === 'pregap-audio-too-long')).toEqual([]);
    const a = album2();
    const paused = { ...a, tracks: [a.tracks[0], { ...a.tracks[1], clips: [{ ...a.tracks[1].clips[0], positionSamples: -3 * R }] }] };
    expect(checkRedBook(paused).find((p) => p.code === 'pregap-audio-too-long')?.message).toMatch(/pause of only 00:02:00/);
  });
});
