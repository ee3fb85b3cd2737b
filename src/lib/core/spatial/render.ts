/**
 * The immersive mix on a layout, in blocks: beds onto their speakers (a bed speaker the layout
 * lacks is panned to its position), objects through the allocentric panner at their keyframed
 * positions with the gains ramped sample by sample between points 32 samples apart, so a moving
 * object has no zipper noise. Clip gain, fades and clip chains apply as in stereo: a chain runs on
 * an object (a mono one through both sides of the stereo kernels, their mid taken) or a stereo bed
 * before it is placed, its latency compensated. Track chains and chains on multichannel beds are
 * refused, naming them: the kernels are stereo. One kernel for the render worker, the CLI and playback.
 */
import type { Album, Clip } from '../album/model';
import { layoutAlbum } from '../album/timeline';
import { trackSpans } from '../render/spans';
import { ChainRunner, type ChainOptions } from '../render/chain';
import { applyClipEnvelope } from '../dsp/fades';
import { LatheError } from '../errors';
import type { ClipReader } from '../render/readers';
import { resamplingReader } from '../render/resampling-reader';
import { LAYOUTS, bedChannelMap, type Layout, type LayoutId } from './layouts';
import { applyMatrix, foldDownMatrix } from './downmix';
import { AllocentricPanner } from './panner';
import { clipSpatial, positionAt, type SpatialObject } from './model';

/** Gains are computed every this many samples and ramped between. */
export const GAIN_STEP = 32;

export interface SpatialSource {
  /** Channels of the clip's audio (a bed: its layout's; an object: 1 or 2). */
  channelsOf(clip: Clip): number;
  /** Reads the clip's audio at the album rate, all its channels. */
  read: ClipReader;
  /** The source's WAVE_FORMAT_EXTENSIBLE channel mask, if it has one (a bed's channel order). */
  maskOf?(clip: Clip): number | undefined;
  nameOf?(clip: Clip): string;
}

/** Clips with all their channels (as many as asked for), resampled as read to `rateHz`: one resampler per channel count. */
export function allChannelsReader(read: ClipReader, rateOf: (assetId: string) => number, rateHz: number): ClipReader {
  const readers = new Map<number, ClipReader>();
  return (clip, start, n, dst) => {
    let r = readers.get(dst.length);
    if (!r) readers.set(dst.length, (r = resamplingReader(read, rateOf, rateHz, dst.length)));
    return r(clip, start, n, dst);
  };
}

/** A bed layout's speakers onto a render layout: rows of render channels over bed channels. */
export function bedMatrix(bed: Layout, to: Layout, panner: AllocentricPanner): Float64Array {
  const m = new Float64Array(to.speakers.length * bed.speakers.length);
  const g = new Float64Array(to.speakers.length);
  bed.speakers.forEach((s, c) => {
    const same = to.speakers.findIndex((t) => t.label === s.label);
    if (same >= 0) m[same * bed.speakers.length + c] = 1;
    else if (!s.lfe) {
      panner.gains(s.x, s.y, s.z, g);
      for (let r = 0; r < g.length; r++) m[r * bed.speakers.length + c] = g[r];
    }
  });
  return m;
}

export class SpatialMixer {
  readonly layout: Layout;
  readonly channels: number;
  private readonly panner: AllocentricPanner;
  private readonly beds = new Map<LayoutId, Float64Array>();
  /** Per bed clip: the layout speaker each of its file's channels carries. */
  private readonly bedMaps = new Map<string, number[]>();
  private readonly buf: Float32Array[];
  private readonly g0: Float64Array;
  private readonly g1: Float64Array;
  private readonly pos = new Float64Array(3);
  private readonly albumLayout;
  /** The clips whose chains process something, by clip id. */
  private readonly clipChains = new Map<string, ChainRunner>();

  constructor(
    private readonly album: Album,
    layoutId: LayoutId,
    private readonly source: SpatialSource,
    readonly maxFrames: number,
    chains: ChainOptions = {}
  ) {
    this.layout = LAYOUTS[layoutId];
    this.channels = this.layout.speakers.length;
    this.panner = new AllocentricPanner(this.layout);
    this.buf = Array.from({ length: 10 }, () => new Float32Array(maxFrames));
    this.g0 = new Float64Array(this.channels);
    this.g1 = new Float64Array(this.channels);
    this.albumLayout = layoutAlbum(album);
    album.tracks.forEach((t, ti) => {
      if (t.chain.some((slot) => !slot.bypass)) {
        throw new LatheError('unsupported', `track ${ti + 1} ("${t.title}") has a chain, which an immersive album cannot run: a track mixes beds and objects, and chains are stereo. Put it on the track's objects or stereo beds, or on the master chain (the stereo variants).`);
      }
      t.clips.forEach((c, k) => {
        const s = clipSpatial(c);
        const n = source.channelsOf(c);
        const chain = ChainRunner.create(c.chain, album.rateHz, 2, `clip ${k + 1} of track ${ti + 1}`, chains);
        if (!chain.empty && n > 2) {
          throw new LatheError('unsupported', `clip ${k + 1} of track ${ti + 1} ("${t.title}") is a ${n}-channel bed with a chain; chains are stereo and run on objects and stereo beds only.`);
        }
        if (!chain.empty) this.clipChains.set(c.id, chain);
        if ('bed' in s && n !== LAYOUTS[s.bed].speakers.length) {
          throw new LatheError('bad-value', `a clip of "${t.title}" is a ${s.bed} bed of ${LAYOUTS[s.bed].speakers.length} channels, but its audio has ${n}.`);
        }
        if ('bed' in s) this.bedMaps.set(c.id, bedChannelMap(LAYOUTS[s.bed], n, source.maskOf?.(c), source.nameOf?.(c) ?? t.title));
        if ('object' in s && n > 2) throw new LatheError('bad-value', `a clip of "${t.title}" is an object with ${n} channels; objects are mono or stereo.`);
      });
    });
  }

  /**
   * The speaker gains of an object at a point of its clip (for the speaker view and the checks).
   * `dx` shifts it across: a stereo object is two, its channels size/2 left and right of it.
   */
  objectGains(o: SpatialObject, offsetSamples: number, out: Float64Array, dx = 0): void {
    positionAt(o, offsetSamples, this.pos);
    if (dx === 0) this.panner.objectGains(this.pos[0], this.pos[1], this.pos[2], o.size, out);
    else this.panner.gains(this.pos[0] + dx, this.pos[1], this.pos[2], out);
    const g = Math.pow(10, o.gainDb / 20);
    for (let i = 0; i < out.length; i++) out[i] *= g;
  }

  /** The layout speaker each file channel of a bed clip carries. */
  bedMap(clipId: string): number[] {
    return this.bedMaps.get(clipId) as number[];
  }

  /**
   * Mixes album samples [from, from + n) into out[0..channels). `onClip` hears each clip's own
   * part after its chain, with the clip time its first sample plays at. Blocks come in time order.
   */
  async mix(from: number, n: number, out: Float32Array[], onClip?: (clip: Clip, trackIndex: number, audio: Float32Array[], at: number, len: number, clipOffset: number) => void): Promise<void> {
    for (const ch of out) ch.fill(0, 0, n);
    const latencyOf = (c: Clip) => this.clipChains.get(c.id)?.latencySamples ?? 0;
    for (let ti = 0; ti < this.album.tracks.length; ti++) {
      for (const span of trackSpans(this.album, this.albumLayout, ti, from, n, 0, latencyOf)) {
        const clip = span.clip;
        const k = this.source.channelsOf(clip);
        const chain = this.clipChains.get(clip.id);
        const audio = this.buf.slice(0, chain ? 2 : k).map((b) => b.subarray(0, span.lengthSamples));
        // A chain's latency: its input is read that much ahead, and it runs on past the clip's end.
        if (span.audioSamples > 0) {
          const input = audio.slice(0, k).map((a) => a.subarray(0, span.audioSamples));
          await this.source.read(clip, clip.sourceOffsetSamples + span.clipOffset, span.audioSamples, input);
          applyClipEnvelope(clip, input, span.audioSamples, span.clipOffset);
        }
        for (const a of audio.slice(0, k)) a.fill(0, span.audioSamples);
        if (chain) {
          if (k === 1) audio[1].set(audio[0]);
          chain.process(audio, span.lengthSamples, from + span.busStart);
          if (k === 1) for (let i = 0; i < span.lengthSamples; i++) audio[0][i] = 0.5 * (audio[0][i] + audio[1][i]);
        }
        const voice = audio.slice(0, k);
        const at = span.busStart;
        const clipOffset = span.clipOffset - (chain?.latencySamples ?? 0);
        onClip?.(clip, ti, voice, at, span.lengthSamples, clipOffset);
        const s = clipSpatial(clip);
        if ('object' in s) this.addObject(s.object, voice, span.lengthSamples, clipOffset, out, at);
        else this.addBed(s.bed, this.bedMaps.get(clip.id) as number[], voice, span.lengthSamples, out, at);
      }
    }
  }

  private addBed(bed: LayoutId, map: number[], audio: Float32Array[], n: number, out: Float32Array[], at: number): void {
    let m = this.beds.get(bed);
    if (!m) this.beds.set(bed, (m = bedMatrix(LAYOUTS[bed], this.layout, this.panner)));
    const cols = audio.length;
    for (let r = 0; r < this.channels; r++) {
      const o = out[r];
      for (let c = 0; c < cols; c++) {
        const g = m[r * cols + map[c]];
        if (g === 0) continue;
        const x = audio[c];
        for (let i = 0; i < n; i++) o[at + i] += g * x[i];
      }
    }
  }

  private addObject(o: SpatialObject, audio: Float32Array[], n: number, clipOffset: number, out: Float32Array[], at: number): void {
    if (audio.length === 1) return this.addChannel(o, audio[0], n, clipOffset, out, at, 0);
    const w = Math.max(o.size, 1e-9) / 2;
    this.addChannel(o, audio[0], n, clipOffset, out, at, -w);
    this.addChannel(o, audio[1], n, clipOffset, out, at, w);
  }

  private addChannel(o: SpatialObject, x: Float32Array, n: number, clipOffset: number, out: Float32Array[], at: number, dx: number): void {
    const { g0, g1 } = this;
    this.objectGains(o, clipOffset, g0, dx);
    for (let s = 0; s < n; s += GAIN_STEP) {
      const len = Math.min(GAIN_STEP, n - s);
      this.objectGains(o, clipOffset + s + len, g1, dx);
      for (let r = 0; r < this.channels; r++) {
        const a = g0[r];
        const d = (g1[r] - a) / len;
        if (a === 0 && d === 0) continue;
        const dst = out[r];
        for (let i = 0; i < len; i++) dst[at + s + i] += (a + d * (i + 1)) * x[s + i];
      }
      g0.set(g1);
    }
  }
}

/**
 * An immersive album's stereo programme before the master chain: its render on the monitor layout
 * folded to Lo/Ro (BS.775), block by block, as the stereo variants and the ADM's stereo master are made.
 */
export function stereoFoldDown(album: Album, source: SpatialSource, maxFrames: number): (from: number, n: number, out: Float32Array[]) => Promise<void> {
  const mixer = new SpatialMixer(album, album.immersive?.monitor ?? '7.1.4', source, maxFrames);
  const m = foldDownMatrix(mixer.layout, 'LoRo');
  const scratch = Array.from({ length: mixer.channels }, () => new Float32Array(maxFrames));
  return async (from, n, out) => {
    for (let at = 0; at < n; at += maxFrames) {
      const k = Math.min(maxFrames, n - at);
      await mixer.mix(from + at, k, scratch);
      applyMatrix(m, scratch, k, at === 0 ? out : out.map((c) => c.subarray(at)));
    }
  };
}
