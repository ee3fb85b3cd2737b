/** WAV, RF64 and BW64 (EBU Tech 3306) reading and writing. */
import { LatheError, type ErrorCode } from '../errors';
import type { SampleEncoding } from './pcm';
import type { ByteSource } from './source';
import { bytesPerSample, encodingFor, encodeInterleaved, isFloatEncoding } from './pcm';
import { impliedChannelMask } from './channels';
import { copyBytes, viewOf } from './bytes';

export interface PcmInfo {
  container: 'wav' | 'rf64' | 'bw64' | 'aiff' | 'aifc';
  rateHz: number;
  channels: number;
  /** Significant bits per sample (may be less than the container's, e.g. 20 in 24). */
  bitDepth: number;
  sampleFormat: 'int' | 'float';
  encoding: SampleEncoding;
  blockAlign: number;
  frames: number;
  /** Byte offset of the first sample in the file. */
  dataOffset: number;
  channelMask?: number;
  bext?: Uint8Array;
  /** Other chunks kept for a faithful rewrite (e.g. iXML, axml, chna). */
  extraChunks: { id: string; data: Uint8Array }[];
}

export const MAX_CHANNELS = 64;
export const MIN_RATE_HZ = 8_000;
export const MAX_RATE_HZ = 768_000;

const FORMAT_PCM = 0x0001;
const FORMAT_FLOAT = 0x0003;
const FORMAT_EXTENSIBLE = 0xfffe;
const KNOWN_CODECS: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0050: 'MPEG audio',
  0x0055: 'MP3',
  0x00ff: 'AAC',
  0x2000: 'AC-3',
  0xf1ac: 'FLAC'
};
const KEPT_CHUNKS = new Set(['iXML', 'axml', 'chna', 'cue ', 'LIST']);

const ascii = (b: Uint8Array, at: number, n = 4) => String.fromCharCode(...b.subarray(at, at + n));

function fail(source: ByteSource, code: ErrorCode, message: string): never {
  throw new LatheError(code, message, { file: source.name });
}

async function readExactly(source: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  if (offset + length > source.size) fail(source, 'truncated', `the file ends inside the ${what} (at byte ${source.size}).`);
  const bytes = await source.read(offset, length);
  if (bytes.length < length) fail(source, 'truncated', `the file ends inside the ${what}.`);
  return bytes;
}

/** Reads a WAV/RF64/BW64 header by walking its chunks; the samples are left in place. */
export async function readWavInfo(source: ByteSource): Promise<PcmInfo> {
  if (source.size < 12) fail(source, 'not-audio', 'the file is too short to be a WAV file.');
  const head = await readExactly(source, 0, 12, 'RIFF header');
  const riffId = ascii(head, 0);
  if (!['RIFF', 'RF64', 'BW64'].includes(riffId) || ascii(head, 8) !== 'WAVE') {
    fail(source, 'not-audio', 'this is not a WAV file (no RIFF/WAVE header).');
  }
  const container = riffId === 'RIFF' ? 'wav' : riffId === 'RF64' ? 'rf64' : 'bw64';
  const large = container !== 'wav';

  let ds64DataSize: number | undefined;
  let fmt: DataView | undefined;
  let dataOffset = -1;
  let dataBytes = 0;
  let bext: Uint8Array | undefined;
  const extraChunks: PcmInfo['extraChunks'] = [];
  let pos = 12;
  while (pos + 8 <= source.size) {
    const ch = await readExactly(source, pos, 8, 'chunk header');
    const id = ascii(ch, 0);
    let size = viewOf(ch).getUint32(4, true);
    const body = pos + 8;
    if (!/^[\x20-\x7e]{4}$/.test(id)) {
      // Trailing junk after complete fmt and data chunks is tolerated; before them it is corruption.
      if (dataOffset >= 0 && fmt) break;
      fail(source, 'bad-header', `a chunk at byte ${pos} has no valid id; the file is corrupt.`);
    }
    if (id === 'ds64') {
      const d = await readExactly(source, body, Math.min(size, 28), 'ds64 chunk');
      if (d.length < 16) fail(source, 'bad-header', 'the ds64 chunk is too short.');
      const v = viewOf(d);
      ds64DataSize = v.getUint32(8, true) + v.getUint32(12, true) * 2 ** 32;
    } else if (id === 'fmt ') {
      if (size < 16) fail(source, 'bad-header', `the fmt chunk is ${size} bytes; it needs at least 16.`);
      const f = await readExactly(source, body, Math.min(size, 40), 'fmt chunk');
      fmt = viewOf(copyBytes(f));
    } else if (id === 'data') {
      if (large && size === 0xffffffff) {
        if (ds64DataSize === undefined) fail(source, 'bad-header', 'an RF64/BW64 file has no ds64 chunk before its data.');
        size = ds64DataSize;
      } else if (!large && size === 0xffffffff) {
        // Written by a streaming tool that never came back to set the size: the data runs to the end.
        size = source.size - body;
      }
      if (body + size > source.size) {
        fail(source, 'truncated', `the data chunk claims ${size} bytes but only ${source.size - body} remain: the file is truncated or its header is wrong.`);
      }
      dataOffset = body;
      dataBytes = size;
    } else if (id === 'bext') {
      bext = copyBytes(await readExactly(source, body, size, 'bext chunk'));
    } else if (KEPT_CHUNKS.has(id) && body + size <= source.size && size <= 16 * 1024 * 1024) {
      extraChunks.push({ id, data: copyBytes(await readExactly(source, body, size, `${id} chunk`)) });
    }
    pos = body + size + (size & 1);
    if (dataOffset >= 0 && fmt && pos >= source.size) break;
  }
  if (!fmt) fail(source, 'bad-header', 'the file has no fmt chunk.');
  if (dataOffset < 0) {
    if (pos > source.size) fail(source, 'truncated', `a chunk runs past the end of the file (byte ${source.size}) before any audio data.`);
    fail(source, 'bad-header', 'the file has no data chunk.');
  }

  let formatTag = fmt.getUint16(0, true);
  const channels = fmt.getUint16(2, true);
  const rateHz = fmt.getUint32(4, true);
  const blockAlign = fmt.getUint16(12, true);
  const containerBits = fmt.getUint16(14, true);
  let validBits = containerBits;
  let channelMask: number | undefined;
  if (formatTag === FORMAT_EXTENSIBLE) {
    if (fmt.byteLength < 40) fail(source, 'bad-header', 'a WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than 40 bytes.');
    validBits = fmt.getUint16(18, true) || containerBits;
    channelMask = fmt.getUint32(20, true);
    formatTag = fmt.getUint16(24, true);
  }
  if (formatTag !== FORMAT_PCM && formatTag !== FORMAT_FLOAT) {
    const name = KNOWN_CODECS[formatTag] ?? `format 0x${formatTag.toString(16).padStart(4, '0')}`;
    fail(source, 'unsupported-codec', `the audio is ${name}; Lathe reads PCM and IEEE float WAV.`);
  }
  if (channels < 1 || channels > MAX_CHANNELS) fail(source, 'bad-header', `the header says ${channels} channels.`);
  if (rateHz < MIN_RATE_HZ || rateHz > MAX_RATE_HZ) fail(source, 'bad-header', `the header says ${rateHz} Hz, which is not an audio rate.`);
  const float = formatTag === FORMAT_FLOAT;
  const encoding = encodingFor(containerBits, float);
  if (!encoding) fail(source, 'unsupported-codec', `${containerBits}-bit ${float ? 'float' : 'integer'} samples are not supported.`);
  if (blockAlign !== bytesPerSample(encoding) * channels) {
    fail(source, 'bad-header', `the block align is ${blockAlign} bytes but ${channels} channels of ${containerBits} bits need ${bytesPerSample(encoding) * channels}.`);
  }
  const frames = Math.floor(dataBytes / blockAlign);
  if (frames === 0) fail(source, 'no-audio', 'the file holds no audio (0 frames).');
  return {
    container,
    rateHz,
    channels,
    bitDepth: float ? containerBits : Math.min(validBits, containerBits),
    sampleFormat: float ? 'float' : 'int',
    encoding,
    blockAlign,
    frames,
    dataOffset,
    channelMask,
    bext,
    extraChunks
  };
}

export interface WavSpec {
  rateHz: number;
  channels: number;
  encoding: SampleEncoding;
  frames: number;
  /** Write RF64 (with ds64) even below 4 GiB; it is chosen anyway when needed. */
  rf64?: boolean | 'bw64';
  bext?: Uint8Array;
  extraChunks?: { id: string; data: Uint8Array }[];
  channelMask?: number;
}

const RIFF_LIMIT = 0xffffffff;

/** The bytes of a WAV header up to the first sample; the data chunk's body follows it. */
export function wavHeader(spec: WavSpec): Uint8Array {
  const bps = bytesPerSample(spec.encoding);
  if (spec.encoding.endsWith('be') || spec.encoding === 's8') throw new LatheError('bad-format', `WAV cannot hold ${spec.encoding} samples.`);
  const blockAlign = bps * spec.channels;
  const dataBytes = spec.frames * blockAlign;
  const float = isFloatEncoding(spec.encoding);
  const extensible = spec.channels > 2 || bps > 2 || spec.channelMask !== undefined;
  const fmtSize = extensible ? 40 : float ? 18 : 16;
  const chunks: { id: string; data: Uint8Array }[] = [];
  if (spec.bext) chunks.push({ id: 'bext', data: spec.bext });
  for (const c of spec.extraChunks ?? []) chunks.push(c);
  const extraBytes = chunks.reduce((n, c) => n + 8 + c.data.length + (c.data.length & 1), 0);
  const headerBytes = 12 + 8 + fmtSize + extraBytes + 8;
  const needLarge = headerBytes - 8 + dataBytes + (dataBytes & 1) > RIFF_LIMIT;
  const large = spec.rf64 || needLarge;
  const ds64Size = large ? 8 + 28 : 0;
  const out = new Uint8Array(headerBytes + ds64Size);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  const riffSize = headerBytes + ds64Size - 8 + dataBytes + (dataBytes & 1);
  put(0, large ? (spec.rf64 === 'bw64' ? 'BW64' : 'RF64') : 'RIFF');
  v.setUint32(4, large ? RIFF_LIMIT : riffSize, true);
  put(8, 'WAVE');
  let p = 12;
  if (large) {
    put(p, 'ds64');
    v.setUint32(p + 4, 28, true);
    setU64(v, p + 8, riffSize);
    setU64(v, p + 16, dataBytes);
    setU64(v, p + 24, spec.frames);
    v.setUint32(p + 32, 0, true);
    p += 36;
  }
  put(p, 'fmt ');
  v.setUint32(p + 4, fmtSize, true);
  v.setUint16(p + 8, extensible ? FORMAT_EXTENSIBLE : float ? FORMAT_FLOAT : FORMAT_PCM, true);
  v.setUint16(p + 10, spec.channels, true);
  v.setUint32(p + 12, spec.rateHz, true);
  v.setUint32(p + 16, spec.rateHz * blockAlign, true);
  v.setUint16(p + 20, blockAlign, true);
  v.setUint16(p + 22, bps * 8, true);
  if (extensible) {
    v.setUint16(p + 24, 22, true);
    v.setUint16(p + 26, bps * 8, true);
    v.setUint32(p + 28, spec.channelMask ?? impliedChannelMask(spec.channels), true);
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000000X-0000-0010-8000-00aa00389b71}
    v.setUint16(p + 32, float ? FORMAT_FLOAT : FORMAT_PCM, true);
    out.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], p + 34);
  } else if (float) {
    v.setUint16(p + 24, 0, true);
  }
  p += 8 + fmtSize;
  for (const c of chunks) {
    put(p, c.id);
    v.setUint32(p + 4, c.data.length, true);
    out.set(c.data, p + 8);
    p += 8 + c.data.length + (c.data.length & 1);
  }
  put(p, 'data');
  v.setUint32(p + 4, large ? RIFF_LIMIT : dataBytes, true);
  return out;
}

function setU64(v: DataView, at: number, n: number): void {
  v.setUint32(at, n % 2 ** 32, true);
  v.setUint32(at + 4, Math.floor(n / 2 ** 32), true);
}

/** A whole WAV file in memory, for small files and tests. */
export function encodeWav(planar: ArrayLike<number>[], spec: Omit<WavSpec, 'channels' | 'frames'> & { frames?: number }): Uint8Array {
  const frames = spec.frames ?? planar[0]?.length ?? 0;
  const full: WavSpec = { ...spec, channels: planar.length, frames };
  const header = wavHeader(full);
  const dataBytes = frames * bytesPerSample(spec.encoding) * planar.length;
  const out = new Uint8Array(header.length + dataBytes + (dataBytes & 1));
  out.set(header, 0);
  encodeInterleaved(planar, 0, frames, spec.encoding, out.subarray(header.length, header.length + dataBytes));
  return out;
}
