/** One pass over a signal: loudness, true peak and statistics, as plain numbers for reports. */
import { LoudnessMeter } from './loudness';
import { channelWeights } from './kweighting';
import { TruePeakMeter } from './truepeak';
import { SignalStats } from './stats';
import { SpectrumMeter, type SpectrumSummary } from './spectrum';

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
  /** Measure the long-term average spectrum and stereo width per band (an FFT pass; off for plain loudness). */
  spectrum?: boolean;
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
  /** RMS over all channels (a full-scale sine reads -3.01), and the crest factor: sample peak over RMS. */
  rmsDbfs: number | null;
  crestDb: number | null;
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
  /** Long-term average spectrum, when asked for. */
  spectrum?: SpectrumSummary;
}

export const dbfs = (x: number): number | null => (x > 0 ? 20 * Math.log10(x) : null);
export const round = (x: number | null, digits = 2) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

export class Analyzer {
  readonly loudness: LoudnessMeter;
  readonly truePeak: TruePeakMeter;
  readonly stats: SignalStats;
  readonly spectrum: SpectrumMeter | null;

  constructor(
    readonly format: SignalFormat,
    options: AnalyzerOptions = {}
  ) {
    this.loudness = new LoudnessMeter(format.rateHz, format.channels, { weights: channelWeights(format.channels, format.channelMask || undefined), keepBlocks: options.keepBlocks });
    this.truePeak = new TruePeakMeter(format.channels, format.rateHz);
    this.stats = new SignalStats(format.channels, format.rateHz);
    this.spectrum = options.spectrum ? new SpectrumMeter(format.rateHz, format.channels) : null;
  }

  process(planar: Float32Array[], n: number, offset = 0): void {
    this.loudness.process(planar, n, offset);
    this.truePeak.process(planar, n, offset);
    this.stats.process(planar, n, offset);
    this.spectrum?.process(planar, n, offset);
  }

  finish(): Analysis {
    this.stats.finish();
    const s = this.stats;
    const f = this.format;
    const integrated = this.loudness.integratedLufs();
    const tp = dbfs(this.truePeak.maxPeak());
    const dc = Math.max(0, ...s.dcOffsets().map(Math.abs));
    const rms = s.frames > 0 ? dbfs(Math.sqrt(s.sumSquares / (s.frames * f.channels))) : null;
    const peak = dbfs(s.samplePeak);
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
      rmsDbfs: round(rms),
      crestDb: rms !== null && peak !== null ? round(peak - rms) : null,
      clippedRuns: s.clippedRuns,
      longestClipRun: s.longestClipRun,
      correlation: round(s.correlation(), 3),
      worstCorrelation: round(s.worstWindowCorrelation, 3),
      headSilenceSec: round((s.firstSound < 0 ? s.frames : s.firstSound) / f.rateHz, 3) ?? 0,
      tailSilenceSec: round((s.lastSound < 0 ? s.frames : s.frames - 1 - s.lastSound) / f.rateHz, 3) ?? 0,
      shortTermSeries: (this.loudness.shortTermSeries ?? []).map((v) => round(v)),
      ...(this.loudness.blockEnergies ? { blockEnergies: Float32Array.from(this.loudness.blockEnergies) } : {}),
      ...(this.loudness.shortTermEnergies ? { shortTermEnergies: Float32Array.from(this.loudness.shortTermEnergies) } : {}),
      ...(this.spectrum ? { spectrum: this.spectrum.finish() } : {})
    };
  }
}
