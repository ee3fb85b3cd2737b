import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack, type Album } from '../../../src/lib/core/album/model';
import {
  addClip, addTrack, moveClip, moveTrack, removeClip, removeTrack, setAlbumMetadata, setClipFades, setClipGain,
  setGap, setOverlap, setTrackMetadata, splitClip, trimClip
} from '../../../src/lib/core/album/edits';
import { commit, createHistory, redo, undo, canUndo, canRedo } from '../../../src/lib/core/album/history';

const R = 44_100;

function album3(): Album {
  let a = createAlbum({ title: 'A' });
  for (const title of ['one', 'two', 'three']) {
    a = addTrack(a, createTrack(R, { id: title, title, clips: [createClip({ id: `${title}-c`, assetId: title, lengthSamples: 10 * R })] }));
  }
  return a;
}

describe('track edits', () => {
  it('adds, removes and reorders tracks without touching the input', () => {
    const a = album3();
    const frozen = JSON.stringify(a);
    expect(moveTrack(a, 'three', 0).tracks.map((t) => t.id)).toEqual(['three', 'one', 'two']);
    expect(moveTrack(a, 'one', 2).tracks.map((t) => t.id)).toEqual(['two', 'three', 'one']);
    expect(moveTrack(a, 'one', 99).tracks.map((t) => t.id)).toEqual(['two', 'three', 'one']);
    expect(removeTrack(a, 'two').tracks.map((t) => t.id)).toEqual(['one', 'three']);
    expect(addTrack(a, createTrack(R, { id: 'x' }), 1).tracks.map((t) => t.id)).toEqual(['one', 'x', 'two', 'three']);
    expect(JSON.stringify(a)).toBe(frozen);
    expect(() => removeTrack(a, 'nope')).toThrow(/No track/);
  });

  it('sets gaps and segues, each cancelling the other', () => {
    const a = album3();
    const g = setGap(a, 'two', 0.5 * R);
    expect(g.tracks[1].gapBeforeSamples).toBe(22_050);
    const s = setOverlap(g, 'two', R);
    expect(s.tracks[1]).toMatchObject({ overlapSamples: R, gapBeforeSamples: 0 });
    expect(setGap(s, 'two', R).tracks[1]).toMatchObject({ overlapSamples: 0, gapBeforeSamples: R });
    expect(() => setGap(a, 'two', -1)).toThrow(/0 or more/);
    expect(() => setOverlap(a, 'one', R)).toThrow(/Track 1/);
  });

  it('sets track and album metadata', () => {
    const a = setTrackMetadata(album3(), 'one', { title: 'Uno', isrc: 'GBAYE0000001', flags: { preEmphasis: true } });
    expect(a.tracks[0]).toMatchObject({ title: 'Uno', isrc: 'GBAYE0000001', flags: { preEmphasis: true, copyPermitted: false } });
    expect(setAlbumMetadata(a, { title: 'B', upc: '0012345678905' })).toMatchObject({ title: 'B', upc: '0012345678905' });
  });
});

describe('clip edits', () => {
  it('adds, moves between tracks and removes clips', () => {
    let a = album3();
    a = addClip(a, 'one', createClip({ id: 'k', assetId: 'z', lengthSamples: R, positionSamples: 11 * R }));
    expect(a.tracks[0].clips.map((c) => c.id)).toEqual(['one-c', 'k']);
    a = moveClip(a, 'k', 5, 'two');
    expect(a.tracks[0].clips.map((c) => c.id)).toEqual(['one-c']);
    expect(a.tracks[1].clips.find((c) => c.id === 'k')?.positionSamples).toBe(5);
    expect(removeClip(a, 'k').tracks[1].clips).toHaveLength(1);
    expect(() => addClip(a, 'one', createClip({ assetId: 'z', lengthSamples: 0 }))).toThrow(/at least one sample/);
  });

  it('trims the head keeping the audio in place, and the tail within the source', () => {
    const a = album3();
    const t = trimClip(a, 'one-c', 100, -200, 10 * R);
    expect(t.tracks[0].clips[0]).toMatchObject({ positionSamples: 100, sourceOffsetSamples: 100, lengthSamples: 10 * R - 300 });
    expect(() => trimClip(a, 'one-c', -1, 0)).toThrow(/before its source/);
    expect(() => trimClip(a, 'one-c', 0, 1, 10 * R)).toThrow(/past the end/);
    expect(() => trimClip(a, 'one-c', 10 * R, 0)).toThrow(/empty/);
  });

  it('splits a clip into two that play the same samples', () => {
    let a = album3();
    a = setClipFades(a, 'one-c', { fadeInSamples: 1000, fadeOutSamples: 2000 });
    const { album, newClipId } = splitClip(a, 'one-c', 4 * R, 'tail');
    const [head, tail] = album.tracks[0].clips;
    expect(newClipId).toBe('tail');
    expect(head).toMatchObject({ positionSamples: 0, sourceOffsetSamples: 0, lengthSamples: 4 * R, fadeInSamples: 1000, fadeOutSamples: 0 });
    expect(tail).toMatchObject({ id: 'tail', positionSamples: 4 * R, sourceOffsetSamples: 4 * R, lengthSamples: 6 * R, fadeInSamples: 0, fadeOutSamples: 2000 });
    expect(() => splitClip(a, 'one-c', 0)).toThrow(/inside the clip/);
  });

  it('sets gain and clamps fades to the clip', () => {
    let a = setClipGain(album3(), 'one-c', -6);
    expect(a.tracks[0].clips[0].gainDb).toBe(-6);
    a = setClipFades(a, 'one-c', { fadeInSamples: 8 * R, fadeOutSamples: 8 * R, fadeOutCurve: 'equalPower' });
    const c = a.tracks[0].clips[0];
    expect(c.fadeInSamples + c.fadeOutSamples).toBe(c.lengthSamples);
    expect(c.fadeOutCurve).toBe('equalPower');
    expect(() => setClipGain(a, 'one-c', NaN)).toThrow();
  });
});

describe('history', () => {
  it('undoes and redoes edits, and a new edit clears the redo list', () => {
    const a = album3();
    let h = createHistory(a);
    h = commit(h, moveTrack(h.present, 'three', 0));
    h = commit(h, setGap(h.present, 'one', 0));
    expect(h.present.tracks.map((t) => t.id)).toEqual(['three', 'one', 'two']);
    h = undo(h);
    expect(h.present.tracks[1].gapBeforeSamples).toBe(2 * R);
    h = undo(h);
    expect(h.present).toBe(a);
    expect(canUndo(h)).toBe(false);
    h = redo(h);
    expect(h.present.tracks[0].id).toBe('three');
    h = commit(h, removeTrack(h.present, 'two'));
    expect(canRedo(h)).toBe(false);
    expect(commit(h, h.present)).toBe(h);
  });
});
