/**
 * Streams an uncompressed file into fixed-size chunks: hashes every byte of the file, keeps the
 * samples in their own encoding (so they stay bit-exact), and builds the peak pyramid. Memory is
 * one chunk plus the pyramid, whatever the file's size.
 */
import { LatheError } from '../errors';
import type { SampleEncoding } from './pcm';
import type { ByteSource } from './source';
import type { PcmInfo } from './wav';
import { readPcmInfo } from './sniff';
import { Sha256 } from '../sha256';
import { PeakBuilder, type PeakPyramid } from './peaks';
import { bytesPerSample, decodeInterleaved, encodeInterleaved } from './pcm';
import { copyBytes } from './bytes';

/** Frames per stored chunk. */
export const CHUNK_FRAMES = 65_536;
const HASH_PIECE_BYTES = 4 * 1024 * 1024;

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

async function hashRange(source: ByteSource, hash: Sha256, from: number, to: number): Promise<void> {
  for (let p = from; p < to; p += HASH_PIECE_BYTES) hash.update(await source.read(p, Math.min(HASH_PIECE_BYTES, to - p)));
}

export async function ingestPcm(source: ByteSource, sink: ChunkSink, onProgress: Progress = () => {}, signal?: { aborted: boolean }): Promise<IngestResult> {
  const info = await readPcmInfo(source);
  const hash = new Sha256();
  await hashRange(source, hash, 0, info.dataOffset);
  const peaks = new PeakBuilder(info.channels, info.frames);
  const planar = Array.from({ length: info.channels }, () => new Float32Array(CHUNK_FRAMES));
  const chunks = chunkCount(info.frames);
  for (let index = 0; index < chunks; index++) {
    if (signal?.aborted) throw new LatheError('cancelled', 'the import was cancelled.', { file: source.name });
    const start = index * CHUNK_FRAMES;
    const frames = Math.min(CHUNK_FRAMES, info.frames - start);
    const bytes = await source.read(info.dataOffset + start * info.blockAlign, frames * info.blockAlign);
    if (bytes.length < frames * info.blockAlign) throw new LatheError('truncated', `the file ended at frame ${start} while reading its audio.`, { file: source.name });
    hash.update(bytes);
    decodeInterleaved(bytes, info.encoding, info.channels, planar, 0, frames);
    peaks.push(planar, frames);
    // A copy: the sink may keep it beyond this loop, and the source may reuse its buffer.
    await sink.writeChunk(index, copyBytes(bytes));
    onProgress((index + 1) / chunks);
  }
  await hashRange(source, hash, info.dataOffset + info.frames * info.blockAlign, source.size);
  return { info, sha256: hash.hex(), peaks: peaks.finish(), chunks };
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
