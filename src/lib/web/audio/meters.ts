/** Live meters for whatever plays: the audio-thread loudness meter and a spectrum analyser. */
import meterWorkletUrl from '../../../../worklets/meters.worklet.ts?worker&url';
import type { MeterReading } from '../../../../worklets/meters.worklet';

export type { MeterReading };

const loaded = new WeakSet<BaseAudioContext>();

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
    if (!loaded.has(ctx)) {
      await ctx.audioWorklet.addModule(meterWorkletUrl);
      loaded.add(ctx);
    }
    const m = new LiveMeters(ctx, source);
    m.node = new AudioWorkletNode(ctx, 'lathe-meters', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 2, channelCountMode: 'explicit', outputChannelCount: [2] });
    m.node.port.onmessage = (e: MessageEvent<MeterReading>) => m.onReading(e.data);
    source.connect(m.node);
    source.connect(m.analyser);
    m.node.connect(m.sink);
    return m;
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
