/** Imports audio files into a project through the import worker. */
import * as Comlink from 'comlink';
import type { Asset } from '$lib/core/album/model';
import { LatheError } from '$lib/core/errors';
import { readCompressedInfo, sniffAudio } from '$lib/core/audio/sniff';
import type { DecodedAudio } from '../store/ingest';
import { installErrorTransfer } from '../threads';
import { assertRoomFor } from '../store/storage';

/** What the import worker (src/workers/import.worker.ts) offers the page. */
export interface ImportWorkerApi {
  importFile(file: File, projectId: string, dbName: string, onProgress: (f: number) => void): Promise<Asset>;
  importDecoded(file: File, decoded: DecodedAudio, projectId: string, dbName: string, onProgress: (f: number) => void): Promise<Asset>;
}

let worker: Comlink.Remote<ImportWorkerApi> | undefined;

function importWorker(): Comlink.Remote<ImportWorkerApi> {
  installErrorTransfer();
  worker ??= Comlink.wrap<ImportWorkerApi>(new Worker(new URL('../../../workers/import.worker.ts', import.meta.url), { type: 'module' }));
  return worker;
}

/** Decodes a compressed file with the browser's decoder at the file's own rate, so nothing is resampled. */
async function decodeCompressed(file: File, head: Uint8Array): Promise<DecodedAudio> {
  const info = readCompressedInfo(file.name, head);
  const ctx = new OfflineAudioContext(Math.max(1, info.channels), 1, info.rateHz);
  let buffer: AudioBuffer;
  try {
    buffer = await ctx.decodeAudioData(await file.arrayBuffer());
  } catch (e) {
    throw new LatheError('decode-failed', `the ${info.kind.toUpperCase()} data could not be decoded (${(e as Error).message || 'corrupt or unsupported'}).`, { file: file.name });
  }
  if (buffer.sampleRate !== info.rateHz) throw new LatheError('decode-failed', 'the decoder changed the sample rate.', { file: file.name });
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c).slice());
  return { container: info.kind, rateHz: info.rateHz, bitDepth: info.bitDepth, channels };
}

export async function importAudioFile(file: File, projectId: string, dbName: string, onProgress: (fraction: number) => void): Promise<Asset> {
  const head = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
  if (head.length === 0) throw new LatheError('not-audio', 'the file is empty.', { file: file.name });
  const kind = sniffAudio(head);
  const progress = Comlink.proxy(onProgress);
  if (kind === 'flac' || kind === 'mp3' || kind === 'ogg') {
    // Stored as 32-bit floats once decoded.
    const info = readCompressedInfo(file.name, head);
    if (info.frames) await assertRoomFor(info.frames * Math.max(1, info.channels) * 4, 'the import', file.name);
    const decoded = await decodeCompressed(file, head);
    return importWorker().importDecoded(file, Comlink.transfer(decoded, decoded.channels.map((c) => c.buffer as ArrayBuffer)), projectId, dbName, progress);
  }
  await assertRoomFor(file.size, 'the import', file.name);
  return importWorker().importFile(file, projectId, dbName, progress);
}
