import type { ByteSource } from '$lib/core/audio/source';

/** A File or Blob read in slices, never whole. */
export function blobSource(blob: Blob, name: string = (blob as File).name ?? 'file'): ByteSource {
  return {
    name,
    size: blob.size,
    async read(offset, length) {
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
    stream(offset) {
      return blob.slice(offset).stream();
    }
  };
}
