/** What kind of audio file a byte stream holds, from its first bytes, not its name. */
import { LatheError } from '../errors';
import type { ByteSource } from './source';
import type { PcmInfo } from './wav';
import { readWavInfo } from './wav';
import { readAiffInfo } from './aiff';

export type AudioKind = 'wav' | 'aiff' | 'flac' | 'mp3' | 'ogg' | 'unknown';

export function sniffAudio(head: Uint8Array): AudioKind {
  const tag = String.fromCharCode(...head.subarray(0, 4));
  const form = String.fromCharCode(...head.subarray(8, 12));
  if ((tag === 'RIFF' || tag === 'RF64' || tag === 'BW64') && form === 'WAVE') return 'wav';
  if (tag === 'FORM' && (form === 'AIFF' || form === 'AIFC')) return 'aiff';
  if (tag === 'fLaC') return 'flac';
  if (tag === 'OggS') return 'ogg';
  if (tag.startsWith('ID3')) return 'mp3';
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x06) !== 0) return 'mp3';
  return 'unknown';
}

/** Header facts of a compressed file, enough to decode it at its own rate. */
export interface CompressedInfo {
  kind: 'flac' | 'mp3' | 'ogg';
  rateHz: number;
  channels: number;
  bitDepth: number;
  /** Frame count when the header states it (FLAC), else 0. */
  frames: number;
}

/** Reads the PCM header of an uncompressed file (WAV family or AIFF). */
export async function readPcmInfo(source: ByteSource): Promise<PcmInfo> {
  if (source.size === 0) throw new LatheError('not-audio', 'the file is empty.', { file: source.name });
  const kind = sniffAudio(await source.read(0, 12));
  if (kind === 'wav') return readWavInfo(source);
  if (kind === 'aiff') return readAiffInfo(source);
  if (kind === 'unknown') throw new LatheError('not-audio', 'this is not an audio file Lathe can read (WAV, BW64, RF64, AIFF, FLAC, MP3).', { file: source.name });
  throw new LatheError('compressed', `this is a ${kind.toUpperCase()} file; it must be decoded first.`, { file: source.name });
}

const MP3_RATES = [
  [11025, 12000, 8000], // MPEG 2.5
  [0, 0, 0],
  [22050, 24000, 16000], // MPEG 2
  [44100, 48000, 32000] // MPEG 1
];

export function readCompressedInfo(name: string, head: Uint8Array): CompressedInfo {
  const fail = (message: string): never => {
    throw new LatheError('bad-header', message, { file: name });
  };
  const kind = sniffAudio(head);
  if (kind === 'flac') {
    // fLaC, then a metadata block header (4 bytes); STREAMINFO must come first.
    if (head.length < 42 || (head[4] & 0x7f) !== 0) fail('the FLAC file has no STREAMINFO block.');
    const b = head.subarray(8);
    const rateHz = (b[10] << 12) | (b[11] << 4) | (b[12] >> 4);
    const channels = ((b[12] >> 1) & 0x07) + 1;
    const bitDepth = (((b[12] & 1) << 4) | (b[13] >> 4)) + 1;
    const frames = (b[13] & 0x0f) * 2 ** 32 + ((b[14] << 24) >>> 0) + (b[15] << 16) + (b[16] << 8) + b[17];
    if (rateHz === 0) fail('the FLAC header gives no sample rate.');
    return { kind, rateHz, channels, bitDepth, frames };
  }
  if (kind === 'mp3') {
    let p = 0;
    if (String.fromCharCode(...head.subarray(0, 3)) === 'ID3') {
      p = 10 + ((head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]);
    }
    for (; p + 4 <= head.length; p++) {
      if (head[p] !== 0xff || (head[p + 1] & 0xe0) !== 0xe0) continue;
      const version = (head[p + 1] >> 3) & 3;
      const rateIndex = (head[p + 2] >> 2) & 3;
      if (version === 1 || rateIndex === 3) continue;
      const channels = head[p + 3] >> 6 === 3 ? 1 : 2;
      return { kind, rateHz: MP3_RATES[version][rateIndex], channels, bitDepth: 16, frames: 0 };
    }
    return fail('no MPEG audio frame was found in the first bytes of the file.');
  }
  if (kind === 'ogg') {
    // The Vorbis identification header: "\x01vorbis", then version (4), channels (1), rate (4).
    const text = String.fromCharCode(...head.subarray(0, Math.min(head.length, 200)));
    const at = text.indexOf('\x01vorbis');
    if (at >= 0) {
      const v = new DataView(head.buffer, head.byteOffset + at + 7);
      return { kind, rateHz: v.getUint32(5, true), channels: v.getUint8(4), bitDepth: 16, frames: 0 };
    }
    const opus = text.indexOf('OpusHead');
    if (opus >= 0) return { kind, rateHz: 48000, channels: head[opus + 9], bitDepth: 16, frames: 0 };
    return fail('the Ogg stream is neither Vorbis nor Opus.');
  }
  return fail('this is not a compressed audio file.');
}
