/**
 * The monitor stage of immersive playback on the audio thread: the monitor layout's mix in, the
 * device bus (output 0) and the binaural decoder's ambisonic bus (output 1) out, through core's
 * MonitorMatrix. A new mode arrives as matrices and is crossfaded in.
 */
import { MonitorMatrix, type MonitorMatrices } from '../src/lib/core/spatial/monitor';

declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}

export interface MonitorMessage {
  matrices: MonitorMatrices;
  fadeSamples: number;
}

interface Options {
  processorOptions: { inputs: number; busRows: number[] } & MonitorMessage;
}

class MonitorProcessor extends AudioWorkletProcessor {
  private readonly matrix: MonitorMatrix;

  constructor(options: Options) {
    super(options);
    const o = options.processorOptions;
    this.matrix = new MonitorMatrix(o.inputs, o.busRows);
    this.matrix.set([o.matrices.device, o.matrices.ambisonic], 0);
    this.port.onmessage = (e: MessageEvent<MonitorMessage>) => this.matrix.set([e.data.matrices.device, e.data.matrices.ambisonic], e.data.fadeSamples);
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    this.matrix.process(inputs[0] ?? [], outputs, outputs[0][0].length);
    return true;
  }
}

registerProcessor('lathe-spatial-monitor', MonitorProcessor);
