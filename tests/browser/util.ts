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

/**
 * Polls until `condition` holds (or gives a value), failing with `what` after `timeoutMs`: tests
 * wait for what they need, never for a fixed time.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await condition();
    if (v) return v as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves once an audio context's own clock has moved on by `seconds`. */
export function audioTimePasses(ctx: BaseAudioContext, seconds: number): Promise<unknown> {
  const until = ctx.currentTime + seconds;
  return waitFor(() => ctx.currentTime >= until, `${seconds} s of audio time`);
}
