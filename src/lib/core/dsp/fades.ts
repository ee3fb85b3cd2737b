/** Clip gain and fade envelopes: the one implementation used by playback and by renders. */
export type FadeCurve = 'linear' | 'equalPower' | 'sCurve' | 'exponential';

export const FADE_CURVES: readonly FadeCurve[] = ['linear', 'equalPower', 'sCurve', 'exponential'];

/** What of a clip shapes its level: the album's Clip has these fields. */
export interface ClipEnvelope {
  gainDb: number;
  lengthSamples: number;
  fadeInSamples: number;
  fadeOutSamples: number;
  fadeInCurve: FadeCurve;
  fadeOutCurve: FadeCurve;
  muted: boolean;
}

export function dbToGain(db: number): number {
  return Math.pow(10, db / 20);
}

export function gainToDb(gain: number): number {
  return 20 * Math.log10(gain);
}

/** Fade-in shape on x in [0, 1]: 0 at the start, 1 at the end. */
export function fadeShape(curve: FadeCurve, x: number): number {
  const t = x <= 0 ? 0 : x >= 1 ? 1 : x;
  switch (curve) {
    case 'linear':
      return t;
    case 'equalPower':
      return Math.sin((t * Math.PI) / 2);
    case 'sCurve':
      return (1 - Math.cos(Math.PI * t)) / 2;
    case 'exponential':
      // 60 dB of range, then lands on 0 so the fade starts from true silence.
      return t === 0 ? 0 : Math.pow(10, (-60 * (1 - t)) / 20);
  }
}

/** The clip's gain at a sample offset from its start: clip gain times both fades; 0 when muted. */
export function clipGainAt(clip: ClipEnvelope, offsetSamples: number): number {
  if (clip.muted || offsetSamples < 0 || offsetSamples >= clip.lengthSamples) return 0;
  let g = dbToGain(clip.gainDb);
  if (clip.fadeInSamples > 0 && offsetSamples < clip.fadeInSamples) {
    g *= fadeShape(clip.fadeInCurve, offsetSamples / clip.fadeInSamples);
  }
  const fromEnd = clip.lengthSamples - offsetSamples;
  if (clip.fadeOutSamples > 0 && fromEnd <= clip.fadeOutSamples) {
    g *= fadeShape(clip.fadeOutCurve, (fromEnd - 1) / clip.fadeOutSamples);
  }
  return g;
}

/**
 * Multiplies planar audio by the clip's envelope in place. Sample i of the block sits at clip
 * offset `clipOffset + i * step` (step < 1 when the block is at a higher rate than the album).
 */
export function applyClipEnvelope(clip: ClipEnvelope, channels: Float32Array[], n: number, clipOffset: number, step = 1, from = 0): void {
  const flat = !clip.muted && clip.fadeInSamples === 0 && clip.fadeOutSamples === 0;
  if (flat) {
    const g = dbToGain(clip.gainDb);
    if (g === 1) return;
    for (const ch of channels) for (let i = from; i < from + n; i++) ch[i] *= g;
    return;
  }
  for (let i = 0; i < n; i++) {
    const g = clipGainAt(clip, Math.floor(clipOffset + i * step));
    for (const ch of channels) ch[from + i] *= g;
  }
}
