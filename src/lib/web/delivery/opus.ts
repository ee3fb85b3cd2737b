/**
 * Opus for the codec round trip, through the browser's own WebCodecs encoder and decoder (what
 * Chromium offers; no AAC encoder on Linux). Raw Opus packets, 48 kHz: the decoder's output leads
 * by the encoder's 312-sample pre-skip, which is dropped.
 */
import type { LossyCodec, LossyStream } from '$lib/core/delivery/codec-check';

export const OPUS_PRE_SKIP_FRAMES = 312;

export function hasWebCodecsOpus(): boolean {
  return typeof AudioEncoder !== 'undefined' && typeof AudioDecoder !== 'undefined';
}

export const opusCodec: LossyCodec = {
  id: 'opus',
  label: 'Opus 160 kbit/s (WebCodecs)',
  platforms: ['YouTube', 'Amazon Music', 'SoundCloud'],
  rates: [48_000],
  async open(rateHz, channels): Promise<LossyStream> {
    let failure: Error | null = null;
    const ready: Float32Array[][] = [];
    const decoder = new AudioDecoder({
      output: (a) => {
        const planes = Array.from({ length: a.numberOfChannels }, (_, c) => {
          const p = new Float32Array(a.numberOfFrames);
          a.copyTo(p, { planeIndex: c, format: 'f32-planar' });
          return p;
        });
        a.close();
        ready.push(planes);
      },
      error: (e) => (failure = e)
    });
    decoder.configure({ codec: 'opus', sampleRate: rateHz, numberOfChannels: channels });
    const encoder = new AudioEncoder({
      output: (chunk) => decoder.decode(chunk),
      error: (e) => (failure = e)
    });
    encoder.configure({ codec: 'opus', sampleRate: rateHz, numberOfChannels: channels, bitrate: 160_000 });
    let frames = 0;
    const take = () => {
      if (failure) throw failure;
      const n = ready.reduce((s, p) => s + p[0].length, 0);
      const out = Array.from({ length: channels }, () => new Float32Array(n));
      let at = 0;
      for (const p of ready) {
        for (let c = 0; c < channels; c++) out[c].set(p[c], at);
        at += p[0].length;
      }
      ready.length = 0;
      return out;
    };
    return {
      delayFrames: OPUS_PRE_SKIP_FRAMES,
      async push(planar, n) {
        const data = new Float32Array(n * channels);
        for (let c = 0; c < channels; c++) data.set(planar[c].subarray(0, n), c * n);
        encoder.encode(new AudioData({ format: 'f32-planar', sampleRate: rateHz, numberOfFrames: n, numberOfChannels: channels, timestamp: Math.round((frames / rateHz) * 1e6), data }));
        frames += n;
        // Let the codec keep up, so decoded audio does not pile up in memory.
        while (encoder.encodeQueueSize > 4 || decoder.decodeQueueSize > 8) await new Promise((r) => setTimeout(r, 0));
        return take();
      },
      async finish() {
        await encoder.flush();
        await decoder.flush();
        const rest = take();
        encoder.close();
        decoder.close();
        return rest;
      }
    };
  }
};
