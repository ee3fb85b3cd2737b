import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { importArchive } from '$lib/web/files/archive';
import { importAudioFile } from '$lib/web/files/import';
import { loadProject } from '$lib/web/store/projects';
import { readAssetFrames } from '$lib/web/store/assets';
import { encodeWav } from '$lib/core/audio/wav';
import { freshDb, sineChannels } from './util';

const R = 44_100;

/** Records the largest Blob the page reads at once, while `work` runs (workers read on their own). */
async function largestRead<T>(work: () => Promise<T>): Promise<{ value: T; largest: number }> {
  const proto = Blob.prototype as unknown as Record<'arrayBuffer' | 'text' | 'bytes', (this: Blob) => Promise<unknown>>;
  const saved = { arrayBuffer: proto.arrayBuffer, text: proto.text, bytes: proto.bytes };
  let largest = 0;
  for (const k of ['arrayBuffer', 'text', 'bytes'] as const) {
    const real = saved[k];
    if (!real) continue;
    proto[k] = function (this: Blob) {
      largest = Math.max(largest, this.size);
      return real.call(this);
    };
  }
  try {
    return { value: await work(), largest };
  } finally {
    Object.assign(proto, saved);
  }
}

describe('.lathe archives import streaming', () => {
  it('opens the archive from its directory and imports each file from its place in it, never reading the archive whole', async () => {
    const a = sineChannels(40 * R, R, 2, 330, 0.4);
    const b = sineChannels(30 * R, R, 2, 550, 0.3);
    const doc = { format: 'lathe-album', version: 1, title: 'Streamed', tracks: [{ title: 'A', clips: [{ source: 'audio/a.wav' }] }, { title: 'B', clips: [{ source: 'audio/b.wav' }] }] };
    const bytes = zipSync({
      'album.json': [strToU8(JSON.stringify(doc)), { level: 6 }],
      'audio/a.wav': [encodeWav(a, { rateHz: R, encoding: 's16le' }), { level: 0 }],
      // A deflated one too, as another tool might write it: inflated as a stream.
      'audio/b.wav': [encodeWav(b, { rateHz: R, encoding: 's16le' }), { level: 1 }]
    });
    expect(bytes.length).toBeGreaterThan(5_000_000);
    const db = freshDb();
    const file = new File([bytes as BlobPart], 'streamed.lathe');
    const { value: id, largest } = await largestRead(() => importArchive(db, file, (f, projectId) => importAudioFile(f, projectId, db.name, () => {})));
    // The page read the archive's directory and headers and the importer's first 64 kB of each
    // file; the audio went to the import worker as slices of the archive (or inflated as a stream).
    expect(largest).toBeLessThanOrEqual(65_557);
    const { album, assets } = await loadProject(db, id);
    expect(album.tracks.map((t) => t.title)).toEqual(['A', 'B']);
    for (const [k, src] of [a, b].entries()) {
      const asset = assets.find((x) => x.id === album.tracks[k].clips[0].assetId)!;
      const back = [new Float32Array(R), new Float32Array(R)];
      await readAssetFrames(db, asset, 10 * R, R, back);
      expect(back[0]).toEqual(src[0].subarray(10 * R, 11 * R));
    }
    db.close();
  });
});
