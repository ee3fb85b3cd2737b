/**
 * The album's signal flow for one block, shared by the renderer and live playback: clip gain and
 * fades -> clip chain -> track bus -> track chain -> sum -> master chain. Chains keep their state
 * from block to block, so blocks must follow each other; clip and track latency is compensated
 * (trackSpans), the master's is left to the caller.
 */
import type { ChainTarget } from '../album/chains';
import type { Album } from '../album/model';
import type { AlbumLayout } from '../album/timeline';
import { applyClipEnvelope } from '../dsp/fades';
import { ChainRunner, type ChainOptions } from './chain';
import { trackSpans, type ChainedSpan } from './spans';
import type { ClipReader } from './readers';

const CHANNELS = 2;

/** Told where each clip span landed in the block, for the renderer's bit-transparency marks. */
export type SpanListener = (span: ChainedSpan, clipChainEmpty: boolean) => void;

export class AlbumMixer {
  readonly master: ChainRunner;
  private readonly trackChains: ChainRunner[];
  private readonly clipChains = new Map<string, ChainRunner>();
  private readonly trackBus: Float32Array[];
  private readonly clipBuf: Float32Array[];

  /**
   * `read` gives clip audio at the album rate. With `chains.skipUnavailable`, slots no kernel is
   * made for are left out instead of refused (live playback of chains whose plugins only render).
   */
  constructor(
    private readonly album: Album,
    private readonly layout: AlbumLayout,
    private readonly read: ClipReader,
    readonly maxFrames: number,
    chains: ChainOptions = {}
  ) {
    const rate = album.rateHz;
    this.master = ChainRunner.create(album.masterChain, rate, CHANNELS, 'the master chain', chains);
    this.trackChains = album.tracks.map((t, i) => ChainRunner.create(t.chain, rate, CHANNELS, `track ${i + 1}`, chains));
    album.tracks.forEach((t, i) =>
      t.clips.forEach((c, k) => this.clipChains.set(c.id, ChainRunner.create(c.chain, rate, CHANNELS, `clip ${k + 1} of track ${i + 1}`, chains)))
    );
    this.trackBus = [new Float32Array(maxFrames), new Float32Array(maxFrames)];
    this.clipBuf = [new Float32Array(maxFrames), new Float32Array(maxFrames)];
  }

  /** Whether a track or master chain processes the audio (then every sample is processed). */
  get anyBusChain(): boolean {
    return !this.master.empty || this.trackChains.some((c) => !c.empty);
  }

  /** Whether any chain, clip chains included, touches the audio. */
  get anyChain(): boolean {
    return this.anyBusChain || [...this.clipChains.values()].some((c) => !c.empty);
  }

  /**
   * Feeds `listener` the gain reduction of every dynamics slot as the mix runs (live meters),
   * naming the chain as the album does ('master', a track's id, a clip's id).
   */
  meter(listener: (chain: ChainTarget, slot: number, atSample: number, reductionDb: number) => void): void {
    this.master.onReduction = (slot, at, db) => listener({ kind: 'master' }, slot, at, db);
    this.album.tracks.forEach((t, i) => {
      this.trackChains[i].onReduction = (slot, at, db) => listener({ kind: 'track', trackId: t.id }, slot, at, db);
      for (const c of t.clips) {
        const runner = this.clipChains.get(c.id);
        if (runner) runner.onReduction = (slot, at, db) => listener({ kind: 'clip', clipId: c.id }, slot, at, db);
      }
    });
  }

  /** Hears what slot `slot` of a chain outputs as the mix runs (null stops): a GUI's spectrum. */
  tap(target: ChainTarget | null, slot: number, listener: (atSample: number, channels: Float32Array[], n: number) => void): void {
    const runners = [this.master, ...this.trackChains, ...this.clipChains.values()];
    for (const r of runners) r.tap = undefined;
    if (!target) return;
    const runner =
      target.kind === 'master'
        ? this.master
        : target.kind === 'track'
          ? this.trackChains[this.album.tracks.findIndex((t) => t.id === target.trackId)]
          : this.clipChains.get(target.clipId);
    if (runner) runner.tap = { slot, listener };
  }

  /** Mixes album samples [from, from + n) into out[c][0..n), through every chain. */
  async mix(from: number, n: number, out: Float32Array[], onSpan?: SpanListener): Promise<void> {
    const { trackBus, clipBuf } = this;
    for (const ch of out) ch.fill(0, 0, n);
    for (let ti = 0; ti < this.album.tracks.length; ti++) {
      const chain = this.trackChains[ti];
      const mine = trackSpans(this.album, this.layout, ti, from, n, chain.latencySamples, (c) => (this.clipChains.get(c.id) as ChainRunner).latencySamples);
      if (mine.length === 0 && chain.empty) continue;
      // Without a track chain, clips sum straight into the output.
      const bus = chain.empty ? out : trackBus;
      if (!chain.empty) for (const ch of trackBus) ch.fill(0, 0, n);
      for (const span of mine) {
        const views = clipBuf.map((b) => b.subarray(0, span.lengthSamples));
        if (span.audioSamples > 0) {
          const audio = clipBuf.map((b) => b.subarray(0, span.audioSamples));
          await this.read(span.clip, span.clip.sourceOffsetSamples + span.clipOffset, span.audioSamples, audio);
          applyClipEnvelope(span.clip, audio, span.audioSamples, span.clipOffset);
        }
        for (const v of views) v.fill(0, span.audioSamples);
        const clipChain = this.clipChains.get(span.clip.id) as ChainRunner;
        if (!clipChain.empty) clipChain.process(views, span.lengthSamples, from + span.busStart);
        const at = span.busStart;
        const l = views[0];
        const r = views[1];
        const busL = bus[0];
        const busR = bus[1];
        for (let i = 0; i < span.lengthSamples; i++) {
          busL[at + i] += l[i];
          busR[at + i] += r[i];
        }
        onSpan?.(span, clipChain.empty);
      }
      if (!chain.empty) {
        chain.process(trackBus, n, from);
        for (let i = 0; i < n; i++) {
          out[0][i] += trackBus[0][i];
          out[1][i] += trackBus[1][i];
        }
      }
    }
    if (!this.master.empty) this.master.process(out, n, from);
  }
}
