/**
 * FLAC through kept libraries: mediabunny writes the file (STREAMINFO, Vorbis comments, PICTURE)
 * and @mediabunny/flac-encoder encodes with a WebAssembly libFLAC, in a worker thread of the
 * browser or of Node alike. Core's master writer reaches it through FlacEncoderFactory.
 */
import { AudioSample, AudioSampleSource, BufferTarget, FlacOutputFormat, Output } from 'mediabunny';
import { registerFlacEncoder } from '@mediabunny/flac-encoder';
import type { FlacEncoderFactory } from '../core/delivery/masters';

let registered = false;

export const flacEncoder: FlacEncoderFactory = async ({ rateHz, channels, bits, comments, artwork }) => {
  if (!registered) {
    registerFlacEncoder();
    registered = true;
  }
  const output = new Output({ format: new FlacOutputFormat(), target: new BufferTarget() });
  const source = new AudioSampleSource({ codec: 'flac', bitrate: 1 });
  output.addAudioTrack(source);
  output.setMetadataTags({
    raw: comments,
    ...(artwork ? { images: [{ data: artwork.bytes, mimeType: artwork.mimeType, kind: 'coverFront' as const }] } : {})
  });
  await output.start();
  let framesIn = 0;
  return {
    async add(ints, frames) {
      // 24-bit samples go in as the top of 32-bit words, so the encoder's 24 bits are exactly ours.
      const data = bits === 16 ? Int16Array.from(ints.subarray(0, frames * channels)) : ints.slice(0, frames * channels).map((x) => x * 256);
      const sample = new AudioSample({ data, format: bits === 16 ? 's16' : 's32', numberOfChannels: channels, sampleRate: rateHz, timestamp: framesIn / rateHz });
      framesIn += frames;
      await source.add(sample);
      sample.close();
    },
    async finish() {
      await output.finalize();
      return new Uint8Array(output.target.buffer as ArrayBuffer);
    }
  };
};
