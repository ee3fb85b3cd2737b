/**
 * Release variants: what each renders and at what rate. Every variant renders with defaults when
 * the album gives no settings: streaming as 24-bit WAV and FLAC at the album rate (44.1 or 48 kHz
 * family), no gain change; hi-res at the album's own rate; vinyl as a 12" LP split automatically.
 */
import { LatheError } from '../errors';
import type { Album, HiresSettings, StreamingSettings, VinylSettings } from './model';

export const VARIANT_IDS = ['cd', 'streaming', 'hires', 'vinyl', 'adm'] as const;
export type VariantId = (typeof VARIANT_IDS)[number];

/** Below this a rate is not hi-res, and a hi-res master is never made by upsampling to it. */
export const HIRES_MIN_RATE_HZ = 88_200;

export function streamingSettings(album: Album): StreamingSettings {
  return { formats: ['wav', 'flac'], targetLufs: null, cd16: false, codecCheck: true, ...album.variants?.streaming };
}

export function hiresSettings(album: Album): HiresSettings {
  return { formats: ['wav', 'flac'], ...album.variants?.hires };
}

/** Streaming masters at the album rate when it is 44.1 or 48 kHz, else that family's base rate. */
export function streamingRateHz(albumRateHz: number): number {
  if (albumRateHz === 44_100 || albumRateHz === 48_000) return albumRateHz;
  if (albumRateHz % 44_100 === 0) return 44_100;
  return 48_000;
}

/**
 * The hi-res master's rate: the album's own, when it and every source are at 88.2 kHz or above.
 * Anything else would be upsampled, which Apple Digital Masters refuses; the reason is given.
 */
export function hiresRate(album: Album, sourceRateHz: (assetId: string) => number, nameOf: (assetId: string) => string = (id) => id): { rateHz: number } | { reason: string } {
  if (album.rateHz < HIRES_MIN_RATE_HZ) return { reason: `the album is at ${album.rateHz / 1000} kHz; a hi-res master needs 88.2 kHz or above and is never upsampled.` };
  for (const t of album.tracks) {
    for (const c of t.clips) {
      const r = sourceRateHz(c.assetId);
      if (r < HIRES_MIN_RATE_HZ) return { reason: `${nameOf(c.assetId)} is at ${r / 1000} kHz; a hi-res master would upsample it.` };
    }
  }
  return { rateHz: album.rateHz };
}

/** "cd,streaming" or "all" as variant ids, refusing unknown names by name. */
export function parseVariants(list: string): VariantId[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.includes('all')) return [...VARIANT_IDS];
  const out: VariantId[] = [];
  for (const n of names) {
    if (!(VARIANT_IDS as readonly string[]).includes(n)) throw new LatheError('bad-variant', `there is no variant "${n}"; choose from ${VARIANT_IDS.join(', ')} or all.`);
    if (!out.includes(n as VariantId)) out.push(n as VariantId);
  }
  if (!out.length) throw new LatheError('bad-variant', 'name at least one variant.');
  return out;
}

/** The album with some streaming or hi-res settings changed (validated as album.json validates them). */
export function setVariantSettings(album: Album, patch: { streaming?: Partial<StreamingSettings>; hires?: Partial<HiresSettings>; vinyl?: Partial<VinylSettings> }): Album {
  const streaming = { ...album.variants?.streaming, ...patch.streaming };
  const hires = { ...album.variants?.hires, ...patch.hires };
  for (const f of [streaming.formats, hires.formats]) {
    if (f && (f.length === 0 || f.some((x) => x !== 'wav' && x !== 'flac'))) throw new LatheError('bad-value', 'choose WAV, FLAC or both.');
  }
  const t = streaming.targetLufs;
  if (t !== undefined && t !== null && !(Number.isFinite(t) && t >= -40 && t <= -5)) throw new LatheError('bad-value', `a target of ${t} LUFS is outside -40 to -5 LUFS.`);
  return { ...album, variants: { streaming, hires, vinyl: { ...album.variants?.vinyl, ...patch.vinyl } } };
}
