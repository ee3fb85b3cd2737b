/**
 * The codec round trip: each streaming master encoded as the platforms encode it, decoded again,
 * and read for what the listener's decoder gets: the unclamped true peak, afclip's overs, and the
 * loudness change. Encoders and decoders are injected (WebAssembly builds, or WebCodecs in a
 * browser); each track is streamed through them block by block.
 */
import { Analyzer } from '../analysis/analyzer';
import { OverDetector, type OverReport } from '../analysis/overs';

export interface LossyStream {
  /** Encodes a block and returns what comes out decoded so far (planar floats, any length). */
  push(planar: Float32Array[], n: number): Promise<Float32Array[]>;
  /** Ends the stream; returns the rest of the decoded audio. */
  finish(): Promise<Float32Array[]>;
  /** The decoder's output leads the input by this many frames (encoder and decoder delay). */
  readonly delayFrames: number;
}

export interface LossyCodec {
  id: string;
  /** e.g. "MP3 320 kbit/s (LAME)". */
  label: string;
  /** Which platforms stream in it. */
  platforms: string[];
  /** The rates it takes; any when absent. */
  rates?: number[];
  open(rateHz: number, channels: number): Promise<LossyStream>;
}

export interface CodecTrackReport {
  track: number;
  codec: string;
  label: string;
  decodedTruePeakDbtp: number | null;
  decodedSamplePeakDbfs: number | null;
  overs: OverReport;
  /** Decoded integrated loudness minus the master's. */
  loudnessChangeLu: number | null;
  /** The master's own true peak, for comparison. */
  masterTruePeakDbtp: number | null;
  /** Set when the decoded audio goes over full scale: the gain (negative) that would clear it, with 0.1 dB to spare. */
  clearingGainDb: number | null;
}

const CLEARING_MARGIN_DB = 0.1;

const meter = (rateHz: number) => new Analyzer({ rateHz, channels: 2, bitDepth: 24, sampleFormat: 'int' });

/** One track through every codec at once. */
export class CodecRoundTrip {
  private streams: { codec: LossyCodec; stream: LossyStream; overs: OverDetector; decoded: Analyzer; skip: number }[] = [];
  private master: Analyzer;

  private constructor(
    readonly track: number,
    readonly rateHz: number
  ) {
    this.master = meter(rateHz);
  }

  static async open(track: number, rateHz: number, codecs: LossyCodec[]): Promise<CodecRoundTrip> {
    const t = new CodecRoundTrip(track, rateHz);
    for (const codec of codecs) {
      if (codec.rates && !codec.rates.includes(rateHz)) continue;
      const stream = await codec.open(rateHz, 2);
      t.streams.push({ codec, stream, overs: new OverDetector(2, rateHz, 200, 0), decoded: meter(rateHz), skip: stream.delayFrames });
    }
    return t;
  }

  private take(s: CodecRoundTrip['streams'][number], out: Float32Array[]) {
    let n = out[0]?.length ?? 0;
    if (n === 0) return;
    // The codec's delay is leading silence, not the master's: it is dropped, so times match.
    let from = 0;
    if (s.skip > 0) {
      from = Math.min(s.skip, n);
      s.skip -= from;
      n -= from;
      if (n === 0) return;
    }
    const block = from ? out.map((c) => c.subarray(from)) : out;
    s.overs.process(block, n);
    s.decoded.process(block, n);
  }

  async push(planar: Float32Array[], n: number): Promise<void> {
    this.master.process(planar, n);
    for (const s of this.streams) this.take(s, await s.stream.push(planar, n));
  }

  async finish(): Promise<CodecTrackReport[]> {
    const master = this.master.finish();
    const out: CodecTrackReport[] = [];
    for (const s of this.streams) {
      this.take(s, await s.stream.finish());
      const d = s.decoded.finish();
      const overs = s.overs.report();
      const over = overs.truePeakDbtp !== null && overs.truePeakDbtp > 0;
      out.push({
        track: this.track,
        codec: s.codec.id,
        label: s.codec.label,
        decodedTruePeakDbtp: overs.truePeakDbtp,
        decodedSamplePeakDbfs: overs.samplePeakDbfs,
        overs,
        loudnessChangeLu: d.integratedLufs !== null && master.integratedLufs !== null ? Math.round((d.integratedLufs - master.integratedLufs) * 100) / 100 : null,
        masterTruePeakDbtp: master.truePeakDbtp,
        // 0.1 dB beyond the decoded peak, for the codec's own non-linearity: measured after encoding, as it must be.
        clearingGainDb: over ? -Math.ceil(((overs.truePeakDbtp as number) + CLEARING_MARGIN_DB) * 10) / 10 : null
      });
    }
    return out;
  }
}
