import { LatheDb } from '$lib/web/store/db';
import { encodeWav } from '$lib/core/audio/wav';
import type { SampleEncoding } from '$lib/core/album/model';

export function freshDb(): LatheDb {
  return new LatheDb(`lathe-test-${crypto.randomUUID()}`);
}

export function sineChannels(frames: number, rateHz: number, channels = 2, freqHz = 440, amplitude = 0.5): Float32Array[] {
  return Array.from({ length: channels }, (_, c) => {
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * freqHz * (c + 1) * i) / rateHz) * 32767) / 32768 + 0;
    return out;
  });
}

export function wavFile(name: string, planar: Float32Array[], rateHz: number, encoding: SampleEncoding = 's16le'): File {
  return new File([encodeWav(planar, { rateHz, encoding }) as BlobPart], name, { type: 'audio/wav' });
}
