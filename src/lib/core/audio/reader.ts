import type { ByteSource } from './source';
import type { PcmInfo } from './wav';
import { decodeInterleaved } from './pcm';

/** Reads frames [start, start + frames) of an uncompressed file into planar floats. */
export async function readFrames(source: ByteSource, info: PcmInfo, start: number, frames: number, out: Float32Array[], outOffset = 0): Promise<number> {
  const n = Math.max(0, Math.min(frames, info.frames - start));
  if (n === 0) return 0;
  const bytes = await source.read(info.dataOffset + start * info.blockAlign, n * info.blockAlign);
  const got = Math.floor(bytes.length / info.blockAlign);
  decodeInterleaved(bytes, info.encoding, info.channels, out, outOffset, got);
  return got;
}
