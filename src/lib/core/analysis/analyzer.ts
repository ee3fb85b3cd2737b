/** One pass over a signal: loudness, true peak and statistics, as plain numbers for reports. */
import { LoudnessMeter } from './loudness';
import { channelWeights } from './kweighting';
import { TruePeakMeter } from './truepeak';
import { SignalStats } from './stats';

export interface SignalFormat {
  rateHz: number;
  channels: number;
  bitDepth: number;
  sampleFormat: 'int' | 'float';
  /** WAVE speaker mask; the usual layout for the channel count when absent. */
  channelMask?: number;
}

export interface AnalyzerOptions {
  /** Keep every gating block's energy, so albums can be gated later from stored tracks. */
  keepBlocks?: boolean;
}

export interface Analysis {
  rateHz: number;
  channels: number;
  bitDepth: number;
  sampleFormat: 'int' | 'float';
  frames: number;
  durationSec: number;
  integratedLufs: number | null;
  loudnessRangeLu: number | null;
  maxMomentaryLufs: number | null;
  maxShortTermLufs: number | null;
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
  /** Peak to loudness ratio: true peak minus integrated loudness. */
  plrDb: number | null;
  dcOffsetDbfs: number | null;
  clippedRuns: number;
  longestClipRun: number;
  correlation: number | null;
  worstCorrelation: number | null;
  headSilenceSec: number;
  tailSilenceSec: number;
  /** Short-term loudness every 100 ms from 3 s on; null where silent. */
  shortTermSeries: (number | null)[];
  /** Gating-block energies (10 a second), when kept. */
  blockEnergies?: Float32Array;
  /** Short-term energies (10 a second), when kept. */
  shortTermEnergies?: Float32Array;
}

export const dbfs = (x: number): number | null => (x > 0 ? 20 * Math.log10(x) : null);
export const round = (x: number | null, digits = 2) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

export class Analyzer {
  readonly loudness: LoudnessMeter;
  readonly truePeak: TruePeakMeter;
  readonly stats: SignalStats;

  constructor(
    readonly format: SignalFormat,
    options: AnalyzerOptions = {}
  ) {
    this.loudness = new LoudnessMeter(format.rateHz, format.channels, { weights: channelWeights(format.channels, format.channelMask || undefined), keepBlocks: options.keepBlocks });
    this.truePeak = new TruePeakMeter(format.channels, format.rateHz);
    this.stats = new SignalStats(format.channels, format.rateHz);
  }

  process(planar: Float32Array[], n: number, offset = 0): void {
    this.loudness.process(planar, n, offset);
    this.truePeak.process(planar, n, offset);
    this.stats.process(planar, n, offset);
  }

  finish(): Analysis {
    this.stats.finish();
    const s = this.stats;
    const f = this.format;
    const integrated = this.loudness.integratedLufs();
    const tp = dbfs(this.truePeak.maxPeak());
    const dc = Math.max(0, ...s.dcOffsets().map(Math.abs));
    return {
      rateHz: f.rateHz,
      channels: f.channels,
      bitDepth: f.bitDepth,
      sampleFormat: f.sampleFormat,
      frames: s.frames,
      durationSec: s.frames / f.rateHz,
      integratedLufs: round(integrated),
      loudnessRangeLu: round(this.loudness.loudnessRangeLu()),
      maxMomentaryLufs: round(this.loudness.maxMomentaryLufs()),
      maxShortTermLufs: round(this.loudness.maxShortTermLufs()),
      truePeakDbtp: round(tp),
      samplePeakDbfs: round(dbfs(s.samplePeak)),
      plrDb: tp !== null && integrated !== null ? round(tp - integrated) : null,
      dcOffsetDbfs: round(dbfs(dc)),
      clippedRuns: s.clippedRuns,
      longestClipRun: s.longestClipRun,
      correlation: round(s.correlation(), 3),
      worstCorrelation: round(s.worstWindowCorrelation, 3),
      headSilenceSec: round((s.firstSound < 0 ? s.frames : s.firstSound) / f.rateHz, 3) ?? 0,
      tailSilenceSec: round((s.lastSound < 0 ? s.frames : s.frames - 1 - s.lastSound) / f.rateHz, 3) ?? 0,
      shortTermSeries: (this.loudness.shortTermSeries ?? []).map((v) => round(v)),
      ...(this.loudness.blockEnergies ? { blockEnergies: Float32Array.from(this.loudness.blockEnergies) } : {}),
      ...(this.loudness.shortTermEnergies ? { shortTermEnergies: Float32Array.from(this.loudness.shortTermEnergies) } : {})
    };
  }
}
