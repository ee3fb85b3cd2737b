/** A consistency finding's move applied to the album, as one undoable edit. */
import type { Album } from '../album/model';
import { addSlot } from '../album/chains';
import { setClipGain } from '../album/edits';
import { EQ_TYPES } from '../dsp/eq';
import type { ConsistencyFinding } from '../analysis/consistency';

/** Q of a one-octave bell; shelves at the Butterworth slope. */
const OCTAVE_Q = 1.41;

/** Whether a finding carries a move Lathe can make: a gain on the track's clips, or an EQ band on its chain. */
export function canApply(f: ConsistencyFinding): boolean {
  return (f.gainDb !== undefined && f.id !== 'width' && f.id !== 'short-term') || f.eq !== undefined;
}

export function applyFinding(album: Album, f: ConsistencyFinding): Album {
  const track = album.tracks[f.track - 1];
  if (!track || !canApply(f)) return album;
  if (f.eq) {
    const type = EQ_TYPES.indexOf(f.eq.type === 'low-shelf' ? 'lowShelf' : f.eq.type === 'high-shelf' ? 'highShelf' : 'bell');
    return addSlot(album, { kind: 'track', trackId: track.id }, {
      plugin: 'lathe.eq',
      params: { band1Type: type, band1FreqHz: f.eq.freqHz, band1GainDb: f.eq.gainDb, band1Q: f.eq.type === 'bell' ? OCTAVE_Q : Math.SQRT1_2 },
      bypass: false
    });
  }
  let next = album;
  for (const c of track.clips) next = setClipGain(next, c.id, Math.round((c.gainDb + (f.gainDb as number)) * 100) / 100);
  return next;
}
