/** album.json: the model's JSON form (format `lathe-album`), validated on every load. */
import * as v from 'valibot';
import { LatheError } from '../errors';
import type { Album, Chain, Clip, Track } from './model';
import { BED_LAYOUTS, LAYOUT_IDS } from '../spatial/layouts';
import type { ClipSpatial } from '../spatial/types';
import { assetLengthAtRate, createAlbum, createClip, createTrack, DEFAULT_GAP_SEC, DEFAULT_RATE_HZ, newId } from './model';
import { samplesToSec, secToSamples } from './timeline';
import { parseUpc } from '../metadata/upc';
import { CD_TEXT_FIELDS, type CdTextField } from '../metadata/cdtext';
import { firstPartyInfo } from '../dsp/plugins';
import { FADE_CURVES } from '../dsp/fades';
import { paramFromDocument, paramToDocument } from '../dsp/params';

export const ALBUM_FORMAT = 'lathe-album';
export const ALBUM_VERSION = 1;

const finite = v.pipe(v.number(), v.finite());
const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0));
const text = v.optional(v.string(), '');

const SlotSchema = v.object({
  plugin: v.pipe(v.string(), v.minLength(1, 'a plugin id or URL is required')),
  params: v.optional(v.record(v.string(), v.union([finite, v.string()], 'a number, or the name of a choice')), {}),
  state: v.optional(v.unknown()),
  bypass: v.optional(v.boolean(), false),
  manualLatencySamples: v.optional(v.pipe(v.number(), v.integer('a whole number of samples'), v.minValue(0, '0 or more'))),
  latencyOverrideSamples: v.optional(v.pipe(v.number(), v.integer('a whole number of samples'), v.minValue(0, '0 or more')))
});
const ChainSchema = v.optional(v.array(SlotSchema), []);
const CurveSchema = v.optional(v.picklist(FADE_CURVES as FadeCurveTuple), 'linear');
type FadeCurveTuple = ['linear', 'equalPower', 'sCurve', 'exponential'];

const SourceSchema = v.pipe(
  v.string(),
  v.minLength(1, 'the source path is empty'),
  v.check((s) => !/^([a-z][a-z0-9+.-]*:|\/|\\)/i.test(s), 'the source must be a path relative to album.json')
);

const unit = v.pipe(v.number(), v.minValue(-1, '-1 to 1'), v.maxValue(1, '-1 to 1'));
const height = v.pipe(v.number(), v.minValue(0, '0 (ear level) to 1 (ceiling)'), v.maxValue(1, '0 (ear level) to 1 (ceiling)'));

const ClipSchema = v.object({
  source: SourceSchema,
  // Negative: the clip starts before INDEX 01, in the track's pause (a hidden track, applause).
  positionSec: v.optional(finite, 0),
  sourceOffsetSec: v.optional(nonNegative, 0),
  lengthSec: v.optional(v.pipe(v.number(), v.finite(), v.gtValue(0, 'a clip must be longer than 0 s'))),
  gainDb: v.optional(finite, 0),
  fadeInSec: v.optional(nonNegative, 0),
  fadeOutSec: v.optional(nonNegative, 0),
  fadeInCurve: CurveSchema,
  fadeOutCurve: CurveSchema,
  muted: v.optional(v.boolean(), false),
  chain: ChainSchema,
  /** Immersive albums: the clip is a bed on this layout's speakers... */
  bed: v.optional(v.picklist(BED_LAYOUTS, `a bed layout: ${BED_LAYOUTS.join(', ')}`)),
  /** ...or an object at a position in the room cube. */
  object: v.optional(
    v.strictObject({
      x: v.optional(unit, 0),
      y: v.optional(unit, 0),
      z: v.optional(height, 0),
      gainDb: v.optional(v.pipe(v.number(), v.finite(), v.maxValue(12, 'at most +12 dB')), 0),
      size: v.optional(v.pipe(v.number(), v.minValue(0, '0 (a point) to 1'), v.maxValue(1, '0 (a point) to 1')), 0),
      keyframes: v.optional(v.array(v.strictObject({ atSec: nonNegative, x: v.optional(unit, 0), y: v.optional(unit, 0), z: v.optional(height, 0), jump: v.optional(v.boolean(), false) })), [])
    })
  )
});

const FormatsSchema = v.pipe(v.array(v.picklist(['wav', 'flac'], 'wav or flac')), v.minLength(1, 'at least one format'));

const TEXT_ENTRIES = Object.fromEntries(CD_TEXT_FIELDS.map((f) => [f, text])) as Record<CdTextField, typeof text>;

const TrackSchema = v.object({
  ...TEXT_ENTRIES,
  isrc: text,
  gapBeforeSec: v.optional(nonNegative, DEFAULT_GAP_SEC),
  overlapSec: v.optional(nonNegative, 0),
  indexMarksSec: v.optional(v.array(nonNegative), []),
  indexMarkNames: v.optional(v.array(text)),
  flags: v.optional(v.object({ preEmphasis: v.optional(v.boolean(), false), copyPermitted: v.optional(v.boolean(), false) }), {}),
  clips: v.pipe(v.array(ClipSchema), v.minLength(1, 'a track needs at least one clip')),
  chain: ChainSchema
});

export const AlbumDocumentSchema = v.object({
  format: v.literal(ALBUM_FORMAT, `format must be "${ALBUM_FORMAT}"`),
  version: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(ALBUM_VERSION, `this Lathe reads album.json up to version ${ALBUM_VERSION}`)),
  title: text,
  artist: text,
  songwriter: text,
  composer: text,
  arranger: text,
  message: text,
  upc: text,
  catalog: text,
  rateHz: v.optional(v.pipe(v.number(), v.integer(), v.minValue(8000), v.maxValue(768000)), DEFAULT_RATE_HZ),
  markLeadFrames: v.optional(v.pipe(v.number(), v.integer('a whole number of CD frames'), v.minValue(0, '0 or more'), v.maxValue(75, 'at most 75 (1 s)')), 0),
  year: v.optional(v.pipe(v.string(), v.regex(/^(\d{4})?$/, 'a year of four digits'))),
  copyright: v.optional(v.string()),
  /** A square JPEG or PNG, relative to album.json, for the masters' tags. */
  artwork: v.optional(SourceSchema),
  /** An immersive album: clips are beds and objects, mixed and monitored on this layout. */
  immersive: v.optional(v.strictObject({ monitor: v.optional(v.picklist(LAYOUT_IDS, `a layout: ${LAYOUT_IDS.join(', ')}`), '7.1.4') })),
  variants: v.optional(
    v.strictObject({
      streaming: v.optional(
        v.strictObject({
          formats: v.optional(FormatsSchema),
          targetLufs: v.optional(v.nullable(v.pipe(v.number(), v.finite(), v.minValue(-40, 'at least -40 LUFS'), v.maxValue(-5, 'at most -5 LUFS')))),
          cd16: v.optional(v.boolean()),
          codecCheck: v.optional(v.boolean())
        })
      ),
      hires: v.optional(v.strictObject({ formats: v.optional(FormatsSchema) })),
      vinyl: v.optional(
        v.strictObject({
          format: v.optional(v.picklist(['12-33', '12-45', '10-33', '10-45', '7-33', '7-45'], 'one of 12-33, 12-45, 10-33, 10-45, 7-33, 7-45')),
          /** Track numbers (1-based) per side, e.g. [[1, 2, 3], [4, 5]]. */
          sides: v.optional(v.nullable(v.array(v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(1))), v.minLength(1, 'a side needs a track'))))),
          ellipticalHz: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(500, 'at most 500 Hz'))),
          monoBelowHz: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(500, 'at most 500 Hz'))),
          highPassHz: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(60, 'at most 60 Hz'))),
          limiter: v.optional(v.boolean())
        })
      )
    })
  ),
  tracks: v.array(TrackSchema),
  masterChain: ChainSchema
});

export type AlbumDocument = v.InferOutput<typeof AlbumDocumentSchema>;
export type AlbumDocumentInput = v.InferInput<typeof AlbumDocumentSchema>;

function issuePath(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  }
  return out || '(top level)';
}

/** Parses and validates album.json text; errors name the file and the field. */
export function parseAlbumJson(textIn: string, fileName = 'album.json'): AlbumDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(textIn);
  } catch (e) {
    throw new LatheError('bad-json', `not valid JSON (${(e as Error).message}).`, { file: fileName });
  }
  const result = v.safeParse(AlbumDocumentSchema, raw);
  if (!result.success) {
    const lines = result.issues.slice(0, 5).map((i) => `${issuePath(i)}: ${i.message}`);
    const more = result.issues.length > 5 ? ` (and ${result.issues.length - 5} more)` : '';
    throw new LatheError('bad-album', `${lines.join('; ')}${more}`, { file: fileName });
  }
  return result.output;
}

export interface SourceAsset {
  id: string;
  rateHz: number;
  frames: number;
}

/** A chain from its document form; choice parameters may be given by name. `where` names it in errors. */
function chainFromDoc(chain: AlbumDocument['masterChain'], where: string, fileName: string): Chain {
  return chain.map((s, i) => {
    const info = firstPartyInfo(s.plugin);
    const params: Record<string, number> = {};
    for (const [id, value] of Object.entries(s.params)) {
      try {
        params[id] = paramFromDocument(info, id, value);
      } catch (e) {
        throw new LatheError('bad-album', `${where}[${i}].params.${id}: ${(e as Error).message}.`, { file: fileName });
      }
    }
    return { plugin: s.plugin, params, state: s.state, bypass: s.bypass, ...(s.manualLatencySamples ? { manualLatencySamples: s.manualLatencySamples } : {}), ...(s.latencyOverrideSamples !== undefined ? { latencyOverrideSamples: s.latencyOverrideSamples } : {}) };
  });
}

function spatialFromDoc(c: AlbumDocument['tracks'][number]['clips'][number], where: string, rate: number, immersive: boolean, fileName: string): { spatial?: ClipSpatial } {
  if (!c.bed && !c.object) return {};
  if (!immersive) throw new LatheError('bad-album', `${where}: a bed or an object needs an immersive album (add "immersive": { "monitor": "7.1.4" }).`, { file: fileName });
  if (c.bed && c.object) throw new LatheError('bad-album', `${where}: a clip is a bed or an object, not both.`, { file: fileName });
  if (c.bed) return { spatial: { bed: c.bed } };
  const o = c.object as NonNullable<typeof c.object>;
  let last = -1;
  const keyframes = o.keyframes.map((k, i) => {
    const atSamples = secToSamples(k.atSec, rate);
    if (atSamples <= last) throw new LatheError('bad-album', `${where}.object.keyframes[${i}]: keyframes must be in time order, each after the one before.`, { file: fileName });
    last = atSamples;
    return { atSamples, x: k.x, y: k.y, z: k.z, ...(k.jump ? { jump: true } : {}) };
  });
  return { spatial: { object: { x: o.x, y: o.y, z: o.z, gainDb: o.gainDb, size: o.size, keyframes } } };
}

/** Builds the album from a validated document, resolving each clip's source to an asset. */
export function albumFromDocument(doc: AlbumDocument, assets: Map<string, SourceAsset>, fileName = 'album.json'): Album {
  const rate = doc.rateHz;
  const tracks: Track[] = doc.tracks.map((t, ti) => {
    const clips: Clip[] = t.clips.map((c, ci) => {
      const where = `tracks[${ti}].clips[${ci}]`;
      const asset = assets.get(c.source);
      if (!asset) throw new LatheError('missing-source', `${where}: the source ${c.source} was not found.`, { file: fileName });
      const sourceLength = assetLengthAtRate(asset, rate);
      const offset = secToSamples(c.sourceOffsetSec, rate);
      const length = c.lengthSec === undefined ? sourceLength - offset : secToSamples(c.lengthSec, rate);
      if (offset >= sourceLength) throw new LatheError('bad-album', `${where}: sourceOffsetSec is past the end of ${c.source}.`, { file: fileName });
      if (offset + length > sourceLength + 1) {
        throw new LatheError('bad-album', `${where}: the clip runs past the end of ${c.source} (${samplesToSec(sourceLength, rate).toFixed(3)} s).`, { file: fileName });
      }
      return createClip({
        assetId: asset.id,
        positionSamples: secToSamples(c.positionSec, rate),
        sourceOffsetSamples: offset,
        lengthSamples: Math.min(length, sourceLength - offset),
        gainDb: c.gainDb,
        fadeInSamples: secToSamples(c.fadeInSec, rate),
        fadeOutSamples: secToSamples(c.fadeOutSec, rate),
        fadeInCurve: c.fadeInCurve,
        fadeOutCurve: c.fadeOutCurve,
        muted: c.muted,
        chain: chainFromDoc(c.chain, `${where}.chain`, fileName),
        ...spatialFromDoc(c, where, rate, doc.immersive !== undefined, fileName)
      });
    });
    return createTrack(rate, {
      ...pickText(t),
      isrc: t.isrc.replace(/-/g, '').toUpperCase(),
      gapBeforeSamples: secToSamples(t.gapBeforeSec, rate),
      overlapSamples: secToSamples(t.overlapSec, rate),
      indexMarksSamples: t.indexMarksSec.map((s) => secToSamples(s, rate)),
      ...(t.indexMarkNames?.some(Boolean) ? { indexMarkNames: t.indexMarksSec.map((_, i) => t.indexMarkNames?.[i] ?? '') } : {}),
      flags: { preEmphasis: t.flags.preEmphasis, copyPermitted: t.flags.copyPermitted },
      clips,
      chain: chainFromDoc(t.chain, `tracks[${ti}].chain`, fileName)
    });
  });
  return createAlbum({
    id: newId(),
    title: doc.title,
    artist: doc.artist,
    songwriter: doc.songwriter,
    composer: doc.composer,
    arranger: doc.arranger,
    message: doc.message,
    upc: normalizedUpc(doc.upc),
    catalog: doc.catalog,
    rateHz: rate,
    markLeadFrames: doc.markLeadFrames,
    tracks,
    masterChain: chainFromDoc(doc.masterChain, 'masterChain', fileName),
    ...(doc.year ? { year: doc.year } : {}),
    ...(doc.copyright ? { copyright: doc.copyright } : {}),
    ...(doc.artwork ? { artwork: doc.artwork } : {}),
    ...(doc.variants ? { variants: variantsFromDoc(doc.variants, tracks, fileName) } : {}),
    ...(doc.immersive ? { immersive: { monitor: doc.immersive.monitor } } : {})
  });
}

function pickText(t: Record<CdTextField, string>): Record<CdTextField, string> {
  return Object.fromEntries(CD_TEXT_FIELDS.map((f) => [f, t[f]])) as Record<CdTextField, string>;
}

/** A valid UPC-A or EAN-13 as its EAN-13; anything else is kept as typed, for the checks to report. */
function normalizedUpc(upc: string): string {
  try {
    return upc ? parseUpc(upc) : '';
  } catch {
    return upc;
  }
}

const sec = (samples: number, rate: number) => Math.round(samplesToSec(samples, rate) * 1e6) / 1e6;

function chainToDoc(chain: Chain): AlbumDocument['masterChain'] {
  return chain.map((s) => ({
    plugin: s.plugin,
    params: Object.fromEntries(Object.entries(s.params).map(([id, value]) => [id, paramToDocument(firstPartyInfo(s.plugin), id, value)])),
    ...(s.state === undefined ? {} : { state: s.state }),
    bypass: s.bypass,
    ...(s.manualLatencySamples ? { manualLatencySamples: s.manualLatencySamples } : {}),
    ...(s.latencyOverrideSamples !== undefined ? { latencyOverrideSamples: s.latencyOverrideSamples } : {})
  }));
}

/** The document form of an album; `sourceOf` names each asset's file relative to album.json. */
export function albumToDocument(album: Album, sourceOf: (assetId: string) => string): AlbumDocument {
  const r = album.rateHz;
  return {
    format: ALBUM_FORMAT,
    version: ALBUM_VERSION,
    title: album.title,
    artist: album.artist,
    songwriter: album.songwriter,
    composer: album.composer,
    arranger: album.arranger,
    message: album.message,
    upc: album.upc,
    catalog: album.catalog,
    rateHz: r,
    markLeadFrames: album.markLeadFrames,
    tracks: album.tracks.map((t) => ({
      ...pickText(t),
      isrc: t.isrc,
      gapBeforeSec: sec(t.gapBeforeSamples, r),
      overlapSec: sec(t.overlapSamples, r),
      indexMarksSec: t.indexMarksSamples.map((s) => sec(s, r)),
      ...(t.indexMarkNames?.some(Boolean) ? { indexMarkNames: t.indexMarksSamples.map((_, i) => t.indexMarkNames?.[i] ?? '') } : {}),
      flags: { ...t.flags },
      clips: t.clips.map((c) => ({
        source: sourceOf(c.assetId),
        positionSec: sec(c.positionSamples, r),
        sourceOffsetSec: sec(c.sourceOffsetSamples, r),
        lengthSec: sec(c.lengthSamples, r),
        gainDb: c.gainDb,
        fadeInSec: sec(c.fadeInSamples, r),
        fadeOutSec: sec(c.fadeOutSamples, r),
        fadeInCurve: c.fadeInCurve,
        fadeOutCurve: c.fadeOutCurve,
        muted: c.muted,
        chain: chainToDoc(c.chain),
        ...(c.spatial ? spatialToDoc(c.spatial, album.rateHz) : {})
      })),
      chain: chainToDoc(t.chain)
    })),
    masterChain: chainToDoc(album.masterChain),
    ...(album.year ? { year: album.year } : {}),
    ...(album.copyright ? { copyright: album.copyright } : {}),
    ...(album.artwork ? { artwork: album.artwork } : {}),
    ...(album.variants ? { variants: variantsToDoc(album) } : {}),
    ...(album.immersive ? { immersive: { monitor: album.immersive.monitor } } : {})
  };
}

function spatialToDoc(s: ClipSpatial, rate: number) {
  if ('bed' in s) return { bed: s.bed };
  const o = s.object;
  return { object: { x: o.x, y: o.y, z: o.z, gainDb: o.gainDb, size: o.size, keyframes: o.keyframes.map((k) => ({ atSec: samplesToSec(k.atSamples, rate), x: k.x, y: k.y, z: k.z, jump: !!k.jump })) } };
}

/** Vinyl sides name tracks by number in album.json, by id in the model. */
function variantsFromDoc(d: NonNullable<AlbumDocument['variants']>, tracks: Track[], fileName: string): Album['variants'] {
  const { vinyl, ...rest } = d;
  if (!vinyl) return rest;
  const { sides, ...v2 } = vinyl;
  if (!sides) return { ...rest, vinyl: { ...v2, ...(sides === null ? { sides: null } : {}) } };
  const seen = new Set<number>();
  const ids = sides.map((side, s) =>
    side.map((n) => {
      if (n > tracks.length) throw new LatheError('bad-album', `variants.vinyl.sides[${s}]: there is no track ${n}.`, { file: fileName });
      if (seen.has(n)) throw new LatheError('bad-album', `variants.vinyl.sides[${s}]: track ${n} is on two sides.`, { file: fileName });
      seen.add(n);
      return tracks[n - 1].id;
    })
  );
  if (seen.size !== tracks.length) throw new LatheError('bad-album', `variants.vinyl.sides: every track must be on a side; ${tracks.map((_, i) => i + 1).filter((n) => !seen.has(n)).join(', ')} ${tracks.length - seen.size > 1 ? 'are' : 'is'} not.`, { file: fileName });
  return { ...rest, vinyl: { ...v2, sides: ids } };
}

function variantsToDoc(album: Album): AlbumDocument['variants'] {
  const { vinyl, ...rest } = album.variants ?? {};
  if (!vinyl) return rest as AlbumDocument['variants'];
  const { sides, ...v2 } = vinyl;
  const number = (id: string) => album.tracks.findIndex((t) => t.id === id) + 1;
  return { ...rest, vinyl: { ...v2, ...(sides ? { sides: sides.map((side) => side.map(number)) } : sides === null ? { sides: null } : {}) } } as AlbumDocument['variants'];
}

/** Every distinct clip source named in a document, in order of first use. */
export function documentSources(doc: AlbumDocument): string[] {
  const seen = new Set<string>();
  for (const t of doc.tracks) for (const c of t.clips) seen.add(c.source);
  return [...seen];
}
