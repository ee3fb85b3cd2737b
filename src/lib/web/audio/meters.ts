/** Live meters for whatever plays: the audio-thread loudness meter and a spectrum analyser. */
import meterWorkletUrl from '../../../../worklets/meters.worklet.ts?worker&url';
import type { MeterReading } from '../../../../worklets/meters.worklet';

export type { MeterReading };

const loaded = new WeakSet<BaseAudioContext>();

async function meterNode(ctx: BaseAudioContext, loudnessOnly = false): Promise<AudioWorkletNode> {
  if (!loaded.has(ctx)) {
    await ctx.audioWorklet.addModule(meterWorkletUrl);
    loaded.add(ctx);
  }
  return new AudioWorkletNode(ctx, 'lathe-meters', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 2, channelCountMode: 'explicit', outputChannelCount: [2], processorOptions: { loudnessOnly } });
}

/**
 * The loudness of one signal in the graph, heard or not (the album and what it is compared with
 * are both measured while one of them plays), on the same audio-thread meter as the live meters.
 */
export class LoudnessProbe {
  reading: MeterReading | null = null;

  private constructor(
    private readonly source: AudioNode,
    private readonly node: AudioWorkletNode,
    private readonly sink: GainNode
  ) {}

  static async attach(ctx: BaseAudioContext, source: AudioNode): Promise<LoudnessProbe> {
    const node = await meterNode(ctx, true);
    const sink = ctx.createGain();
    sink.gain.value = 0;
    sink.connect(ctx.destination);
    const p = new LoudnessProbe(source, node, sink);
    node.port.onmessage = (e: MessageEvent<MeterReading>) => (p.reading = e.data);
    source.connect(node);
    node.connect(sink);
    return p;
  }

  /** Starts its integrated loudness afresh. */
  reset(): void {
    this.reading = null;
    this.node.port.postMessage('reset');
  }

  detach(): void {
    this.source.disconnect(this.node);
    this.node.disconnect();
    this.sink.disconnect();
  }
}

export class LiveMeters {
  readonly analyser: AnalyserNode;
  private node: AudioWorkletNode | undefined;
  private sink: GainNode;
  onReading: (r: MeterReading) => void = () => {};

  private constructor(
    private ctx: AudioContext,
    private source: AudioNode
  ) {
    this.analyser = ctx.createAnalyser();
    this.analyser.fftSize = 8192;
    this.analyser.smoothingTimeConstant = 0.6;
    // A silent sink keeps the meter node in the rendered graph.
    this.sink = ctx.createGain();
    this.sink.gain.value = 0;
    this.sink.connect(ctx.destination);
  }

  static async attach(ctx: AudioContext, source: AudioNode): Promise<LiveMeters> {
    const m = new LiveMeters(ctx, source);
    m.node = await meterNode(ctx);
    m.node.port.onmessage = (e: MessageEvent<MeterReading>) => m.onReading(e.data);
    source.connect(m.node);
    source.connect(m.analyser);
    m.node.connect(m.sink);
    return m;
  }

  /**
   * Meters the channels of the monitored layout (their BS.1770 weights; 0 for an LFE) and starts
   * afresh: two channels take a mono source on both sides, more are read as they are.
   */
  setChannels(weights: number[]): void {
    if (!this.node) return;
    this.node.channelCount = weights.length;
    this.node.channelInterpretation = weights.length > 2 ? 'discrete' : 'speakers';
    this.node.port.postMessage({ weights });
  }

  /** Starts integrated loudness afresh (on play from a new point). */
  reset(): void {
    this.node?.port.postMessage('reset');
  }

  detach(): void {
    this.source.disconnect(this.analyser);
    if (this.node) {
      this.source.disconnect(this.node);
      this.node.disconnect();
    }
    this.sink.disconnect();
  }
}
