/** AIFF and AIFF-C (uncompressed, sowt, fl32, fl64) reading. */
import { LatheError, type ErrorCode } from '../errors';
import type { ByteSource } from './source';
import type { PcmInfo } from './wav';
import { bytesPerSample, encodingFor } from './pcm';
import { copyBytes, viewOf } from './bytes';
import type { SampleEncoding } from './pcm';

const ascii = (b: Uint8Array, at: number, n = 4) => String.fromCharCode(...b.subarray(at, at + n));

/** An 80-bit IEEE 754 extended float, as AIFF stores its sample rate. */
export function readExtended80(b: Uint8Array, at: number): number {
  const exponent = ((b[at] & 0x7f) << 8) | b[at + 1];
  const sign = b[at] & 0x80 ? -1 : 1;
  let mantissa = 0;
  for (let i = 0; i < 8; i++) mantissa = mantissa * 256 + b[at + 2 + i];
  if (exponent === 0 && mantissa === 0) return 0;
  return sign * mantissa * 2 ** (exponent - 16383 - 63);
}

export async function readAiffInfo(source: ByteSource): Promise<PcmInfo> {
  const fail = (code: ErrorCode, message: string): never => {
    throw new LatheError(code, message, { file: source.name });
  };
  if (source.size < 12) fail('not-audio', 'the file is too short to be an AIFF file.');
  const head = await source.read(0, 12);
  const kind = ascii(head, 8);
  if (ascii(head, 0) !== 'FORM' || (kind !== 'AIFF' && kind !== 'AIFC')) fail('not-audio', 'this is not an AIFF file.');
  let comm: Uint8Array | undefined;
  let dataOffset = -1;
  let dataBytes = 0;
  let pos = 12;
  while (pos + 8 <= source.size) {
    const ch = await source.read(pos, 8);
    const id = ascii(ch, 0);
    const size = viewOf(ch).getUint32(4, false);
    const body = pos + 8;
    if (id === 'COMM') {
      if (body + size > source.size) fail('truncated', 'the file ends inside the COMM chunk.');
      comm = copyBytes(await source.read(body, size));
    } else if (id === 'SSND') {
      if (body + size > source.size) {
        fail('truncated', `the SSND chunk claims ${size} bytes but only ${source.size - body} remain.`);
      }
      const off = viewOf(await source.read(body, 8)).getUint32(0, false);
      dataOffset = body + 8 + off;
      dataBytes = size - 8 - off;
    }
    pos = body + size + (size & 1);
  }
  if (!comm || comm.length < 18) return fail('bad-header', 'the file has no valid COMM chunk.');
  if (dataOffset < 0) return fail('bad-header', 'the file has no SSND chunk.');
  const v = viewOf(comm);
  const channels = v.getInt16(0, false);
  const bits = v.getInt16(6, false);
  const rateHz = Math.round(readExtended80(comm, 8));
  let encoding: SampleEncoding | null = encodingFor(Math.ceil(bits / 8) * 8, false, true);
  let float = false;
  if (kind === 'AIFC') {
    const compression = comm.length >= 22 ? ascii(comm, 18) : 'NONE';
    if (compression === 'sowt') encoding = encodingFor(Math.ceil(bits / 8) * 8, false, false);
    else if (compression === 'fl32' || compression === 'FL32') [encoding, float] = ['f32be', true];
    else if (compression === 'fl64' || compression === 'FL64') [encoding, float] = ['f64be', true];
    else if (compression !== 'NONE') fail('unsupported-codec', `the AIFF-C compression '${compression}' is not supported.`);
  }
  if (!encoding) return fail('unsupported-codec', `${bits}-bit AIFF samples are not supported.`);
  if (channels < 1 || channels > 64) fail('bad-header', `the header says ${channels} channels.`);
  if (rateHz < 8000 || rateHz > 768000) fail('bad-header', `the header says ${rateHz} Hz.`);
  const blockAlign = bytesPerSample(encoding) * channels;
  const frames = Math.min(v.getUint32(2, false), Math.floor(dataBytes / blockAlign));
  if (frames <= 0) fail('no-audio', 'the file holds no audio (0 frames).');
  return {
    container: kind === 'AIFF' ? 'aiff' : 'aifc',
    rateHz,
    channels,
    bitDepth: float ? bytesPerSample(encoding) * 8 : bits,
    sampleFormat: float ? 'float' : 'int',
    encoding,
    blockAlign,
    frames,
    dataOffset,
    extraChunks: []
  };
}
