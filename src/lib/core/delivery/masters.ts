/**
 * Streaming and hi-res masters: the album rendered once per rate (sources resampled as read,
 * every chain, a linear gain to the variant's target, dither where the word length shrinks), cut
 * into one file per track at each INDEX 01, so the files played in a row are the album sample for
 * sample, segues included. Each file is tagged and measured; WAV is written here, FLAC by the
 * injected encoder (a libFLAC build), with its MD5 set from the same PCM.
 */
import type { Album, Chain, MasterFormat } from '../album/model';
import { rescaleAlbum } from '../album/model';
import { layoutAlbum } from '../album/timeline';
import { LatheError } from '../errors';
import { md5Stream, sha256Hex, sha256Stream, type HashFactory } from '../hash';
import { Analyzer, round, type Analysis } from '../analysis/analyzer';
import { albumLoudness } from '../analysis/album';
import type { NoiseShaping } from '../dsp/dither';
import { wavHeader } from '../audio/wav';
import { BlockQuantizer, renderAlbum, renderToSinks, type ProgrammeSink, type RenderHooks, type SourceFormat } from '../render/engine';
import type { ClipReader, ProgrammeReader } from '../render/readers';
import type { Artwork } from '../metadata/artwork';
import { LIMITER_INFO } from '../dsp/limiter';
import { bextChunk, id3Chunk, infoChunk, trackTags, vorbisComments, type TrackTags } from './tags';
import type { OutputFolder } from './cd';
import { CodecRoundTrip, type CodecTrackReport, type LossyCodec } from './codec-check';

/** A FLAC file being encoded: integer samples in (interleaved, at the given depth), file bytes out. */
export interface FlacFile {
  add(ints: Int32Array, frames: number): Promise<void>;
  finish(): Promise<Uint8Array>;
}
export type FlacEncoderFactory = (spec: { rateHz: number; channels: number; bits: 16 | 24; comments: Record<string, string>; artwork?: Artwork }) => Promise<FlacFile>;

export interface MasterSet {
  /** Folder in the output, e.g. "streaming/24-bit". */
  dir: string;
  bits: 16 | 24;
  formats: MasterFormat[];
}

export interface MasterRender {
  rateHz: number;
  /** The first set is rendered at its depth; a 16-bit set beside a 24-bit one is dithered from the same mix. */
  sets: MasterSet[];
  /** The album's loudness is brought here by one linear gain; null leaves it. */
  targetLufs: number | null;
  /** Lossy codecs each track of the first set goes through for the round-trip check. */
  codecs?: LossyCodec[];
}

export interface MasterOptions {
  shaping: NoiseShaping;
  seed: number;
  createdIso: string;
  artwork?: Artwork;
  flac?: FlacEncoderFactory;
  sha256?: HashFactory;
  md5?: HashFactory;
  /** A reader giving clips at this rate already (sources resampled as read), if the host has one. */
  readerFor?: (rateHz: number) => ClipReader;
}

export interface MasterFileReport {
  path: string;
  format: MasterFormat;
  track: number;
  rateHz: number;
  bits: number;
  frames: number;
  integratedLufs: number | null;
  truePeakDbtp: number | null;
  sha256: string;
}

export interface MasterReport {
  rateHz: number;
  gainDb: number;
  /** How the gain was applied: into the master limiter's input (it holds the ceiling), or after the master chain. */
  gainAt: 'none' | 'limiter' | 'after-master';
  album: { integratedLufs: number | null; truePeakDbtp: number | null };
  files: MasterFileReport[];
  /** The codec round trip of each track, when codecs were given. */
  codecCheck?: CodecTrackReport[];
}

const CHANNELS = 2;

/** File names that every file system takes. */
export function safeName(s: string): string {
  const clean = s.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  return clean.slice(0, 120) || 'untitled';
}

export function trackFileName(album: Album, index: number): string {
  return `${String(index + 1).padStart(2, '0')} ${safeName(album.tracks[index].title)}`;
}

/**
 * The gain to target goes into the master chain's final limiter when there is one, so the
 * ceiling holds; otherwise it is applied after the master chain (and the report says so).
 */
export function withTargetGain(chain: Chain, gainDb: number): { chain: Chain; postGainDb: number; at: MasterReport['gainAt'] } {
  if (gainDb === 0) return { chain, postGainDb: 0, at: 'none' };
  const last = chain.map((s, i) => [s, i] as const).filter(([s]) => !s.bypass).at(-1);
  if (last && last[0].plugin === LIMITER_INFO.id) {
    const [slot, i] = last;
    const param = LIMITER_INFO.params.find((p) => p.id === 'inputGainDb')!;
    const input = (slot.params.inputGainDb ?? param.default) + gainDb;
    if (input < param.min || input > param.max) {
      throw new LatheError('bad-value', `reaching the target needs ${gainDb.toFixed(1)} dB more into the master limiter, ${input.toFixed(1)} dB in all, beyond its ${param.min} to +${param.max} dB.`);
    }
    return { chain: chain.map((s, k) => (k === i ? { ...s, params: { ...s.params, inputGainDb: input } } : s)), postGainDb: 0, at: 'limiter' };
  }
  return { chain, postGainDb: gainDb, at: 'after-master' };
}

/** The album at a rate through every chain, each track from its INDEX 01, gated together. */
async function measureAt(album: Album, formats: Map<string, SourceFormat>, read: ClipReader, readsAtRenderRate: boolean, hooks: RenderHooks, mix?: ProgrammeReader) {
  const layout = layoutAlbum(album);
  const meters = new TrackMeters([...layout.tracks.map((t) => t.index01Samples), layout.totalSamples], album.rateHz);
  await renderAlbum(album, formats, read, { bits: 24, dither: false, shaping: 'none', seed: 1, totalSamples: layout.totalSamples, readsAtRenderRate, mix }, async () => {}, {
    ...hooks,
    tap: (planar, n, at) => meters.process(planar, n, at)
  });
  return meters.album();
}

interface OpenFile {
  write(bytes: Uint8Array, ints: Int32Array, frames: number): Promise<void>;
  close(): Promise<MasterFileReport[]>;
}

/** One track's files of one set: WAV streamed to the folder, FLAC encoded as it comes. */
async function openTrack(out: OutputFolder, set: MasterSet, rateHz: number, frames: number, tags: TrackTags, base: string, track: number, timeReferenceSamples: number, options: MasterOptions): Promise<OpenFile> {
  const sha = options.sha256 ?? sha256Stream;
  const pcmMd5 = await (options.md5 ?? md5Stream)();
  const [date, time] = [options.createdIso.slice(0, 10), options.createdIso.slice(11, 19)];
  const wav = set.formats.includes('wav')
    ? await (async () => {
        const path = `${set.dir}/${base}.wav`;
        const file = await out.openFile(path);
        const hash = await sha();
        const header = wavHeader({
          rateHz, channels: CHANNELS, encoding: set.bits === 16 ? 's16le' : 's24le', frames,
          bext: bextChunk(tags, { date, time, timeReferenceSamples, rateHz, bits: set.bits }),
          extraChunks: [{ id: 'LIST', data: infoChunk(tags) }, { id: 'id3 ', data: id3Chunk(tags) }]
        });
        hash.update(header);
        await file.write(header);
        return { path, file, hash };
      })()
    : null;
  const flac = set.formats.includes('flac') ? await requireFlac(options)({ rateHz, channels: CHANNELS, bits: set.bits, comments: vorbisComments(tags), artwork: tags.artwork }) : null;
  let written = 0;
  return {
    async write(bytes, ints, n) {
      pcmMd5.update(bytes);
      written += n;
      if (wav) {
        wav.hash.update(bytes);
        await wav.file.write(bytes);
      }
      if (flac) await flac.add(ints, n);
    },
    async close() {
      if (written !== frames) throw new LatheError('render-short', `track ${track} rendered ${written} of ${frames} samples; nothing was delivered.`);
      const reports: MasterFileReport[] = [];
      const common = { track, rateHz, bits: set.bits, frames, integratedLufs: null, truePeakDbtp: null };
      if (wav) {
        await wav.file.close();
        reports.push({ ...common, path: wav.path, format: 'wav', sha256: wav.hash.hex() });
      }
      if (flac) {
        const bytes = setStreamInfoMd5(await flac.finish(), pcmMd5.hex());
        const path = `${set.dir}/${base}.flac`;
        await out.writeFile(path, bytes);
        reports.push({ ...common, path, format: 'flac', sha256: await sha256Hex(bytes) });
      }
      return reports;
    }
  };
}

function requireFlac(options: MasterOptions): FlacEncoderFactory {
  if (!options.flac) throw new LatheError('unsupported', 'this host has no FLAC encoder; choose WAV.');
  return options.flac;
}

/** Writes the MD5 of the decoded PCM into STREAMINFO, as `flac` itself does, so `flac -t` checks it. */
export function setStreamInfoMd5(file: Uint8Array, md5Hex: string): Uint8Array {
  if (String.fromCharCode(...file.subarray(0, 4)) !== 'fLaC' || (file[4] & 0x7f) !== 0) throw new LatheError('bad-format', 'the FLAC encoder did not start with STREAMINFO.');
  for (let i = 0; i < 16; i++) file[8 + 18 + i] = parseInt(md5Hex.slice(2 * i, 2 * i + 2), 16);
  return file;
}

/** Splits the programme, block by block, into each set's track files. */
class TrackSplitter {
  private current = -1;
  private open: OpenFile | null = null;
  readonly files: MasterFileReport[] = [];

  constructor(
    private readonly bounds: number[],
    private readonly openAt: (track: number) => Promise<OpenFile>
  ) {}

  async write(bytes: Uint8Array, ints: Int32Array, frames: number, at: number): Promise<void> {
    const bytesPerFrame = bytes.length / frames;
    let done = 0;
    while (done < frames) {
      const pos = at + done;
      const track = this.trackAt(pos);
      if (track < 0) {
        // Before track 1's INDEX 01 (the CD's pause) or past the album's end: in no file.
        done = pos < this.bounds[0] ? Math.min(frames, this.bounds[0] - at) : frames;
        continue;
      }
      if (track !== this.current) {
        if (this.open) this.files.push(...(await this.open.close()));
        this.current = track;
        this.open = await this.openAt(track);
      }
      const n = Math.min(frames - done, this.bounds[track + 1] - pos);
      await (this.open as OpenFile).write(bytes.subarray(done * bytesPerFrame, (done + n) * bytesPerFrame), ints.subarray(done * CHANNELS, (done + n) * CHANNELS), n);
      done += n;
    }
  }

  private trackAt(pos: number): number {
    if (pos < this.bounds[0] || pos >= this.bounds[this.bounds.length - 1]) return -1;
    for (let i = this.bounds.length - 2; i >= 0; i--) if (pos >= this.bounds[i]) return i;
    return -1;
  }

  async finish(): Promise<MasterFileReport[]> {
    if (this.open) this.files.push(...(await this.open.close()));
    this.open = null;
    return this.files;
  }
}

/** Per-track meters over the delivered audio (after gain), shared by the sets of one render; the album gated from them. */
class TrackMeters {
  private readonly meters: Analyzer[];
  private results: Analysis[] | null = null;

  constructor(
    private readonly bounds: number[],
    rateHz: number
  ) {
    this.meters = bounds.slice(1).map(() => new Analyzer({ rateHz, channels: 2, bitDepth: 24, sampleFormat: 'int' }, { keepBlocks: true }));
  }

  process(planar: Float32Array[], n: number, at: number): void {
    for (let i = 0; i < this.meters.length; i++) {
      const a = Math.max(at, this.bounds[i]);
      const b = Math.min(at + n, this.bounds[i + 1]);
      if (b > a) this.meters[i].process(a === at && b === at + n ? planar : planar.map((c) => c.subarray(a - at, b - at)), b - a);
    }
  }

  private finish(): Analysis[] {
    this.results ??= this.meters.map((m) => m.finish());
    return this.results;
  }

  of(i: number): { integratedLufs: number | null; truePeakDbtp: number | null } {
    const a = this.finish()[i];
    return { integratedLufs: a.integratedLufs, truePeakDbtp: a.truePeakDbtp };
  }

  album(): { integratedLufs: number | null; truePeakDbtp: number | null } {
    const a = albumLoudness(this.finish());
    return { integratedLufs: a.integratedLufs, truePeakDbtp: a.truePeakDbtp };
  }
}

/** The album a rate's masters are mixed from: positions at the rate, the gain to target applied. */
export interface MasterProgramme {
  album: Album;
  /** Gain after the master chain, where no final limiter takes it. */
  postGainDb: number;
  gainDb: number;
  gainAt: MasterReport['gainAt'];
}

/**
 * Where the masters of `spec` come from: the album at the spec's rate (or `positions`, an album
 * already there, as the CD's), its loudness measured there when a target is asked for.
 */
export async function masterProgramme(
  albumIn: Album,
  formats: Map<string, SourceFormat>,
  spec: MasterRender,
  reader: { read: ClipReader; readsAtRenderRate: boolean; mix?: (album: Album) => ProgrammeReader },
  hooks: RenderHooks = {},
  positions?: Album
): Promise<MasterProgramme> {
  if (albumIn.tracks.length === 0) throw new LatheError('no-tracks', 'the album has no tracks.');
  const scaled = positions ?? rescaleAlbum(albumIn, spec.rateHz);
  let gainDb = 0;
  if (spec.targetLufs !== null) {
    const measured = await measureAt(scaled, formats, reader.read, reader.readsAtRenderRate, hooks, reader.mix?.(scaled));
    if (measured.integratedLufs === null) throw new LatheError('bad-value', 'the album is silent; there is no loudness to bring to a target.');
    gainDb = spec.targetLufs - measured.integratedLufs;
  }
  const { chain, postGainDb, at } = withTargetGain(scaled.masterChain, gainDb);
  return { album: { ...scaled, masterChain: chain }, postGainDb, gainDb, gainAt: at };
}

/** One rate's masters made from the mix as it goes by: every set, every track, tagged, measured and hashed. */
export function masterSink(albumIn: Album, programme: MasterProgramme, out: OutputFolder, spec: MasterRender, options: MasterOptions): ProgrammeSink<MasterReport> {
  const { album } = programme;
  const rate = spec.rateHz;
  const layout = layoutAlbum(album);
  const bounds = [...layout.tracks.map((t) => t.index01Samples), layout.totalSamples];
  const tagsOf = (i: number) => trackTags(albumIn, i, options.artwork);
  const meters = new TrackMeters(bounds, rate);
  const [main, ...others] = spec.sets;
  if (!main || others.some((s) => s.bits !== 16 || main.bits !== 24)) throw new LatheError('bad-variant', 'a render makes one set at its own depth, and at most a 16-bit set beside a 24-bit one.');
  // Every set dithered alike (seed, shaping, untouched audio left exact): a 16-bit set from the CD's mix is the CD's audio.
  const sets = spec.sets.map((set) => ({
    set,
    split: new TrackSplitter(bounds, (i) => openTrack(out, set, rate, bounds[i + 1] - bounds[i], tagsOf(i), trackFileName(albumIn, i), i + 1, bounds[i], options)),
    quantizer: new BlockQuantizer(set.bits, { dither: true, shaping: options.shaping, seed: options.seed })
  }));
  // The round trip follows the mix as it goes by, a track at a time, in order.
  const codecs = spec.codecs ?? [];
  const codecCheck: CodecTrackReport[] = [];
  let trip: { track: number; trip: CodecRoundTrip } | null = null;
  const scale = 1 / 2 ** (main.bits - 1);
  // The file's own samples, as floats, a track's part of the block at a time.
  const toCodecs = async (ints: Int32Array, n: number, from: number) => {
    for (let i = 0; i < bounds.length - 1; i++) {
      const a = Math.max(from, bounds[i]);
      const b = Math.min(from + n, bounds[i + 1]);
      if (b <= a) continue;
      const block = [new Float32Array(b - a), new Float32Array(b - a)];
      for (let k = a; k < b; k++) {
        block[0][k - a] = ints[2 * (k - from)] * scale;
        block[1][k - a] = ints[2 * (k - from) + 1] * scale;
      }
      if (trip?.track !== i) {
        if (trip) codecCheck.push(...(await trip.trip.finish()));
        trip = { track: i, trip: await CodecRoundTrip.open(i + 1, rate, codecs) };
      }
      await trip.trip.push(block, b - a);
    }
  };
  // One block is written while the next is mixed (each quantizer keeps two blocks' buffers).
  let tail: Promise<void> = Promise.resolve();
  return {
    totalSamples: layout.totalSamples,
    async block(planar, n, from, untouchedBits) {
      meters.process(planar, n, from);
      const blocks = sets.map((s) => s.quantizer.quantize(planar, n, s.quantizer.processedMask(untouchedBits, n)));
      await tail;
      tail = (async () => {
        for (let k = 0; k < sets.length; k++) await sets[k].split.write(blocks[k].bytes, blocks[k].ints, n, from);
        if (codecs.length) await toCodecs(blocks[0].ints, n, from);
      })();
    },
    async finish() {
      await tail;
      if (trip) codecCheck.push(...(await (trip as { trip: CodecRoundTrip }).trip.finish()));
      const files: MasterFileReport[] = [];
      for (const s of sets) files.push(...(await s.split.finish()));
      for (const f of files) Object.assign(f, meters.of(f.track - 1));
      return { rateHz: rate, gainDb: round(programme.gainDb) ?? 0, gainAt: programme.gainAt, album: meters.album(), files, ...(codecs.length ? { codecCheck } : {}) };
    }
  };
}

/** Renders one rate's masters on their own: every set, every track, tagged, measured and hashed. */
export async function deliverMasters(
  albumIn: Album,
  formats: Map<string, SourceFormat>,
  read: ClipReader,
  out: OutputFolder,
  spec: MasterRender,
  options: MasterOptions,
  hooks: RenderHooks = {}
): Promise<MasterReport> {
  const reader = { read: options.readerFor?.(spec.rateHz) ?? read, readsAtRenderRate: !!options.readerFor };
  const measuring = spec.targetLufs !== null;
  const programme = await masterProgramme(albumIn, formats, spec, reader, { signal: hooks.signal, onProgress: (f) => hooks.onProgress?.(f / 2) });
  const sink = masterSink(albumIn, programme, out, spec, options);
  const [report] = await renderToSinks(programme.album, formats, reader.read, { readsAtRenderRate: reader.readsAtRenderRate, gainDb: programme.postGainDb }, [sink], {
    signal: hooks.signal,
    onProgress: (f) => hooks.onProgress?.(measuring ? 0.5 + f / 2 : f)
  });
  return report as MasterReport;
}
