/**
 * Renders an album to PCM in blocks: clip gain and fades -> clip chain -> sum into track -> track
 * chain -> album assembly (pauses, segues) -> master chain -> dither and quantize. Memory does not
 * grow with the album; the same album and seed give the same bytes.
 */
import type { Album, Clip } from '../album/model';
import type { AlbumLayout } from '../album/timeline';
import { layoutAlbum } from '../album/timeline';
import { LatheError } from '../errors';
import { Quantizer, int16le, int24le, type NoiseShaping } from '../dsp/dither';
import { AlbumMixer } from './mixer';
import { resamplingReader } from './resampling-reader';
import type { ChainedSpan } from './spans';
import type { ClipReader, ProgrammeReader } from './readers';
import type { KernelFactory } from '../dsp/kernel';

export interface SourceFormat {
  rateHz: number;
  bitDepth: number;
  sampleFormat: 'int' | 'float';
}

export interface RenderOptions {
  bits: 16 | 24;
  /** TPDF dither on processed audio (never on untouched audio already on the target grid). */
  dither: boolean;
  shaping: NoiseShaping;
  seed: number;
  /** Samples to render, from sample 0; the programme is padded with silence to reach it. */
  totalSamples: number;
  blockFrames?: number;
  /**
   * The programme after the master chain, rendered elsewhere (a browser-only plugin on the master):
   * it replaces the mix and the master chain, and only dither and quantization remain.
   */
  premastered?: ProgrammeReader;
  /** The clip reader already gives audio at the render rate (resampled elsewhere, as by ReadAhead). */
  readsAtRenderRate?: boolean;
  /** Where chain kernels come from; the first-party plugins by default. */
  kernels?: KernelFactory;
  /** A linear gain after the master chain (a variant's gain to its target), in dB. */
  gainDb?: number;
}


export interface RenderHooks {
  onProgress?: (fraction: number) => void;
  signal?: { aborted: boolean };
  /**
   * Sees each block of the final mix, before quantization (for measuring what is delivered, or a
   * second word length); `processed` is 1 where a sample is not untouched source audio.
   */
  tap?: (planar: Float32Array[], n: number, fromSample: number, processed: Uint8Array) => void;
}

const CHANNELS = 2;
/** Frames per render block unless RenderOptions.blockFrames says otherwise. */
export const BLOCK_FRAMES = 65_536;

export async function renderAlbum(
  album: Album,
  formats: Map<string, SourceFormat>,
  readClip: ClipReader,
  options: RenderOptions,
  /** Each block as little-endian bytes, and as the interleaved integers they hold. */
  write: (bytes: Uint8Array, ints: Int32Array, frames: number) => Promise<void>,
  hooks: RenderHooks = {}
): Promise<void> {
  const layout: AlbumLayout = layoutAlbum(album);
  const rate = album.rateHz;
  const block = options.blockFrames ?? BLOCK_FRAMES;
  for (const t of album.tracks) {
    for (const c of t.clips) {
      if (!formats.get(c.assetId)) throw new LatheError('missing-asset', `a clip of "${t.title}" has no audio.`);
    }
  }
  // Sources at another rate are resampled as they are read, straight to the render rate.
  const read = options.readsAtRenderRate ? readClip : resamplingReader(readClip, (id) => (formats.get(id) as SourceFormat).rateHz, rate, CHANNELS);
  const premastered = options.premastered;
  // A premastered programme already went through the master chain (and is all the mixer would give).
  const mixer = new AlbumMixer(premastered ? { ...album, masterChain: [] } : album, layout, read, block, { kernels: options.kernels });
  // Clip and track chains are compensated inside the mixer; the master chain's here, by rendering
  // that much further and dropping its first samples.
  let toDrop = premastered ? 0 : mixer.master.latencySamples;

  const out = [new Float32Array(block), new Float32Array(block)];
  const processed = new Uint8Array(block);
  const covered = new Uint8Array(block);
  // Two integer buffers too: a writer may still hold the last block's.
  const intBuffers = [new Int32Array(block * CHANNELS), new Int32Array(block * CHANNELS)];
  const gain = Math.pow(10, (options.gainDb ?? 0) / 20);
  // Two byte buffers: one block is written while the next is computed.
  const byteBuffers = [new Uint8Array(block * CHANNELS * (options.bits / 8)), new Uint8Array(block * CHANNELS * (options.bits / 8))];
  let writing: Promise<void> = Promise.resolve();
  let blocks = 0;
  const quantizer = new Quantizer({ bits: options.bits, channels: CHANNELS, dither: options.dither, shaping: options.shaping, seed: options.seed });
  const anyChain = mixer.anyBusChain;

  let emitted = 0;
  for (let from = 0; emitted < options.totalSamples; from += block) {
    if (hooks.signal?.aborted) throw new LatheError('cancelled', 'The render was cancelled.');
    const n = block;
    processed.fill(anyChain || premastered ? 1 : 0, 0, n);
    covered.fill(0, 0, n);
    if (premastered) await premastered(from, n, out);
    else await mixer.mix(from, n, out, (span, clipChainEmpty) => markSpan(span, isTransparent(span.clip, formats, options.bits, rate) && clipChainEmpty, processed, covered));
    const skip = Math.min(toDrop, n);
    toDrop -= skip;
    const m = Math.min(n - skip, options.totalSamples - emitted);
    if (m <= 0) continue;
    const ready = out.map((c) => c.subarray(skip, skip + m));
    const bad = firstNonFinite(ready, m);
    if (bad >= 0) throw new LatheError('bad-samples', `the render produced an invalid sample at ${((emitted + bad) / rate).toFixed(3)} s; nothing was delivered.`);
    if (gain !== 1) for (const c of ready) for (let i = 0; i < m; i++) c[i] *= gain;
    const mask = processed.subarray(skip, skip + m);
    if (gain !== 1) mask.fill(1);
    hooks.tap?.(ready, m, emitted, mask);
    const ints = intBuffers[blocks & 1];
    quantizer.quantize(ready, m, mask, ints);
    const len = m * CHANNELS * (options.bits / 8);
    const bytes = byteBuffers[blocks & 1];
    if (options.bits === 16) int16le(ints, m * CHANNELS, bytes);
    else int24le(ints, m * CHANNELS, bytes);
    await writing;
    writing = write(bytes.subarray(0, len), ints.subarray(0, m * CHANNELS), m);
    blocks++;
    emitted += m;
    hooks.onProgress?.(emitted / options.totalSamples);
  }
  await writing;
}

/**
 * Marks the samples a span makes processed. A sample stays untouched only if one untouched clip
 * alone plays it, outside its fades.
 */
function markSpan(span: ChainedSpan, untouched: boolean, processed: Uint8Array, covered: Uint8Array): void {
  const at = span.busStart;
  const len = span.lengthSamples;
  if (!untouched) {
    processed.fill(1, at, at + len);
    covered.fill(1, at, at + len);
    return;
  }
  const { fadeInSamples, fadeOutSamples, lengthSamples } = span.clip;
  for (let i = 0; i < len; i++) {
    const offset = span.clipOffset + i;
    if (covered[at + i] || offset < fadeInSamples || offset >= lengthSamples - fadeOutSamples) processed[at + i] = 1;
    covered[at + i] = 1;
  }
}

/** The first frame with a NaN or infinite sample, or -1. */
function firstNonFinite(planar: Float32Array[], n: number): number {
  // x - x is 0 for every finite x and NaN otherwise, so one sum tells whether to look closer.
  let acc = 0;
  for (const ch of planar) for (let i = 0; i < n; i++) acc += ch[i] - ch[i];
  if (acc === 0) return -1;
  for (let i = 0; i < n; i++) if (planar.some((ch) => !Number.isFinite(ch[i]))) return i;
  return -1;
}

/** Untouched audio already on the target grid: same rate, integer, no deeper than the target, no gain. */
function isTransparent(clip: Clip, formats: Map<string, SourceFormat>, bits: number, rateHz: number): boolean {
  const f = formats.get(clip.assetId);
  return !!f && f.rateHz === rateHz && f.sampleFormat === 'int' && f.bitDepth <= bits && clip.gainDb === 0 && !clip.muted;
}
