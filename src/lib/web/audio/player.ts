/**
 * Plays the album from any point: renders the clips of each short window into AudioBuffers a
 * little ahead of time and schedules them sample-accurately, so memory never holds the album.
 */
import type { Album, Asset, Chain } from '$lib/core/album/model';
import type { ChainTarget } from '$lib/core/album/chains';
import { layoutAlbum, type AlbumLayout } from '$lib/core/album/timeline';
import { clipSpans } from '$lib/core/render/spans';
import type { GainStep } from '$lib/core/delivery/platforms';
import { applyClipEnvelope } from '$lib/core/dsp/fades';
import { AlbumMixer } from '$lib/core/render/mixer';
import type { ClipReader } from '$lib/core/render/readers';
import { SpatialMixer, allChannelsReader } from '$lib/core/spatial/render';
import { LAYOUTS, type Layout } from '$lib/core/spatial/layouts';
import { AMBISONIC_CHANNELS } from '$lib/core/spatial/ambisonics';
import { deviceBusChannels, monitorMatrices, monitoredChannels, type MonitorMode } from '$lib/core/spatial/monitor';
import monitorWorkletUrl from '../../../../worklets/monitor.worklet.ts?worker&url';
import type { MonitorMessage } from '../../../../worklets/monitor.worklet';
import { createBinaural, type Binaural } from './binaural';
import { LatheError } from '$lib/core/errors';
import { referenceSpans, type ReferencePlacement } from '$lib/core/listening/reference';
import type { SimulationMode } from '$lib/core/dsp/translation';
import { simulationMatrix } from '$lib/core/dsp/translation';
import { resamplingReader } from '$lib/core/render/resampling-reader';
import type { LoadedWam } from '$lib/web/wam/host';
import { stateFromParams } from '$lib/web/wam/offline';
import { activeSlots, connectChain, createSlot, type ActiveSlot, type WiredChain } from '$lib/web/wam/chain';

/** How an immersive album is monitored. */
export type SpatialMonitor = MonitorMode;

const chainKey = (t: ChainTarget) => (t.kind === 'master' ? 'master' : t.kind === 'track' ? `track:${t.trackId}` : `clip:${t.clipId}`);

export type FrameReader = (asset: Asset, start: number, n: number, out: Float32Array[]) => Promise<void>;

const WINDOW_SEC = 0.5;
const LOOKAHEAD_SEC = 1.5;
const START_DELAY_SEC = 0.08;
/** How far ahead of the device's clock an immersive playback's first window is started. */
const FIRST_WINDOW_MARGIN_SEC = 0.03;
const MONITOR_GLIDE_SEC = 0.01;

/** What the monitor's B side plays beside the album: a reference, or the album without a chain. */
export type CompareSetup =
  | { kind: 'reference'; asset: Asset; loop: ReferencePlacement['loop'] }
  | { kind: 'master-bypass' }
  | { kind: 'track-bypass'; trackId: string };

/** A playback simulation for the monitor: its channel matrix and its filter (null for flat). */
export interface MonitorSimulation {
  mode: SimulationMode;
  fir: Float32Array | null;
}

/** One simulation's path: the 2x2 matrix into a stereo convolver, and its level in the crossfade. */
interface SimPath {
  input: ChannelSplitterNode;
  matrix: GainNode[];
  convolver: ConvolverNode;
  level: GainNode;
}

/** The master chain's plugins in the graph: which slots, their instances, how they are wired. */
interface Live {
  key: string;
  active: ActiveSlot[];
  loaded: LoadedWam[];
  wired?: WiredChain;
}

export class AlbumPlayer {
  private ctx: AudioContext | undefined;
  private master: GainNode | undefined;
  /** After the master chain's live plugins. */
  private post: GainNode | undefined;
  /** The monitor's own gain (a platform's normalization, heard, never rendered): what is heard and metered. */
  private monitor: GainNode | undefined;
  private monitorSteps: GainStep[] = [];
  /** The A/B switch: the album's level and the B side's (its input, then its matched gain). */
  private aGain: GainNode | undefined;
  private bIn: GainNode | undefined;
  private bGain: GainNode | undefined;
  private compare: CompareSetup | null = null;
  private bypassMixer: AlbumMixer | undefined;
  /** With a live master chain, the master bypass is the mix before it, tapped. */
  private bypassTapped = false;
  private abSide: 'A' | 'B' = 'A';
  private bOffsetDb = 0;
  /** The monitor's last stage: straight through, or through one of two simulation paths (crossfaded). */
  private simDry: GainNode | undefined;
  /** What reaches the device, after the simulation. */
  private heardNode: GainNode | undefined;
  private simPaths: SimPath[] = [];
  private simActive = -1;
  /** Where play began: a reference's loop region runs from here. */
  private anchorSample = 0;
  /** A master chain played live as WAM nodes (it holds a plugin only the browser can run). */
  /** Gain reduction traces of the dynamics slots, per chain and slot: [album sample, dB]. */
  private readonly reductions = new Map<string, [number, number][]>();
  /** Hears a live plugin's processor error, with its slot named. */
  onPluginError?: (message: string) => void;
  private live: Live | null = null;
  private liveMaster = false;
  private liveRun = 0;
  private sources = new Set<AudioBufferSourceNode>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private startCtxTime = 0;
  private startSample = 0;
  private scheduledTo = 0;
  private generation = 0;
  private album: Album | undefined;
  private layout: AlbumLayout | undefined;
  private assets = new Map<string, Asset>();
  /** Set while the album has chains: windows are then mixed through them at the album rate. */
  private mixer: AlbumMixer | undefined;
  /** Set for an immersive album: windows are mixed on its monitor layout and played into the monitor stage. */
  private spatial: { mixer: SpatialMixer; scratch: Float32Array[] } | undefined;
  private spatialMode: SpatialMonitor = 'LoRo';
  /**
   * The monitor stage for the monitor layout: its channels in, through a worklet that folds them
   * down, passes them to the speakers or encodes them for the headphone decoder, switching mode by
   * a 10 ms crossfade while the windows already scheduled play on.
   */
  private spatialGraph: { layout: Layout; input: GainNode; node: AudioWorkletNode } | undefined;
  private monitorModuleLoaded = false;
  /** The headphone decoder, made with the first monitor stage. */
  private binaural: Binaural | undefined;
  /** Windows that reached the audio device late and started part-way in (heard as a dropout). */
  lateWindows = 0;
  playing = false;
  onEnded: () => void = () => {};

  constructor(private read: FrameReader) {}

  /** The shared context; created on first use, from a user gesture where the browser wants one. */
  context(): AudioContext {
    if (!this.ctx) {
      this.ctx = new AudioContext({ latencyHint: 'playback' });
      this.master = this.ctx.createGain();
      this.post = this.ctx.createGain();
      this.monitor = this.ctx.createGain();
      this.aGain = this.ctx.createGain();
      this.bIn = this.ctx.createGain();
      this.bGain = this.ctx.createGain();
      this.bGain.gain.value = 0;
      this.simDry = this.ctx.createGain();
      this.heardNode = this.ctx.createGain();
      this.master.connect(this.post);
      this.post.connect(this.aGain);
      this.aGain.connect(this.monitor);
      this.bIn.connect(this.bGain);
      this.bGain.connect(this.monitor);
      this.monitor.connect(this.simDry);
      this.simDry.connect(this.heardNode);
      this.heardNode.connect(this.ctx.destination);
    }
    return this.ctx;
  }

  /** What the device is sent: the monitor through the playback simulation, if one is on. */
  heard(): AudioNode {
    this.context();
    return this.heardNode as GainNode;
  }

  /** The album after its master chain, before the A/B switch (what it is matched by). */
  albumBus(): AudioNode {
    this.context();
    return this.post as GainNode;
  }

  /** What the B side plays, before its matched gain. */
  compareBus(): AudioNode {
    this.context();
    return this.bIn as GainNode;
  }

  /**
   * Arms the B side (null disarms it). A bypass plays the album a second time through the same
   * mixer without the chain, in step with the album; a reference plays beside it.
   */
  setCompare(setup: CompareSetup | null): void {
    if (setup?.kind === 'track-bypass' && this.liveMaster) {
      throw new LatheError('unsupported', 'the master chain holds a plugin that runs only live, so a track cannot be heard without its chain through it; compare the master chain instead.');
    }
    this.compare = setup;
    this.tapBypass(setup?.kind === 'master-bypass' && this.liveMaster);
    if (this.playing) void this.play(this.position());
  }

  private tapBypass(on: boolean): void {
    if (on === this.bypassTapped || !this.master) return;
    if (on) this.master.connect(this.bIn as GainNode);
    else this.master.disconnect(this.bIn as GainNode);
    this.bypassTapped = on;
  }

  /** Hears A (the album) or B at `offsetDb`, crossfaded over 10 ms: no click, no gap. */
  setAB(side: 'A' | 'B', offsetDb = this.bOffsetDb): void {
    this.abSide = side;
    this.bOffsetDb = offsetDb;
    if (!this.ctx) return;
    const now = this.ctx.currentTime;
    const glide = (g: AudioParam, to: number) => {
      g.cancelScheduledValues(now);
      g.setValueAtTime(g.value, now);
      g.linearRampToValueAtTime(to, now + MONITOR_GLIDE_SEC);
    };
    glide((this.aGain as GainNode).gain, side === 'A' ? 1 : 0);
    glide((this.bGain as GainNode).gain, side === 'B' ? Math.pow(10, offsetDb / 20) : 0);
  }

  get abState(): { side: 'A' | 'B'; offsetDb: number; compare: CompareSetup | null } {
    return { side: this.abSide, offsetDb: this.bOffsetDb, compare: this.compare };
  }

  /**
   * Monitors through a playback simulation (null: straight through), crossfaded over 10 ms. Only
   * the monitor hears it: renders and exports never pass this stage.
   */
  setSimulation(sim: MonitorSimulation | null): void {
    const ctx = this.context();
    const now = ctx.currentTime;
    const glide = (g: AudioParam, to: number) => {
      g.cancelScheduledValues(now);
      g.setValueAtTime(g.value, now);
      g.linearRampToValueAtTime(to, now + MONITOR_GLIDE_SEC);
    };
    let next = -1;
    if (sim) {
      // The path not sounding takes the new filter, then the two crossfade.
      next = this.simActive === 0 ? 1 : 0;
      const path = (this.simPaths[next] ??= this.simPath(ctx));
      const m = simulationMatrix(sim.mode);
      path.matrix.forEach((g, i) => (g.gain.value = m[i]));
      const taps = sim.fir ?? Float32Array.of(1);
      const ir = ctx.createBuffer(2, taps.length, ctx.sampleRate);
      ir.getChannelData(0).set(taps);
      ir.getChannelData(1).set(taps);
      path.convolver.buffer = ir;
    }
    glide((this.simDry as GainNode).gain, next < 0 ? 1 : 0);
    this.simPaths.forEach((p, i) => glide(p.level.gain, i === next ? 1 : 0));
    this.simActive = next;
  }

  private simPath(ctx: AudioContext): SimPath {
    const input = ctx.createChannelSplitter(2);
    const merger = ctx.createChannelMerger(2);
    // [L->L, R->L, L->R, R->R]
    const matrix = [0, 1, 2, 3].map((i) => {
      const g = ctx.createGain();
      input.connect(g, i % 2);
      g.connect(merger, 0, i < 2 ? 0 : 1);
      return g;
    });
    const convolver = new ConvolverNode(ctx, { disableNormalization: true, channelCount: 2, channelCountMode: 'explicit' });
    const level = ctx.createGain();
    level.gain.value = 0;
    merger.connect(convolver);
    convolver.connect(level);
    level.connect(this.heardNode as GainNode);
    (this.monitor as GainNode).connect(input);
    return { input, matrix, convolver, level };
  }

  /** Whether the audio context exists yet (it is made on the first play, from a gesture). */
  get hasContext(): boolean {
    return this.ctx !== undefined;
  }

  /** The node that all playback flows through (for meters): what is heard. */
  output(): AudioNode {
    this.context();
    return this.monitor as GainNode;
  }

  /**
   * Monitor gains by album position (a platform's normalization); empty for none. Changes glide
   * over 10 ms, so switching while playing does not click.
   */
  setMonitorGains(steps: GainStep[]): void {
    this.monitorSteps = steps;
    this.scheduleMonitor();
  }

  private monitorGainDb(atSamples: number): number {
    let db = 0;
    for (const s of this.monitorSteps) if (s.fromSamples <= atSamples) db = s.gainDb;
    return db;
  }

  private scheduleMonitor(): void {
    if (!this.ctx || !this.monitor || !this.album) return;
    const g = this.monitor.gain;
    const now = this.ctx.currentTime;
    const lin = (db: number) => Math.pow(10, db / 20);
    g.cancelScheduledValues(now);
    g.setValueAtTime(g.value, now);
    g.linearRampToValueAtTime(lin(this.monitorGainDb(this.position())), now + MONITOR_GLIDE_SEC);
    if (!this.playing) return;
    const rate = this.album.rateHz;
    const from = this.position();
    let prev = this.monitorGainDb(from);
    for (const s of this.monitorSteps) {
      if (s.fromSamples <= from) continue;
      const t = this.startCtxTime + (s.fromSamples - this.startSample) / rate;
      if (t <= now + MONITOR_GLIDE_SEC) continue;
      g.setValueAtTime(lin(prev), t);
      g.linearRampToValueAtTime(lin(s.gainDb), t + MONITOR_GLIDE_SEC);
      prev = s.gainDb;
    }
  }

  /**
   * Plays `chain` live as WAM nodes after the mix (an empty chain removes them); the mixer then
   * leaves the master chain to them. Same plugins in the same order only take the new states.
   */
  async setLiveMaster(chain: Chain): Promise<void> {
    const active = activeSlots(chain.map((s) => ({ url: s.plugin, name: s.plugin, state: s.state ?? stateFromParams(s.params), bypass: s.bypass })));
    const run = ++this.liveRun;
    const wasLive = this.liveMaster;
    this.liveMaster = active.length > 0;
    if (this.ctx) this.tapBypass(this.compare?.kind === 'master-bypass' && this.liveMaster);
    if (wasLive !== this.liveMaster && this.playing) void this.play(this.position());
    const key = JSON.stringify(active.map((s) => [s.index, s.url]));
    if (this.live?.key === key) {
      await Promise.all(active.map((s, i) => (this.live as { loaded: LoadedWam[] }).loaded[i].node.setState(s.state)));
      return;
    }
    const ctx = this.context();
    const loaded: LoadedWam[] = [];
    try {
      for (const s of active) loaded.push(await createSlot(s, ctx, 'the master chain'));
    } catch (e) {
      for (const l of loaded) l.node.destroy?.();
      if (run === this.liveRun) this.connectLive(null);
      throw e;
    }
    if (run !== this.liveRun) {
      for (const l of loaded) l.node.destroy?.();
      return;
    }
    this.connectLive(loaded.length ? { key, active, loaded } : null);
  }

  /** Whether the master chain's plugins are in the graph (none are needed, or they are loaded). */
  get liveMasterReady(): boolean {
    return !this.liveMaster || this.live !== null;
  }

  /**
   * The gain reduction a dynamics slot applies to what is heard now (dB, 0 or less), from the
   * kernels the mixer runs ahead of the audio; null when stopped or not metered.
   */
  reductionAt(target: ChainTarget, index: number): number | null {
    if (!this.playing) return null;
    const trace = this.reductions.get(`${chainKey(target)}#${index}`);
    if (!trace?.length) return null;
    const now = this.position();
    let db: number | null = null;
    for (const [at, v] of trace) {
      if (at > now) break;
      db = v;
    }
    return db;
  }

  /** The instance that plays master chain slot `index` (not bypassed), for its GUI. */
  liveMasterSlot(index: number, plugin: string): LoadedWam | null {
    const k = this.live?.active.findIndex((s) => s.index === index) ?? -1;
    return k >= 0 && this.live?.active[k].url === plugin ? this.live.loaded[k] : null;
  }

  private connectLive(live: Live | null): void {
    const master = this.master as GainNode;
    this.live?.wired?.dispose();
    master.disconnect();
    this.live = live;
    if (!live) {
      master.connect(this.post as GainNode);
      return;
    }
    live.wired = connectChain(live.active, live.loaded, master, this.post as GainNode, 'the master chain', (e) => this.onPluginError?.(e.message));
  }

  setProgram(album: Album, assets: Asset[]): void {
    this.album = album;
    this.layout = layoutAlbum(album);
    this.assets = new Map(assets.map((a) => [a.id, a]));
    if (this.playing) this.play(this.position());
  }

  /** The playhead in album samples. */
  position(): number {
    if (!this.playing || !this.ctx || !this.album) return this.startSample;
    const elapsed = Math.max(0, this.ctx.currentTime - this.startCtxTime);
    return this.startSample + Math.floor(elapsed * this.album.rateHz);
  }

  async play(fromSamples: number): Promise<void> {
    if (!this.album) return;
    const ctx = this.context();
    this.halt();
    if (ctx.state !== 'running') await ctx.resume();
    const gen = ++this.generation;
    this.playing = true;
    this.startSample = Math.max(0, Math.round(fromSamples));
    this.startCtxTime = ctx.currentTime + START_DELAY_SEC;
    this.scheduledTo = this.startSample;
    // A live master chain runs in its WAM nodes, not in the mixer.
    const mixed = this.liveMaster ? { ...this.album, masterChain: [] } : this.album;
    this.mixer = hasChains(mixed) && !mixed.immersive ? this.createMixer(mixed, this.layout as AlbumLayout) : undefined;
    this.spatial = mixed.immersive ? this.createSpatial(mixed) : undefined;
    if (this.spatial) await this.ensureSpatialGraph(this.spatial.mixer.layout);
    if (gen !== this.generation) return;
    this.bypassMixer = this.createBypassMixer(mixed);
    this.anchorSample = this.startSample;
    this.scheduleMonitor();
    await this.pump(gen);
    this.timer = setInterval(() => void this.pump(gen), 200);
  }

  stop(): void {
    const at = this.position();
    this.halt();
    this.startSample = at;
  }

  seek(samples: number): void {
    if (this.playing) void this.play(samples);
    else this.startSample = Math.max(0, Math.round(samples));
  }

  private halt(): void {
    this.generation++;
    this.playing = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const s of this.sources) {
      s.onended = null;
      s.stop();
      s.disconnect();
    }
    this.sources.clear();
  }

  private async pump(gen: number): Promise<void> {
    const ctx = this.ctx;
    const album = this.album;
    const layout = this.layout;
    if (!ctx || !album || !layout || gen !== this.generation) return;
    const rate = album.rateHz;
    const horizon = this.position() + Math.round(LOOKAHEAD_SEC * rate);
    while (this.scheduledTo < horizon && gen === this.generation) {
      if (this.scheduledTo >= layout.totalSamples) {
        const endsAt = this.startCtxTime + (layout.totalSamples - this.startSample) / rate;
        if (ctx.currentTime >= endsAt) {
          this.stop();
          this.startSample = layout.totalSamples;
          this.onEnded();
        }
        return;
      }
      const from = this.scheduledTo;
      const to = Math.min(layout.totalSamples, from + Math.round(WINDOW_SEC * rate));
      this.scheduledTo = to;
      await this.scheduleWindow(gen, album, layout, from, to);
    }
  }

  /**
   * Chains are heard live through the same mixer and kernels as the renderer. Plugins that only
   * the browser can run are not here: clips and tracks with them play their rendered audio
   * (see the session), and a master chain with them plays as live WAM nodes.
   */
  /** A clip's source frames at the source's own rate (silence for a missing source). */
  private readonly readClip: ClipReader = async (clip, start, n, out) => {
    const asset = this.assets.get(clip.assetId);
    if (asset) await this.read(asset, start, n, out);
    else for (const ch of out) ch.fill(0, 0, n);
  };

  /** The album without the compared chain, mixed in step with the album (a tapped live master needs none). */
  private createBypassMixer(mixed: Album): AlbumMixer | undefined {
    const c = this.compare;
    if (!c || c.kind === 'reference' || this.bypassTapped || mixed.immersive) return undefined;
    const without: Album =
      c.kind === 'master-bypass' ? { ...mixed, masterChain: [] } : { ...mixed, tracks: mixed.tracks.map((t) => (t.id === c.trackId ? { ...t, chain: [] } : t)) };
    return this.createMixer(without, this.layout as AlbumLayout, false);
  }

  private createMixer(album: Album, layout: AlbumLayout, metered = true): AlbumMixer {
    const read = resamplingReader(this.readClip, (id) => this.assets.get(id)?.rateHz ?? album.rateHz, album.rateHz, 2);
    const mixer = new AlbumMixer(album, layout, read, Math.round(WINDOW_SEC * album.rateHz) + 1, { skipUnavailable: true });
    if (!metered) return mixer;
    this.reductions.clear();
    mixer.meter((target, slot, atSample, db) => {
      const key = `${chainKey(target)}#${slot}`;
      let trace = this.reductions.get(key);
      if (!trace) this.reductions.set(key, (trace = []));
      trace.push([atSample, db]);
      // The mixer runs up to LOOKAHEAD_SEC ahead; keep a little more than that.
      while (trace.length && trace[0][0] < atSample - 4 * album.rateHz) trace.shift();
    });
    if (this.tapped) this.tapInto(mixer, this.tapped.target, this.tapped.slot);
    return mixer;
  }

  /** What a slot outputs, mono, in a ring of album samples (two seconds), for a GUI's spectrum. */
  private tapped: { target: ChainTarget; slot: number; ring: Float32Array; end: number } | null = null;

  private tapInto(mixer: AlbumMixer, target: ChainTarget, slot: number): void {
    mixer.tap(target, slot, (at, channels, n) => {
      const t = this.tapped;
      if (!t) return;
      const size = t.ring.length;
      const [l, r] = channels;
      for (let i = 0; i < n; i++) t.ring[(at + i) % size] = 0.5 * (l[i] + (r ?? l)[i]);
      t.end = at + n;
    });
  }

  /** Starts (or with null stops) keeping what slot `slot` of a chain outputs while playing. */
  tapSlot(target: ChainTarget | null, slot = 0): void {
    this.tapped = target ? { target, slot, ring: new Float32Array(2 * (this.album?.rateHz ?? 48_000)), end: 0 } : null;
    if (this.mixer) {
      if (target) this.tapInto(this.mixer, target, slot);
      else this.mixer.tap(null, 0, () => {});
    }
  }

  /** The last `n` samples the tapped slot output before what is heard now, or null when there are none. */
  tappedSignal(out: Float32Array): boolean {
    const t = this.tapped;
    if (!t || !this.playing) return false;
    const now = Math.min(this.position(), t.end);
    const size = t.ring.length;
    if (now < out.length || t.end - now > size - out.length) return false;
    for (let i = 0; i < out.length; i++) out[i] = t.ring[(now - out.length + i) % size];
    return true;
  }

  private async scheduleMixed(gen: number, mixer: AlbumMixer, album: Album, from: number, to: number): Promise<void> {
    const ctx = this.ctx as AudioContext;
    const n = to - from;
    const buffer = ctx.createBuffer(2, n, album.rateHz);
    await mixer.mix(from, n, [buffer.getChannelData(0), buffer.getChannelData(1)]);
    if (gen !== this.generation) return;
    // The master chain delays what it outputs: play each window that much earlier.
    this.startBuffer(buffer, this.startCtxTime + (from - mixer.master.latencySamples - this.startSample) / album.rateHz);
  }

  private startBuffer(buffer: AudioBuffer, when: number, into: AudioNode = this.master as GainNode): void {
    const ctx = this.ctx as AudioContext;
    const node = ctx.createBufferSource();
    node.buffer = buffer;
    node.connect(into);
    // A window that comes late starts part-way in, so later windows still line up with it.
    if (when < ctx.currentTime) this.lateWindows++;
    const at = Math.max(ctx.currentTime, when);
    node.start(at, at - when);
    node.onended = () => {
      this.sources.delete(node);
      node.disconnect();
    };
    this.sources.add(node);
  }

  /**
   * How an immersive album is heard: folded down to stereo (Lo/Ro, Lt/Rt) or 5.1 (which a stereo
   * device folds itself), binaurally, or on the speakers of its monitor layout when the device has
   * the channels. A switch while playing is a 10 ms crossfade: nothing restarts.
   */
  async setSpatialMonitor(mode: SpatialMonitor): Promise<void> {
    if (mode === 'speakers' && this.album?.immersive) {
      const need = deviceBusChannels(LAYOUTS[this.album.immersive.monitor]);
      const have = this.context().destination.maxChannelCount;
      if (have < need) throw new LatheError('unsupported', `the audio device has ${have} channels; ${this.album.immersive.monitor} needs ${need}. Monitor a fold-down instead.`);
    }
    this.spatialMode = mode;
    this.postMonitor(MONITOR_GLIDE_SEC);
  }

  /** The channels the meters should read for what is monitored now: names and BS.1770 weights. */
  monitoredChannels(): { labels: string[]; weights: number[] } {
    const monitor = this.album?.immersive?.monitor;
    return monitor ? monitoredChannels(LAYOUTS[monitor], this.spatialMode) : { labels: ['L', 'R'], weights: [1, 1] };
  }

  private postMonitor(fadeSec: number): void {
    const g = this.spatialGraph;
    if (!g || !this.ctx) return;
    const message: MonitorMessage = { matrices: monitorMatrices(g.layout, this.spatialMode), fadeSamples: Math.round(fadeSec * this.ctx.sampleRate) };
    g.node.port.postMessage(message);
  }

  /** The monitor stage for the album's monitor layout, made once per layout. */
  private async ensureSpatialGraph(layout: Layout): Promise<void> {
    if (this.spatialGraph?.layout === layout) return;
    const ctx = this.context();
    if (!this.monitorModuleLoaded) {
      await ctx.audioWorklet.addModule(monitorWorkletUrl);
      this.monitorModuleLoaded = true;
    }
    if (!this.binaural) {
      this.binaural = await createBinaural(ctx);
      this.binaural.output.connect(this.master as GainNode);
    }
    if (this.spatialGraph) {
      this.spatialGraph.input.disconnect();
      this.spatialGraph.node.disconnect();
    }
    const inputs = layout.speakers.length;
    const deviceChannels = deviceBusChannels(layout);
    const input = ctx.createGain();
    input.channelCount = inputs;
    input.channelCountMode = 'explicit';
    input.channelInterpretation = 'discrete';
    const first: MonitorMessage = { matrices: monitorMatrices(layout, this.spatialMode), fadeSamples: 0 };
    const node = new AudioWorkletNode(ctx, 'lathe-spatial-monitor', {
      numberOfInputs: 1,
      numberOfOutputs: 2,
      channelCount: inputs,
      channelCountMode: 'explicit',
      channelInterpretation: 'discrete',
      outputChannelCount: [deviceChannels, AMBISONIC_CHANNELS],
      processorOptions: { inputs, busRows: [deviceChannels, AMBISONIC_CHANNELS], ...first }
    });
    input.connect(node);
    node.connect(this.master as GainNode, 0);
    node.connect(this.binaural.input, 1);
    // A device with the layout's channels gets them as they are; a stereo one folds the bus itself.
    if (ctx.destination.maxChannelCount >= deviceChannels) {
      ctx.destination.channelCount = deviceChannels;
      ctx.destination.channelInterpretation = 'discrete';
    }
    this.spatialGraph = { layout, input, node };
  }

  private createSpatial(album: Album): NonNullable<AlbumPlayer['spatial']> {
    const frames = Math.round(WINDOW_SEC * album.rateHz) + 1;
    const read = allChannelsReader(this.readClip, (id) => this.assets.get(id)?.rateHz ?? album.rateHz, album.rateHz);
    const monitor = album.immersive!.monitor;
    const mixer = new SpatialMixer(album, monitor, { read, channelsOf: (c) => this.assets.get(c.assetId)?.channels ?? 2 }, frames, { skipUnavailable: true });
    return { mixer, scratch: Array.from({ length: mixer.channels }, () => new Float32Array(frames)) };
  }

  private async scheduleSpatial(gen: number, album: Album, from: number, to: number): Promise<void> {
    const ctx = this.ctx as AudioContext;
    const { mixer, scratch } = this.spatial!;
    const n = to - from;
    await mixer.mix(from, n, scratch);
    if (gen !== this.generation) return;
    const buffer = ctx.createBuffer(mixer.channels, n, album.rateHz);
    scratch.forEach((c, i) => buffer.getChannelData(i).set(c.subarray(0, n)));
    // The first window sets the clock once it is ready to play, not before (later windows follow it).
    if (from === this.startSample && this.sources.size === 0) this.startCtxTime = Math.max(this.startCtxTime, ctx.currentTime + FIRST_WINDOW_MARGIN_SEC);
    const when = this.startCtxTime + (from - this.startSample) / album.rateHz;
    this.startBuffer(buffer, when, this.spatialGraph!.input);
  }

  private async scheduleWindow(gen: number, album: Album, layout: AlbumLayout, from: number, to: number): Promise<void> {
    await this.scheduleAlbum(gen, album, layout, from, to);
    if (gen === this.generation) await this.scheduleCompare(gen, album, layout, from, to);
  }

  /** The B side's window: the reference under these album samples, or the album mixed without the chain. */
  private async scheduleCompare(gen: number, album: Album, layout: AlbumLayout, from: number, to: number): Promise<void> {
    const c = this.compare;
    if (!c) return;
    const ctx = this.ctx as AudioContext;
    const bIn = this.bIn as GainNode;
    if (c.kind !== 'reference') {
      const mixer = this.bypassMixer;
      if (!mixer) return;
      const buffer = ctx.createBuffer(2, to - from, album.rateHz);
      await mixer.mix(from, to - from, [buffer.getChannelData(0), buffer.getChannelData(1)]);
      if (gen !== this.generation) return;
      this.startBuffer(buffer, this.startCtxTime + (from - mixer.master.latencySamples - this.startSample) / album.rateHz, bIn);
      return;
    }
    const ref = c.asset;
    for (const span of referenceSpans(layout, album.rateHz, from, to, { frames: ref.frames, rateHz: ref.rateHz, loop: c.loop }, this.anchorSample)) {
      // The reference plays at its own rate; Web Audio converts for monitoring only.
      const buffer = ctx.createBuffer(2, span.refFrames, ref.rateHz);
      await this.read(ref, span.refStart, span.refFrames, [buffer.getChannelData(0), buffer.getChannelData(1)]);
      if (gen !== this.generation) return;
      this.startBuffer(buffer, this.startCtxTime + (span.albumStart - this.startSample) / album.rateHz, bIn);
    }
  }

  private async scheduleAlbum(gen: number, album: Album, layout: AlbumLayout, from: number, to: number): Promise<void> {
    if (this.spatial) return this.scheduleSpatial(gen, album, from, to);
    if (this.mixer) return this.scheduleMixed(gen, this.mixer, album, from, to);
    const ctx = this.ctx as AudioContext;
    for (const span of clipSpans(album, layout, from, to)) {
      const asset = this.assets.get(span.clip.assetId);
      if (!asset) continue;
      // Assets play at their own rate; Web Audio converts for monitoring only.
      const ratio = asset.rateHz / album.rateHz;
      const first = Math.floor((span.clip.sourceOffsetSamples + span.clipOffset) * ratio);
      const frames = Math.max(1, Math.round(span.lengthSamples * ratio));
      const buffer = ctx.createBuffer(2, frames, asset.rateHz);
      const out = [buffer.getChannelData(0), buffer.getChannelData(1)];
      await this.read(asset, first, frames, out);
      if (gen !== this.generation) return;
      applyClipEnvelope(span.clip, out, frames, span.clipOffset, 1 / ratio);
      this.startBuffer(buffer, this.startCtxTime + (span.albumStart - this.startSample) / album.rateHz);
    }
  }
}

function hasChains(album: Album): boolean {
  const active = (chain: Album['masterChain']) => chain.some((s) => !s.bypass);
  return active(album.masterChain) || album.tracks.some((t) => active(t.chain) || t.clips.some((c) => active(c.chain)));
}
