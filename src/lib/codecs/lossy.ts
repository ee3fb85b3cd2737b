/**
 * Lossy codecs for the round-trip check, as WebAssembly builds that run in Node and in a browser
 * worker alike: MP3 by LAME (wasm-media-encoders) decoded by mpg123 (mpg123-decoder), Ogg Vorbis
 * by libvorbis (wasm-media-encoders) decoded by libvorbis (@wasm-audio-decoders/ogg-vorbis).
 */
import { createMp3Encoder, createOggEncoder } from 'wasm-media-encoders';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import type { LossyCodec, LossyStream } from '../core/delivery/codec-check';

/** LAME's encoder delay plus mpg123's decoder delay, when the decoder does not trim them (it does not here). */
const MP3_DELAY_FRAMES = 576 + 529;

export const mp3Codec: LossyCodec = {
  id: 'mp3',
  label: 'MP3 320 kbit/s (LAME), decoded by mpg123',
  platforms: ['Deezer', 'Amazon Music (downloads)', 'SoundCloud'],
  async open(rateHz, channels): Promise<LossyStream> {
    const encoder = await createMp3Encoder();
    encoder.configure({ sampleRate: rateHz, channels: channels as 1 | 2, bitrate: 320 });
    const decoder = new MPEGDecoder();
    await decoder.ready;
    const decode = (bytes: Uint8Array) => (bytes.length ? decoder.decode(bytes).channelData : []);
    return {
      delayFrames: MP3_DELAY_FRAMES,
      async push(planar, n) {
        return decode(encoder.encode(planar.map((c) => c.subarray(0, n))).slice());
      },
      async finish() {
        const rest = decode(encoder.finalize().slice());
        decoder.free();
        return rest;
      }
    };
  }
};

export const vorbisCodec: LossyCodec = {
  id: 'vorbis',
  label: 'Ogg Vorbis q9, about 320 kbit/s (libvorbis)',
  platforms: ['Spotify'],
  async open(rateHz, channels): Promise<LossyStream> {
    const encoder = await createOggEncoder();
    encoder.configure({ sampleRate: rateHz, channels: channels as 1 | 2, vbrQuality: 9 });
    const decoder = new OggVorbisDecoder();
    await decoder.ready;
    return {
      // Ogg's granule positions place the first sample: the decoder already trims the delay.
      delayFrames: 0,
      async push(planar, n) {
        const bytes = encoder.encode(planar.map((c) => c.subarray(0, n))).slice();
        return bytes.length ? (await decoder.decode(bytes)).channelData : [];
      },
      async finish() {
        const last = encoder.finalize().slice();
        const a = last.length ? (await decoder.decode(last)).channelData.map((c) => c.slice()) : [];
        const b = (await decoder.flush()).channelData;
        const rest = a.length ? a.map((c, i) => concat(c, b[i] ?? new Float32Array(0))) : b;
        decoder.free();
        return rest;
      }
    };
  }
};

function concat(a: Float32Array, b: Float32Array): Float32Array {
  if (!b.length) return a;
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export const LOSSY_CODECS: LossyCodec[] = [vorbisCodec, mp3Codec];
