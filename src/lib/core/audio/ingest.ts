/**
 * Streams an uncompressed file into fixed-size chunks in one pass: hashes every byte of the file,
 * keeps the samples in their own encoding (so they stay bit-exact), builds the peak pyramid, and
 * hands the decoded samples to whoever measures them. The file is read in slices of about 8 MB
 * (few calls into the platform); memory is one slice plus the pyramid, whatever the file's size.
 */
import { LatheError } from '../errors';
import type { SampleEncoding } from './pcm';
import { sequentialPieces, type ByteSource } from './source';
import type { PcmInfo } from './wav';
import { readPcmInfo } from './sniff';
import { sha256Stream, type HashFactory, type HashStream } from '../hash';
import { PeakBuilder, type PeakPyramid } from './peaks';
import { bytesPerSample, decodeInterleaved, encodeInterleaved } from './pcm';
import { copyBytes } from './bytes';

/** Frames per stored chunk. */
export const CHUNK_FRAMES = 65_536;
const HASH_PIECE_BYTES = 4 * 1024 * 1024;
/** Chunks read from the source at once. */
const CHUNKS_PER_READ = 21;

export interface IngestOptions {
  /** The SHA-256 to hash the file with; hash-wasm's unless the platform has a faster one. */
  sha256?: HashFactory;
  /** Sees every chunk's decoded samples, in order (to measure the file in the same pass). */
  onFrames?: (planar: Float32Array[], n: number) => void;
  /**
   * Where the samples are decoded and their peaks built: here by default, or elsewhere (the
   * browser hands it to a second thread, so hashing and storing overlap decoding and measuring).
   * It is given each slice of the audio as read, in order, and may keep it.
   */
  digest?: (info: PcmInfo) => SliceDigest;
}

/** Takes the audio slice by slice; gives the peak pyramid at the end. */
export interface SliceDigest {
  push(slice: Uint8Array, frames: number): void | Promise<void>;
  finish(): PeakPyramid | Promise<PeakPyramid>;
}

/** Decodes slices, builds their peaks, and shows the decoded samples to `onFrames`, chunk by chunk. */
export class PcmDigest implements SliceDigest {
  private readonly peaks: PeakBuilder;
  private readonly planar: Float32Array[];

  constructor(
    private readonly info: Pick<PcmInfo, 'channels' | 'frames' | 'encoding' | 'blockAlign'>,
    private readonly onFrames?: (planar: Float32Array[], n: number) => void
  ) {
    this.peaks = new PeakBuilder(info.channels, info.frames);
    this.planar = Array.from({ length: info.channels }, () => new Float32Array(CHUNK_FRAMES));
  }

  push(slice: Uint8Array, frames: number): void {
    const { info, planar } = this;
    for (let at = 0; at < frames; at += CHUNK_FRAMES) {
      const n = Math.min(CHUNK_FRAMES, frames - at);
      decodeInterleaved(slice.subarray(at * info.blockAlign, (at + n) * info.blockAlign), info.encoding, info.channels, planar, 0, n);
      this.peaks.push(planar, n);
      this.onFrames?.(planar, n);
    }
  }

  finish(): PeakPyramid {
    return this.peaks.finish();
  }
}

export interface ChunkSink {
  /** Stores chunk `index`; the bytes are the interleaved samples in the asset's encoding. */
  writeChunk(index: number, bytes: Uint8Array): Promise<void>;
}

export interface IngestResult {
  info: PcmInfo;
  sha256: string;
  peaks: PeakPyramid;
  chunks: number;
}

export type Progress = (doneFraction: number) => void;

export function chunkCount(frames: number): number {
  return Math.ceil(frames / CHUNK_FRAMES);
}

async function hashRange(source: ByteSource, hash: HashStream, from: number, to: number): Promise<void> {
  for (let p = from; p < to; p += HASH_PIECE_BYTES) hash.update(await source.read(p, Math.min(HASH_PIECE_BYTES, to - p)));
}

export async function ingestPcm(source: ByteSource, sink: ChunkSink, onProgress: Progress = () => {}, signal?: { aborted: boolean }, options: IngestOptions = {}): Promise<IngestResult> {
  const info = await readPcmInfo(source);
  const digest = options.digest?.(info) ?? new PcmDigest(info, options.onFrames);
  const hash = await (options.sha256 ?? sha256Stream)();
  await hashRange(source, hash, 0, info.dataOffset);
  const chunks = chunkCount(info.frames);
  const dataEnd = info.dataOffset + info.frames * info.blockAlign;
  const pieces = sequentialPieces(source, info.dataOffset, dataEnd, CHUNKS_PER_READ * CHUNK_FRAMES * info.blockAlign);
  for (let first = 0; first < chunks; first += CHUNKS_PER_READ) {
    if (signal?.aborted) throw new LatheError('cancelled', 'the import was cancelled.', { file: source.name });
    const last = Math.min(chunks, first + CHUNKS_PER_READ);
    const sliceStart = first * CHUNK_FRAMES;
    const sliceFrames = Math.min(last * CHUNK_FRAMES, info.frames) - sliceStart;
    const next = await pieces.next();
    const slice = next.done ? new Uint8Array(0) : next.value;
    if (slice.length < sliceFrames * info.blockAlign) {
      throw new LatheError('truncated', `the file ended at frame ${sliceStart + Math.floor(slice.length / info.blockAlign)} while reading its audio.`, { file: source.name });
    }
    hash.update(slice);
    for (let index = first; index < last; index++) {
      const start = index * CHUNK_FRAMES;
      const frames = Math.min(CHUNK_FRAMES, info.frames - start);
      // A copy of its own: the sink may keep it beyond this loop (a view would keep the whole slice).
      await sink.writeChunk(index, copyBytes(slice.subarray((start - sliceStart) * info.blockAlign, (start - sliceStart + frames) * info.blockAlign)));
    }
    // Last: a digest elsewhere may take the slice's memory with it.
    await digest.push(slice, sliceFrames);
    onProgress(last / chunks);
  }
  await pieces.return(undefined);
  await hashRange(source, hash, dataEnd, source.size);
  return { info, sha256: hash.hex(), peaks: await digest.finish(), chunks };
}

/**
 * Stores float audio as it arrives, in 32-bit float chunks with its peaks, for audio that is made
 * rather than read (decoders, plugin renders): memory is one chunk, whatever the length.
 */
export class FloatChunkWriter {
  readonly encoding: SampleEncoding = 'f32le';
  private readonly peaks: PeakBuilder;
  private readonly pending: Float32Array[];
  private pendingFrames = 0;
  private index = 0;
  private written = 0;

  constructor(
    readonly channels: number,
    /** Frames that will be pushed in all: the peak pyramid is sized by it. */
    readonly frames: number,
    private readonly sink: ChunkSink,
    private readonly onProgress: Progress = () => {}
  ) {
    this.peaks = new PeakBuilder(channels, frames);
    this.pending = Array.from({ length: channels }, () => new Float32Array(CHUNK_FRAMES));
  }

  async push(planar: Float32Array[], n: number, offset = 0): Promise<void> {
    if (this.written + this.pendingFrames + n > this.frames) throw new LatheError('too-long', `${n} more frames would pass the ${this.frames} announced.`);
    for (let done = 0; done < n; ) {
      const take = Math.min(n - done, CHUNK_FRAMES - this.pendingFrames);
      for (let c = 0; c < this.channels; c++) this.pending[c].set(planar[c].subarray(offset + done, offset + done + take), this.pendingFrames);
      this.pendingFrames += take;
      done += take;
      if (this.pendingFrames === CHUNK_FRAMES) await this.flush();
    }
  }

  async finish(): Promise<{ peaks: PeakPyramid; chunks: number; encoding: SampleEncoding }> {
    await this.flush();
    if (this.written !== this.frames) throw new LatheError('too-short', `${this.written} frames were written of the ${this.frames} announced.`);
    return { peaks: this.peaks.finish(), chunks: this.index, encoding: this.encoding };
  }

  private async flush(): Promise<void> {
    const n = this.pendingFrames;
    if (n === 0) return;
    const bytes = new Uint8Array(n * this.channels * bytesPerSample(this.encoding));
    encodeInterleaved(this.pending, 0, n, this.encoding, bytes);
    this.peaks.push(this.pending, n);
    await this.sink.writeChunk(this.index++, bytes);
    this.written += n;
    this.pendingFrames = 0;
    this.onProgress(this.written / this.frames);
  }
}
