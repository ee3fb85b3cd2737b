import { describe, expect, it } from 'vitest';
import { albumFromDocument, albumToDocument, parseAlbumJson, documentSources } from '../../../src/lib/core/album/json';
import { isLatheError } from '../../../src/lib/core/errors';

const R = 44_100;
const SAMPLE = {
  format: 'lathe-album',
  version: 1,
  title: 'Night Drive',
  artist: 'Someone',
  upc: '0012345678905',
  tracks: [
    {
      title: 'Intro',
      performer: 'Someone',
      isrc: 'GB-AYE-00-00001',
      gapBeforeSec: 2,
      clips: [{ source: 'audio/a.wav', positionSec: 0, sourceOffsetSec: 0, lengthSec: 30, gainDb: 0, fadeInSec: 0, fadeOutSec: 0, chain: [] }],
      chain: []
    },
    { title: 'Two', clips: [{ source: 'audio/b.wav' }] }
  ],
  masterChain: [{ plugin: 'lathe.limiter', params: { ceilingDbtp: -1 }, bypass: false }]
};
const assets = new Map([
  ['audio/a.wav', { id: 'A', rateHz: R, frames: 40 * R }],
  ['audio/b.wav', { id: 'B', rateHz: 48_000, frames: 48_000 * 10 }]
]);

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(isLatheError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('album.json', () => {
  it('reads the documented names, with defaults for omitted clip fields', () => {
    const doc = parseAlbumJson(JSON.stringify(SAMPLE));
    expect(documentSources(doc)).toEqual(['audio/a.wav', 'audio/b.wav']);
    const album = albumFromDocument(doc, assets);
    expect(album).toMatchObject({ title: 'Night Drive', artist: 'Someone', upc: '0012345678905', rateHz: R });
    expect(album.tracks[0]).toMatchObject({ title: 'Intro', isrc: 'GBAYE0000001', gapBeforeSamples: 2 * R });
    expect(album.tracks[0].clips[0]).toMatchObject({ assetId: 'A', lengthSamples: 30 * R, positionSamples: 0 });
    // Omitted: position 0, offset 0, the whole source (10 s at 48 kHz is 10 s at the album rate), no gain, no fades.
    expect(album.tracks[1].gapBeforeSamples).toBe(2 * R);
    expect(album.tracks[1].clips[0]).toMatchObject({ assetId: 'B', positionSamples: 0, sourceOffsetSamples: 0, lengthSamples: 10 * R, gainDb: 0, fadeInSamples: 0, fadeOutSamples: 0 });
    expect(album.masterChain).toEqual([{ plugin: 'lathe.limiter', params: { ceilingDbtp: -1 }, state: undefined, bypass: false }]);
  });

  it('round-trips through the document form', () => {
    const album = albumFromDocument(parseAlbumJson(JSON.stringify(SAMPLE)), assets);
    const names: Record<string, string> = { A: 'audio/a.wav', B: 'audio/b.wav' };
    const again = albumFromDocument(parseAlbumJson(JSON.stringify(albumToDocument(album, (id) => names[id]))), assets);
    const strip = (a: typeof album) => JSON.stringify({ ...a, id: '', tracks: a.tracks.map((t) => ({ ...t, id: '', clips: t.clips.map((c) => ({ ...c, id: '' })) })) });
    expect(strip(again)).toBe(strip(album));
  });

  it('refuses bad documents, saying what is wrong and where', () => {
    expect(errorOf(() => parseAlbumJson('{"format":', 'x/album.json'))).toMatch(/^x\/album\.json: not valid JSON/);
    expect(errorOf(() => parseAlbumJson(JSON.stringify({ ...SAMPLE, format: 'other' })))).toMatch(/format: format must be "lathe-album"/);
    expect(errorOf(() => parseAlbumJson(JSON.stringify({ ...SAMPLE, version: 2 })))).toMatch(/version: this Lathe reads album.json up to version 1/);
    const bad = structuredClone(SAMPLE) as any;
    bad.tracks[1].clips[0].gainDb = 'loud';
    bad.tracks[0].gapBeforeSec = -1;
    const msg = errorOf(() => parseAlbumJson(JSON.stringify(bad)));
    expect(msg).toMatch(/tracks\[1\]\.clips\[0\]\.gainDb/);
    expect(msg).toMatch(/tracks\[0\]\.gapBeforeSec/);
    bad.tracks[0].clips[0].source = 'https://example.com/a.wav';
    expect(errorOf(() => parseAlbumJson(JSON.stringify(bad)))).toMatch(/tracks\[0\]\.clips\[0\]\.source: the source must be a path relative/);
    expect(errorOf(() => parseAlbumJson(JSON.stringify({ ...SAMPLE, tracks: [{ title: 'x', clips: [] }] })))).toMatch(/tracks\[0\]\.clips: a track needs at least one clip/);
  });

  it('refuses clips that do not fit their source, or sources that are missing', () => {
    const long = structuredClone(SAMPLE);
    (long.tracks[0].clips[0] as { lengthSec?: number }).lengthSec = 41;
    expect(errorOf(() => albumFromDocument(parseAlbumJson(JSON.stringify(long)), assets))).toMatch(/tracks\[0\]\.clips\[0\]: the clip runs past the end of audio\/a\.wav/);
    expect(errorOf(() => albumFromDocument(parseAlbumJson(JSON.stringify(SAMPLE)), new Map()))).toMatch(/the source audio\/a\.wav was not found/);
  });

  it('takes a choice parameter by its name or its index, and writes names', () => {
    const doc = structuredClone(SAMPLE) as any;
    doc.masterChain = [{ plugin: 'lathe.eq', params: { band1Type: 'bell', band1GainDb: -3, band2Type: 3, linearPhase: 'on' } }];
    const album = albumFromDocument(parseAlbumJson(JSON.stringify(doc)), assets);
    // bell is the second of off, bell, lowShelf, highShelf...; index 3 is highShelf.
    expect(album.masterChain[0].params).toEqual({ band1Type: 1, band1GainDb: -3, band2Type: 3, linearPhase: 1 });
    const written = albumToDocument(album, (id) => ({ A: 'audio/a.wav', B: 'audio/b.wav' })[id] as string);
    expect(written.masterChain[0].params).toEqual({ band1Type: 'bell', band1GainDb: -3, band2Type: 'highShelf', linearPhase: 'on' });
  });

  it('refuses an unknown choice, naming the slot and the valid choices', () => {
    const doc = structuredClone(SAMPLE) as any;
    doc.tracks[1].chain = [{ plugin: 'lathe.limiter', params: {} }, { plugin: 'lathe.eq', params: { band1Type: 'belll' } }];
    expect(errorOf(() => albumFromDocument(parseAlbumJson(JSON.stringify(doc), 'x.json'), assets, 'x.json'))).toBe(
      'x.json: tracks[1].chain[1].params.band1Type: "belll" is not a choice of lathe.eq band1Type; the choices are off, bell, lowShelf, highShelf, lowPass, highPass.'
    );
    doc.tracks[1].chain = [{ plugin: 'lathe.eq', params: { band1Type: 9 } }];
    expect(errorOf(() => albumFromDocument(parseAlbumJson(JSON.stringify(doc)), assets))).toMatch(/tracks\[1\]\.chain\[0\]\.params\.band1Type: 9 is not a choice of band1Type/);
    doc.tracks[1].chain = [{ plugin: 'lathe.eq', params: { band1GainDb: 'loud' } }];
    expect(errorOf(() => albumFromDocument(parseAlbumJson(JSON.stringify(doc)), assets))).toMatch(/band1GainDb: lathe\.eq band1GainDb is a number \(dB, -24 to 24\), not a choice/);
    doc.tracks[1].chain = [{ plugin: 'https://example.com/wam/index.js', params: { mode: 'fast' } }];
    expect(errorOf(() => albumFromDocument(parseAlbumJson(JSON.stringify(doc)), assets))).toMatch(/params\.mode: "fast" is a name, and only Lathe's own plugins have named choices here/);
  });
});
