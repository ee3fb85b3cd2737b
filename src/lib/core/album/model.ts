/** The album model. Positions and lengths are integer samples at the album rate. */
import type { SampleEncoding } from '../audio/pcm';
import type { FadeCurve } from '../dsp/fades';
import { CD_TEXT_FIELDS, type CdTextField } from '../metadata/cdtext';

export type { SampleEncoding, FadeCurve };

export interface ChainSlot {
  /** A first-party id (`lathe.eq`) or a WAM module URL. */
  plugin: string;
  params: Record<string, number>;
  state?: unknown;
  bypass: boolean;
  /** Added to the latency the plugin reports (some report none). */
  manualLatencySamples?: number;
  /**
   * Compensated instead of what the plugin reports: the latency Lathe measured, chosen by the
   * person where the two differ (the ParamMgr SDK reports 128 samples for audio it does not delay).
   */
  latencyOverrideSamples?: number;
}

export type Chain = ChainSlot[];

export interface Clip {
  id: string;
  assetId: string;
  /** Start of the clip relative to the track's INDEX 01. */
  positionSamples: number;
  /** Where in the asset the clip starts, in samples at the album rate. */
  sourceOffsetSamples: number;
  lengthSamples: number;
  gainDb: number;
  fadeInSamples: number;
  fadeOutSamples: number;
  fadeInCurve: FadeCurve;
  fadeOutCurve: FadeCurve;
  muted: boolean;
  chain: Chain;
  /** In an immersive album: a bed or an object (absent: a stereo bed pair). */
  spatial?: import('../spatial/types').ClipSpatial;
}

export interface CdFlags {
  preEmphasis: boolean;
  copyPermitted: boolean;
}

/** A track's (or the album's) CD-Text fields; empty when not given. */
export type TextFields = Record<CdTextField, string>;

export interface Track extends TextFields {
  id: string;
  /** 12 characters without dashes, or empty. */
  isrc: string;
  /** The pause before the track's INDEX 01. */
  gapBeforeSamples: number;
  /** How far the track starts before the previous one ends (a segue); 0 for none. */
  overlapSamples: number;
  /** Extra index marks (INDEX 02...) relative to INDEX 01. */
  indexMarksSamples: number[];
  /** Names of the index marks, in the same order (empty for unnamed); the CD does not carry them. */
  indexMarkNames?: string[];
  flags: CdFlags;
  clips: Clip[];
  chain: Chain;
}

/** The file formats a lossless master is written in. */
export type MasterFormat = 'wav' | 'flac';

/** Streaming masters: one file per track. */
export interface StreamingSettings {
  formats: MasterFormat[];
  /** Album loudness the masters are brought to by one linear gain; null leaves the level alone. */
  targetLufs: number | null;
  /** A 16-bit 44.1 kHz set beside the 24-bit one (dithered). */
  cd16: boolean;
  /** Encode each track as the platforms do, decode it, and report overs and loudness change. */
  codecCheck: boolean;
}

export interface HiresSettings {
  formats: MasterFormat[];
}

export type VinylFormatId = '12-33' | '12-45' | '10-33' | '10-45' | '7-33' | '7-45';

/** The vinyl pre-master: sides, and the cutting chain after the master chain. */
export interface VinylSettings {
  format: VinylFormatId;
  /** Track ids per side (A, B, C...), as the person placed them; null splits automatically. */
  sides: string[][] | null;
  /** Elliptical EQ: the Side signal high-passed below this (0 = off; 75, 150 or 300 Hz are usual). */
  ellipticalHz: number;
  /** Mono below this frequency, the imager's (0 = off). */
  monoBelowHz: number;
  /** A high-pass on both channels (0 = off; 20 to 30 Hz). */
  highPassHz: number;
  /** Keep the master chain's final limiter (some cutting engineers want it left out). */
  limiter: boolean;
}

/** Per-variant settings; anything absent takes its default. */
export interface VariantSettings {
  streaming?: Partial<StreamingSettings>;
  hires?: Partial<HiresSettings>;
  vinyl?: Partial<VinylSettings>;
}

export interface Album extends Omit<TextFields, 'performer'> {
  id: string;
  /** The album's performer (CD-Text performer of the disc). */
  artist: string;
  /** UPC/EAN-13 digits, or empty. */
  upc: string;
  catalog: string;
  rateHz: number;
  /** Track marks (INDEX 01 and index marks) go this many CD frames before the audio, where the pause leaves room. */
  markLeadFrames: number;
  tracks: Track[];
  masterChain: Chain;
  /** Release year (tags), e.g. "2026". */
  year?: string;
  /** Copyright line (tags), e.g. "℗ 2026 Label". */
  copyright?: string;
  /** The cover for the masters' tags: a path beside album.json, or the app's stored image. */
  artwork?: string;
  variants?: VariantSettings;
  /** An immersive album: its clips are beds and objects, mixed on this layout. */
  immersive?: import('../spatial/types').ImmersiveSettings;
}

/** An imported audio file. Its PCM is stored apart, in fixed-size chunks. */
export interface Asset {
  id: string;
  name: string;
  rateHz: number;
  channels: number;
  /** Bits per sample of the source (16, 24, 32, 64...). */
  bitDepth: number;
  sampleFormat: 'int' | 'float';
  /** How the stored chunks encode the samples (interleaved). */
  encoding: SampleEncoding;
  frames: number;
  /** SHA-256 of the imported file, hex. */
  sha256: string;
  /** Source container: wav, rf64, bw64, aiff, flac, mp3... */
  container: string;
  /** The Broadcast Wave `bext` chunk, kept byte for byte (base64), if the source had one. */
  bextBase64?: string;
}

export const DEFAULT_RATE_HZ = 44_100;
/** Red Book: the pause before track 1 is at least 2 s. */
export const DEFAULT_GAP_SEC = 2;

export function emptyChain(): Chain {
  return [];
}

export function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `id-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function textFields(init: Partial<TextFields>, fields: readonly CdTextField[] = CD_TEXT_FIELDS): Partial<TextFields> {
  return Object.fromEntries(fields.map((f) => [f, init[f] ?? ''])) as Partial<TextFields>;
}

export function createAlbum(init: Partial<Album> = {}): Album {
  return {
    ...(textFields(init, CD_TEXT_FIELDS.filter((f) => f !== 'performer')) as Omit<TextFields, 'performer'>),
    id: init.id ?? newId(),
    title: init.title ?? 'Untitled album',
    artist: init.artist ?? '',
    upc: init.upc ?? '',
    catalog: init.catalog ?? '',
    rateHz: init.rateHz ?? DEFAULT_RATE_HZ,
    markLeadFrames: init.markLeadFrames ?? 0,
    tracks: init.tracks ?? [],
    masterChain: init.masterChain ?? [],
    ...(init.year ? { year: init.year } : {}),
    ...(init.copyright ? { copyright: init.copyright } : {}),
    ...(init.artwork ? { artwork: init.artwork } : {}),
    ...(init.variants ? { variants: init.variants } : {}),
    ...(init.immersive ? { immersive: init.immersive } : {})
  };
}

export function createTrack(rateHz: number, init: Partial<Track> = {}): Track {
  return {
    ...(textFields(init) as TextFields),
    id: init.id ?? newId(),
    title: init.title ?? 'Untitled',
    isrc: init.isrc ?? '',
    gapBeforeSamples: init.gapBeforeSamples ?? DEFAULT_GAP_SEC * rateHz,
    overlapSamples: init.overlapSamples ?? 0,
    indexMarksSamples: init.indexMarksSamples ?? [],
    ...(init.indexMarkNames ? { indexMarkNames: init.indexMarkNames } : {}),
    flags: init.flags ?? { preEmphasis: false, copyPermitted: false },
    clips: init.clips ?? [],
    chain: init.chain ?? []
  };
}

export function createClip(init: Partial<Clip> & { assetId: string; lengthSamples: number }): Clip {
  return {
    id: init.id ?? newId(),
    assetId: init.assetId,
    positionSamples: init.positionSamples ?? 0,
    sourceOffsetSamples: init.sourceOffsetSamples ?? 0,
    lengthSamples: init.lengthSamples,
    gainDb: init.gainDb ?? 0,
    fadeInSamples: init.fadeInSamples ?? 0,
    fadeOutSamples: init.fadeOutSamples ?? 0,
    fadeInCurve: init.fadeInCurve ?? 'linear',
    fadeOutCurve: init.fadeOutCurve ?? 'linear',
    muted: init.muted ?? false,
    chain: init.chain ?? [],
    ...(init.spatial ? { spatial: init.spatial } : {})
  };
}

/** Asset length expressed at the album rate. */
export function assetLengthAtRate(asset: Pick<Asset, 'frames' | 'rateHz'>, albumRateHz: number): number {
  if (asset.rateHz === albumRateHz) return asset.frames;
  return Math.round((asset.frames * albumRateHz) / asset.rateHz);
}

/** The same album with every position and length expressed at another rate (rounded to samples). */
export function rescaleAlbum(album: Album, toRateHz: number): Album {
  if (album.rateHz === toRateHz) return album;
  const k = toRateHz / album.rateHz;
  const r = (x: number) => Math.round(x * k);
  return {
    ...album,
    rateHz: toRateHz,
    tracks: album.tracks.map((t) => ({
      ...t,
      gapBeforeSamples: r(t.gapBeforeSamples),
      overlapSamples: r(t.overlapSamples),
      indexMarksSamples: t.indexMarksSamples.map(r),
      clips: t.clips.map((c) => ({
        ...c,
        positionSamples: r(c.positionSamples),
        sourceOffsetSamples: r(c.sourceOffsetSamples),
        lengthSamples: r(c.lengthSamples),
        fadeInSamples: r(c.fadeInSamples),
        fadeOutSamples: r(c.fadeOutSamples),
        ...(c.spatial && 'object' in c.spatial ? { spatial: { object: { ...c.spatial.object, keyframes: c.spatial.object.keyframes.map((f) => ({ ...f, atSamples: r(f.atSamples) })) } } } : {})
      }))
    }))
  };
}
