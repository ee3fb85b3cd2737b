/**
 * Streams audio through an offline context without holding it there: `lathe-feed` plays chunks
 * the page posts (acknowledging each), `lathe-tap` posts what reaches it in chunks of a fixed size.
 * The page suspends the context on chunk boundaries, so neither side ever waits on the other.
 */
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

type FeedMessage = { type: 'chunk'; id: number; planar: Float32Array[] } | { type: 'end'; id: number };

class FeedProcessor extends AudioWorkletProcessor {
  private readonly queue: Float32Array[][] = [];
  /** Read position in the chunk at the head of the queue. */
  private at = 0;
  private ended = false;
  private underrun = false;
  private frame = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<FeedMessage>) => {
      if (e.data.type === 'end') this.ended = true;
      else this.queue.push(e.data.planar);
      this.port.postMessage({ type: 'ack', id: e.data.id });
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0];
    const n = out[0].length;
    let done = 0;
    while (done < n && this.queue.length) {
      const head = this.queue[0];
      const take = Math.min(n - done, head[0].length - this.at);
      for (let c = 0; c < out.length; c++) out[c].set(head[Math.min(c, head.length - 1)].subarray(this.at, this.at + take), done);
      done += take;
      this.at += take;
      if (this.at === head[0].length) {
        this.queue.shift();
        this.at = 0;
      }
    }
    if (done < n) {
      for (const ch of out) ch.fill(0, done);
      // Past the end, silence is right (plugin tails); before it, the page fell behind.
      if (!this.ended && !this.underrun) {
        this.underrun = true;
        this.port.postMessage({ type: 'underrun', frame: this.frame + done });
      }
    }
    this.frame += n;
    return true;
  }
}

class TapProcessor extends AudioWorkletProcessor {
  private readonly chunkFrames: number;
  private buffers: Float32Array[];
  private filled = 0;

  constructor(options: { processorOptions: { chunkFrames: number } }) {
    super();
    this.chunkFrames = options.processorOptions.chunkFrames;
    this.buffers = [new Float32Array(this.chunkFrames), new Float32Array(this.chunkFrames)];
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0];
    const n = 128;
    for (let c = 0; c < 2; c++) {
      // An input with no channels is silence (nothing connected, or a source that stopped).
      if (input.length) this.buffers[c].set(input[Math.min(c, input.length - 1)], this.filled);
      else this.buffers[c].fill(0, this.filled, this.filled + n);
    }
    this.filled += n;
    if (this.filled === this.chunkFrames) {
      this.port.postMessage({ type: 'chunk', planar: this.buffers }, this.buffers.map((b) => b.buffer));
      this.buffers = [new Float32Array(this.chunkFrames), new Float32Array(this.chunkFrames)];
      this.filled = 0;
    }
    return true;
  }
}

registerProcessor('lathe-feed', FeedProcessor);
registerProcessor('lathe-tap', TapProcessor);
