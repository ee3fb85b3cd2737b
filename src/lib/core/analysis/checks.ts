/** Mix-readiness checks: what a mastering engineer looks for before starting. */
import type { Analysis } from './analyzer';
import type { Severity } from '../problems';

export interface Check {
  id: string;
  severity: Severity;
  message: string;
}

export const LIMITS = {
  headroomDbfs: -6,
  dcOffsetDbfs: -50,
  correlation: -0.2,
  worstCorrelation: -0.5,
  plrDb: 8,
  silenceSec: 2,
  minRateHz: 44_100,
  minBitDepth: 24
};

const f1 = (x: number) => x.toFixed(1);

export function mixChecks(a: Analysis): Check[] {
  const out: Check[] = [];
  if (a.samplePeakDbfs === null) {
    out.push({ id: 'silent', severity: 'error', message: 'The file is digital silence.' });
    return out;
  }
  if (a.clippedRuns > 0) {
    out.push({ id: 'clipping', severity: 'error', message: `${a.clippedRuns} run(s) of clipped samples, the longest ${a.longestClipRun} samples: the mix clips.` });
  }
  if (a.truePeakDbtp !== null && a.truePeakDbtp > 0) {
    out.push({ id: 'inter-sample-overs', severity: 'warning', message: `True peak is ${f1(a.truePeakDbtp)} dBTP: there are inter-sample overs.` });
  }
  if (a.samplePeakDbfs > LIMITS.headroomDbfs) {
    out.push({ id: 'no-headroom', severity: 'warning', message: `Peaks reach ${f1(a.samplePeakDbfs)} dBFS, above ${LIMITS.headroomDbfs} dBFS: little headroom left for mastering.` });
  }
  if (a.rateHz < LIMITS.minRateHz) {
    out.push({ id: 'low-rate', severity: 'warning', message: `The sample rate is ${a.rateHz} Hz, below 44.1 kHz.` });
  }
  if (a.sampleFormat === 'int' && a.bitDepth < LIMITS.minBitDepth) {
    out.push({ id: 'low-bit-depth', severity: 'warning', message: `The mix is ${a.bitDepth}-bit; deliver mixes at 24-bit or float.` });
  }
  if (a.dcOffsetDbfs !== null && a.dcOffsetDbfs > LIMITS.dcOffsetDbfs) {
    out.push({ id: 'dc-offset', severity: 'warning', message: `DC offset of ${f1(a.dcOffsetDbfs)} dBFS.` });
  }
  if ((a.correlation !== null && a.correlation < LIMITS.correlation) || (a.worstCorrelation !== null && a.worstCorrelation < LIMITS.worstCorrelation)) {
    out.push({
      id: 'negative-correlation',
      severity: 'warning',
      message: `Left and right are strongly out of phase (correlation ${a.correlation?.toFixed(2) ?? '-'}, worst 3 s ${a.worstCorrelation?.toFixed(2) ?? '-'}): poor mono compatibility.`
    });
  }
  if (a.plrDb !== null && a.plrDb < LIMITS.plrDb) {
    out.push({ id: 'heavily-limited', severity: 'warning', message: `Peak to loudness ratio is ${f1(a.plrDb)} dB: the mix is already heavily limited.` });
  }
  if (a.headSilenceSec > LIMITS.silenceSec) {
    out.push({ id: 'silence-head', severity: 'info', message: `${f1(a.headSilenceSec)} s of silence at the head.` });
  }
  if (a.tailSilenceSec > LIMITS.silenceSec) {
    out.push({ id: 'silence-tail', severity: 'info', message: `${f1(a.tailSilenceSec)} s of silence at the tail.` });
  }
  return out;
}

/** The checks that still mean something for a track as the album plays it (not for its source file). */
const PLAYBACK_CHECKS = new Set(['silent', 'clipping', 'inter-sample-overs', 'dc-offset', 'negative-correlation']);

export function playbackChecks(a: Analysis): Check[] {
  return mixChecks(a).filter((c) => PLAYBACK_CHECKS.has(c.id));
}
