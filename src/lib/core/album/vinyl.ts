/**
 * Vinyl: formats with their side times and the level a cut carries at a length (../shared/
 * DOMAIN.md), the side split (as the person placed the tracks, or automatically), and the cutting
 * chain built from first-party kernels.
 */
import { LatheError } from '../errors';
import type { Album, Chain, VinylFormatId, VinylSettings } from './model';
import { layoutAlbum, type AlbumLayout } from './timeline';
import { LIMITER_INFO } from '../dsp/limiter';
import { EQ_TYPES } from '../dsp/eq';

export interface VinylFormat {
  id: VinylFormatId;
  name: string;
  /** Beyond this a side loses level and low end; up to it is optimal. */
  recommendedSec: number;
  maxSec: number;
  /** Level the cut carries against side length, relative to a standard reference: [minutes, dB]. */
  levels: [number, number][] | null;
}

const m = (min: number, sec = 0) => min * 60 + sec;

export const VINYL_FORMATS: readonly VinylFormat[] = [
  { id: '12-33', name: '12" LP at 33 1/3 rpm', recommendedSec: m(23), maxSec: m(26), levels: [[14, 4], [18, 2], [20, 1], [22, 0], [24, -1]] },
  { id: '12-45', name: '12" at 45 rpm', recommendedSec: m(15), maxSec: m(18), levels: null },
  { id: '10-33', name: '10" at 33 1/3 rpm', recommendedSec: m(13, 30), maxSec: m(13, 30), levels: null },
  { id: '10-45', name: '10" at 45 rpm', recommendedSec: m(10), maxSec: m(10), levels: null },
  { id: '7-33', name: '7" at 33 1/3 rpm', recommendedSec: m(6, 40), maxSec: m(7), levels: null },
  { id: '7-45', name: '7" single at 45 rpm', recommendedSec: m(5), maxSec: m(5), levels: [[3, 3], [4, 1], [5, 0]] }
];

export function vinylFormat(id: VinylFormatId): VinylFormat {
  return VINYL_FORMATS.find((f) => f.id === id) as VinylFormat;
}

export function vinylSettings(album: Album): VinylSettings {
  return { format: '12-33', sides: null, ellipticalHz: 0, monoBelowHz: 0, highPassHz: 0, limiter: true, ...album.variants?.vinyl };
}

/**
 * The level a side of this length carries, in dB against the reference, interpolated in the
 * format's table and, past its end, 1 dB less per extra minute; null where no table is published.
 */
export function levelForLength(format: VinylFormat, sec: number): number | null {
  const t = format.levels;
  if (!t) return null;
  const min = sec / 60;
  if (min <= t[0][0]) return t[0][1];
  for (let i = 1; i < t.length; i++) {
    if (min <= t[i][0]) {
      const [m0, d0] = t[i - 1];
      const [m1, d1] = t[i];
      return Math.round((d0 + ((d1 - d0) * (min - m0)) / (m1 - m0)) * 10) / 10;
    }
  }
  const [mLast, dLast] = t[t.length - 1];
  return Math.round((dLast - (min - mLast)) * 10) / 10;
}

export const sideLetter = (i: number) => String.fromCharCode(65 + i);

/** Each track's span on vinyl: from its INDEX 01 to its audio's end (the pause after it stays on the side). */
export function trackSpans(album: Album, layout: AlbumLayout = layoutAlbum(album)): { startSamples: number; endSamples: number }[] {
  return layout.tracks.map((t, i) => {
    const ends = album.tracks[i].clips.map((c) => t.index01Samples + c.positionSamples + c.lengthSamples);
    return { startSamples: t.index01Samples, endSamples: Math.max(t.index01Samples, ...ends) };
  });
}

export interface Side {
  letter: string;
  trackIndexes: number[];
  startSamples: number;
  endSamples: number;
  durationSec: number;
  /** Over the format's recommended time, over its maximum. */
  overRecommended: boolean;
  overMax: boolean;
  levelDb: number | null;
}

/** Side durations from consecutive runs of tracks: first track's INDEX 01 to the last one's end. */
function sidesOf(album: Album, groups: number[][], format: VinylFormat): Side[] {
  const spans = trackSpans(album);
  const rate = album.rateHz;
  return groups.map((g, i) => {
    const start = spans[g[0]].startSamples;
    const end = spans[g[g.length - 1]].endSamples;
    const sec = (end - start) / rate;
    return { letter: sideLetter(i), trackIndexes: g, startSamples: start, endSamples: end, durationSec: sec, overRecommended: sec > format.recommendedSec, overMax: sec > format.maxSec, levelDb: levelForLength(format, sec) };
  });
}

/**
 * Splits the album in order into the fewest sides (two at least, an even number) that each keep
 * within the format's recommended time, as even as can be; past that, within its maximum.
 */
export function autoSides(album: Album, format: VinylFormat): number[][] {
  const spans = trackSpans(album);
  const n = spans.length;
  if (n === 0) throw new LatheError('no-tracks', 'the album has no tracks to cut.');
  const rate = album.rateHz;
  const len = (a: number, b: number) => (spans[b].endSamples - spans[a].startSamples) / rate;
  // best[k][j]: the smallest longest side splitting tracks 0..j-1 into k sides, and where the last one starts.
  const split = (k: number) => {
    const best = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(Infinity));
    const from = Array.from({ length: k + 1 }, () => new Array<number>(n + 1).fill(0));
    best[0][0] = 0;
    for (let s = 1; s <= k; s++) {
      for (let j = 1; j <= n; j++) {
        for (let i = s - 1; i < j; i++) {
          const v = Math.max(best[s - 1][i], len(i, j - 1));
          if (v < best[s][j]) ((best[s][j] = v), (from[s][j] = i));
        }
      }
    }
    const groups: number[][] = [];
    for (let s = k, j = n; s > 0; s--) {
      const i = from[s][j];
      groups.unshift(Array.from({ length: j - i }, (_, t) => i + t));
      j = i;
    }
    return { longest: best[k][n], groups };
  };
  for (const limit of [format.recommendedSec, format.maxSec]) {
    for (let k = 2; k <= Math.max(2, n); k += 2) {
      if (k > n) break;
      const r = split(k);
      if (r.longest <= limit) return r.groups;
    }
  }
  // Nothing fits even at its maximum: the most even split there is, its sides reported over time.
  return split(n >= 2 ? n - (n % 2) : 1).groups;
}

/** The sides as the person placed them (checked: in album order, every track once), or split automatically. */
export function vinylSides(album: Album, settings: VinylSettings = vinylSettings(album)): Side[] {
  const format = vinylFormat(settings.format);
  if (!settings.sides) return sidesOf(album, autoSides(album, format), format);
  const index = new Map(album.tracks.map((t, i) => [t.id, i]));
  const groups = settings.sides.map((side, s) =>
    side.map((id) => {
      const i = index.get(id);
      if (i === undefined) throw new LatheError('bad-value', `side ${sideLetter(s)} names a track that is not in the album.`);
      return i;
    })
  );
  const flat = groups.flat();
  if (flat.length !== album.tracks.length || flat.some((t, k) => t !== k)) {
    throw new LatheError('bad-value', 'the sides must hold every track once, in album order (move tracks in the album to reorder them).');
  }
  if (groups.some((g) => g.length === 0)) throw new LatheError('bad-value', 'a side has no tracks.');
  return sidesOf(album, groups, format);
}

/**
 * The master chain as the cut gets it: the final limiter left out on request, then the
 * elliptical EQ and mono-below (the imager's kernel) and the high-pass (the EQ's).
 */
export function vinylChain(master: Chain, s: VinylSettings): Chain {
  const active = master.map((slot, i) => [slot, i] as const).filter(([slot]) => !slot.bypass);
  const last = active.at(-1);
  const chain = !s.limiter && last && last[0].plugin === LIMITER_INFO.id ? master.filter((_, i) => i !== last[1]) : [...master];
  // The elliptical EQ is a high-pass on the Side: the imager's Side high-pass (two Butterworth sections).
  if (s.ellipticalHz > 0) chain.push({ plugin: 'lathe.imager', params: { monoBelowHz: s.ellipticalHz }, bypass: false });
  if (s.monoBelowHz > 0) chain.push({ plugin: 'lathe.imager', params: { monoBelowHz: s.monoBelowHz }, bypass: false });
  if (s.highPassHz > 0) chain.push({ plugin: 'lathe.eq', params: { band1Type: EQ_TYPES.indexOf('highPass'), band1FreqHz: s.highPassHz, band1Q: 0.707 }, bypass: false });
  return chain;
}

/**
 * The album with track `index` moved to side `side` (0 = A), the others kept in album order:
 * earlier tracks stay on that side or before it, later ones on it or after it; empty sides close up.
 */
export function moveTrackToSide(album: Album, index: number, side: number): Album {
  const sideOf = new Array<number>(album.tracks.length);
  vinylSides(album).forEach((s, k) => s.trackIndexes.forEach((t) => (sideOf[t] = k)));
  sideOf[index] = side;
  for (let j = index + 1; j < sideOf.length; j++) sideOf[j] = Math.max(sideOf[j], side);
  for (let j = 0; j < index; j++) sideOf[j] = Math.min(sideOf[j], side);
  const groups: string[][] = [];
  let last = -1;
  sideOf.forEach((s, t) => {
    if (s !== last) groups.push([]);
    last = s;
    groups[groups.length - 1].push(album.tracks[t].id);
  });
  return { ...album, variants: { ...album.variants, vinyl: { ...album.variants?.vinyl, sides: groups } } };
}
