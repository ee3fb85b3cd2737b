/** Random-access bytes of a file, so a 2 GB file is never held whole. */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * The bytes from `offset` to the end as a stream, where the platform reads faster that way than
   * by many reads (a browser's File: about 3x).
   */
  stream?(offset: number): ReadableStream<Uint8Array>;
  /** Releases a file handle, where the source holds one. */
  close?(): Promise<void>;
}

export function memorySource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    async read(offset, length) {
      return bytes.subarray(offset, Math.min(bytes.length, offset + length));
    }
  };
}

/**
 * Reads a source front to back in pieces of exactly `bytes` (the last may be shorter): from its
 * stream where it has one, else by reads. Each piece is a buffer of its own.
 */
export async function* sequentialPieces(source: ByteSource, from: number, to: number, bytes: number): AsyncGenerator<Uint8Array> {
  if (!source.stream) {
    for (let p = from; p < to; p += bytes) yield await source.read(p, Math.min(bytes, to - p));
    return;
  }
  const reader = source.stream(from).getReader();
  try {
    let at = from;
    let piece = new Uint8Array(Math.min(bytes, to - at));
    let filled = 0;
    while (at < to) {
      const { done, value } = await reader.read();
      if (done) break;
      let v = 0;
      while (v < value.length && at < to) {
        const take = Math.min(piece.length - filled, value.length - v, to - at);
        piece.set(value.subarray(v, v + take), filled);
        filled += take;
        v += take;
        at += take;
        if (filled === piece.length) {
          yield piece;
          piece = new Uint8Array(Math.min(bytes, to - at));
          filled = 0;
        }
      }
    }
    if (filled > 0) yield piece.subarray(0, filled);
  } finally {
    await reader.cancel().catch(() => {});
  }
}
