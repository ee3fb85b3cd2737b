/** A key for what a track sounds like: equal keys mean the same samples, so cached results stay valid. */
import type { Album } from '../album/model';
import { layoutAlbum } from '../album/timeline';
import { sha256Hex } from '../hash';

export function trackKey(album: Album, trackIndex: number): Promise<string> {
  const layout = layoutAlbum(album);
  const span = layout.tracks[trackIndex];
  // Every clip that sounds inside the track's span (a segue brings in a neighbour's), placed relative to it.
  const clips = album.tracks.flatMap((t, i) => {
    const start = layout.tracks[i].index01Samples;
    return t.clips
      .filter((c) => start + c.positionSamples < span.nextStartSamples && start + c.positionSamples + c.lengthSamples > span.index01Samples)
      .map(({ id: _id, ...c }) => ({ ...c, at: start + c.positionSamples - span.index01Samples, chain: [...t.chain, ...c.chain] }));
  });
  // An immersive album's track is measured as its fold-down on the monitor layout.
  const payload = JSON.stringify({ rate: album.rateHz, length: span.lengthSamples, clips, ...(album.immersive ? { immersive: album.immersive } : {}) });
  return sha256Hex(payload);
}
