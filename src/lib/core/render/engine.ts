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

/** What the mix itself needs: no word length, no dither (a sink quantizes as it needs). */
export interface ProgrammeOptions {
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
  /**
   * The mix before the master chain, made elsewhere (an immersive album's stereo fold-down): it
   * replaces the clips and their chains; the master chain still runs on it.
   */
  mix?: ProgrammeReader;
}

export interface RenderOptions extends ProgrammeOptions {
  bits: 16 | 24;
  /** TPDF dither on processed audio (never on untouched audio already on the target grid). */
  dither: boolean;
  shaping: NoiseShaping;
  seed: number;
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

/**
 * One block of the final mix, from sample `fromSample` of the programme. `untouchedBits[i]` is the
 * word length of the source sample frame i passes through untouched (1 for untouched silence), or 0
 * where the audio is processed: at a depth d, the frame needs dither unless 0 < untouchedBits[i] <= d.
 */
export type ProgrammeBlock = (planar: Float32Array[], n: number, fromSample: number, untouchedBits: Uint8Array) => Promise<void> | void;

const CHANNELS = 2;
/** Frames per render block unless RenderOptions.blockFrames says otherwise. */
export const BLOCK_FRAMES = 65_536;

/**
 * The album's final mix in blocks (every chain, the master's latency dropped, the linear gain), for
 * any number of sinks at its rate: one read and one mix, whatever each sink then quantizes.
 */
export async function renderProgramme(
  album: Album,
  formats: Map<string, SourceFormat>,
  readClip: ClipReader,
  options: ProgrammeOptions,
  onBlock: ProgrammeBlock,
  hooks: Pick<RenderHooks, 'onProgress' | 'signal'> = {}
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
  const untouched = new Uint8Array(block);
  const covered = new Uint8Array(block);
  const gain = Math.pow(10, (options.gainDb ?? 0) / 20);
  const allProcessed = mixer.anyBusChain || !!premastered || !!options.mix || gain !== 1;

  let emitted = 0;
  for (let from = 0; emitted < options.totalSamples; from += block) {
    if (hooks.signal?.aborted) throw new LatheError('cancelled', 'The render was cancelled.');
    const n = block;
    // Where no clip plays, silence: exact at any depth (1), unless a chain or the gain touches it.
    untouched.fill(allProcessed ? 0 : 1, 0, n);
    covered.fill(0, 0, n);
    if (premastered) await premastered(from, n, out);
    else if (options.mix) {
      await options.mix(from, n, out);
      if (!mixer.master.empty) mixer.master.process(out, n, from);
    } else await mixer.mix(from, n, out, (span, clipChainEmpty) => markSpan(span, allProcessed || !clipChainEmpty ? 0 : untouchedDepth(span.clip, formats, rate), untouched, covered));
    const skip = Math.min(toDrop, n);
    toDrop -= skip;
    const m = Math.min(n - skip, options.totalSamples - emitted);
    if (m <= 0) continue;
    const ready = out.map((c) => c.subarray(skip, skip + m));
    const bad = firstNonFinite(ready, m);
    if (bad >= 0) throw new LatheError('bad-samples', `the render produced an invalid sample at ${((emitted + bad) / rate).toFixed(3)} s; nothing was delivered.`);
    if (gain !== 1) for (const c of ready) for (let i = 0; i < m; i++) c[i] *= gain;
    await onBlock(ready, m, emitted, untouched.subarray(skip, skip + m));
    emitted += m;
    hooks.onProgress?.(emitted / options.totalSamples);
  }
}

/** Something made from the final mix as it goes by: a CD image, a set of masters, vinyl sides. */
export interface ProgrammeSink<R = unknown> {
  /** How much of the programme it takes, from sample 0. */
  readonly totalSamples: number;
  block: ProgrammeBlock;
  /** After the last block: files closed, the report made. */
  finish(): Promise<R>;
}

/** One mix for every sink at its rate and positions: each takes the blocks it needs. */
export async function renderToSinks(
  album: Album,
  formats: Map<string, SourceFormat>,
  readClip: ClipReader,
  options: Omit<ProgrammeOptions, 'totalSamples'>,
  sinks: ProgrammeSink[],
  hooks: Pick<RenderHooks, 'onProgress' | 'signal'> = {}
): Promise<unknown[]> {
  const totalSamples = Math.max(...sinks.map((s) => s.totalSamples));
  await renderProgramme(album, formats, readClip, { ...options, totalSamples }, async (planar, n, from, untouchedBits) => {
    for (const s of sinks) if (from < s.totalSamples) await s.block(planar, Math.min(n, s.totalSamples - from), from, untouchedBits);
  }, hooks);
  const reports: unknown[] = [];
  for (const s of sinks) reports.push(await s.finish());
  return reports;
}

/**
 * Dither and quantization of a programme to one word length, into little-endian bytes and the
 * integers they hold. Two sets of buffers: a writer may still hold the last block's.
 */
export class BlockQuantizer {
  private readonly quantizer: Quantizer;
  private readonly mask: Uint8Array;
  private readonly ints: Int32Array[];
  private readonly bytes: Uint8Array[];
  private turn = 0;

  constructor(
    readonly bits: 16 | 24,
    options: { dither: boolean; shaping: NoiseShaping; seed: number },
    maxFrames: number = BLOCK_FRAMES
  ) {
    this.quantizer = new Quantizer({ bits, channels: CHANNELS, dither: options.dither, shaping: options.shaping, seed: options.seed });
    this.mask = new Uint8Array(maxFrames);
    this.ints = [new Int32Array(maxFrames * CHANNELS), new Int32Array(maxFrames * CHANNELS)];
    this.bytes = [new Uint8Array(maxFrames * CHANNELS * (bits / 8)), new Uint8Array(maxFrames * CHANNELS * (bits / 8))];
  }

  /** Where each frame needs dither at this depth (1) or is untouched source audio on its grid (0). */
  processedMask(untouchedBits: Uint8Array, n: number): Uint8Array {
    const mask = this.mask;
    const bits = this.bits;
    for (let i = 0; i < n; i++) {
      const u = untouchedBits[i];
      mask[i] = u === 0 || u > bits ? 1 : 0;
    }
    return mask.subarray(0, n);
  }

  quantize(planar: Float32Array[], n: number, processed: Uint8Array): { bytes: Uint8Array; ints: Int32Array } {
    const k = this.turn++ & 1;
    const ints = this.ints[k];
    const bytes = this.bytes[k];
    this.quantizer.quantize(planar, n, processed, ints);
    if (this.bits === 16) int16le(ints, n * CHANNELS, bytes);
    else int24le(ints, n * CHANNELS, bytes);
    return { bytes: bytes.subarray(0, n * CHANNELS * (this.bits / 8)), ints: ints.subarray(0, n * CHANNELS) };
  }
}

export async function renderAlbum(
  album: Album,
  formats: Map<string, SourceFormat>,
  readClip: ClipReader,
  options: RenderOptions,
  /** Each block as little-endian bytes, and as the interleaved integers they hold. */
  write: (bytes: Uint8Array, ints: Int32Array, frames: number) => Promise<void>,
  hooks: RenderHooks = {}
): Promise<void> {
  const quantizer = new BlockQuantizer(options.bits, options, options.blockFrames ?? BLOCK_FRAMES);
  // One block is written while the next is computed.
  let writing: Promise<void> = Promise.resolve();
  await renderProgramme(
    album,
    formats,
    readClip,
    options,
    async (planar, n, from, untouchedBits) => {
      const mask = quantizer.processedMask(untouchedBits, n);
      hooks.tap?.(planar, n, from, mask);
      const { bytes, ints } = quantizer.quantize(planar, n, mask);
      await writing;
      writing = write(bytes, ints, n);
    },
    hooks
  );
  await writing;
}

/**
 * Marks the word length of the untouched audio a span plays (0: processed). A sample stays
 * untouched only if one untouched clip alone plays it, outside its fades.
 */
function markSpan(span: ChainedSpan, depth: number, untouched: Uint8Array, covered: Uint8Array): void {
  const at = span.busStart;
  const len = span.lengthSamples;
  if (depth === 0) {
    untouched.fill(0, at, at + len);
    covered.fill(1, at, at + len);
    return;
  }
  const { fadeInSamples, fadeOutSamples, lengthSamples } = span.clip;
  for (let i = 0; i < len; i++) {
    const offset = span.clipOffset + i;
    untouched[at + i] = covered[at + i] || offset < fadeInSamples || offset >= lengthSamples - fadeOutSamples ? 0 : depth;
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

/** The word length of a clip's audio when it is untouched (same rate, integer, no gain), else 0. */
function untouchedDepth(clip: Clip, formats: Map<string, SourceFormat>, rateHz: number): number {
  const f = formats.get(clip.assetId);
  return f && f.rateHz === rateHz && f.sampleFormat === 'int' && clip.gainDb === 0 && !clip.muted ? f.bitDepth : 0;
}
