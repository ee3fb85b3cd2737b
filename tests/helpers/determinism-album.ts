/**
 * One album rendered by both hosts: the CLI in Node and the app's render worker in Chromium, which
 * must write the same IMAGE.DAT. Its sources need resampling (96 and 48 kHz), its chains run
 * first-party kernels (EQ on a clip, compressor on a track, limiter on the master), and the CD is
 * dithered with noise shaping.
 */
import { programme } from './programme';

export const DETERMINISM_SOURCES = [
  { name: 'a.wav', rateHz: 96_000, seconds: 6, seed: 21 },
  { name: 'b.wav', rateHz: 48_000, seconds: 5, seed: 22 }
] as const;

export function determinismAudio(i: number): Float32Array[] {
  const s = DETERMINISM_SOURCES[i];
  // On the 24-bit grid, so both hosts store exactly these samples.
  return programme({ rateHz: s.rateHz, seconds: s.seconds, seed: s.seed, sectionsDb: [-10, -4], width: 0.7 }).map((ch) => ch.map((x) => Math.round(Math.max(-1, Math.min(1, x)) * 8_388_607) / 8_388_608));
}

export const DETERMINISM_ALBUM = {
  format: 'lathe-album',
  version: 1,
  title: 'Same Bytes',
  artist: 'Lathe',
  rateHz: 96_000,
  tracks: [
    { title: 'One', clips: [{ source: 'audio/a.wav', fadeInSec: 0.2, gainDb: -1.5, chain: [{ plugin: 'lathe.eq', params: { band1Type: 'highShelf', band1FreqHz: 8000, band1GainDb: 2.5 } }] }] },
    { title: 'Two', gapBeforeSec: 1.25, clips: [{ source: 'audio/b.wav', fadeOutSec: 0.5, fadeOutCurve: 'sCurve' }], chain: [{ plugin: 'lathe.compressor', params: { thresholdDb: -20, ratio: 3 } }] }
  ],
  masterChain: [{ plugin: 'lathe.limiter', params: { ceilingDbtp: -1, inputGainDb: 6 } }]
};
