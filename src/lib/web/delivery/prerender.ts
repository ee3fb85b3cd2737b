/**
 * Chains that hold a third-party WAM plugin cannot run in the render worker (no Web Audio there),
 * so the page renders them first, in an OfflineAudioContext: each such clip, then each such track,
 * becomes an audio asset of the project, and the worker renders an album that plays those assets.
 * Such a master chain is rendered last, over the whole programme as the delivery lays it out
 * (streamed, never held in memory), and the worker only dithers that. A result is cached under a
 * hash of everything it was made from, so an unchanged clip, track or master is never rendered again.
 */
import type { Album, Asset, Chain, Clip, Track } from '$lib/core/album/model';
import { createAlbum, createClip, createTrack } from '$lib/core/album/model';
import { chainName } from '$lib/core/album/chains';
import { renderAlbum, type SourceFormat } from '$lib/core/render/engine';
import type { ClipReader } from '$lib/core/render/readers';
import { LatheError } from '$lib/core/errors';
import { sha256Hex } from '$lib/core/hash';
import { FIRST_PARTY } from '$lib/core/dsp/plugins';
import type { LatheDb } from '../store/db';
import { loadProject } from '../store/projects';
import { readAssetFrames } from '../store/assets';
import { importMadeAudio } from '../store/ingest';
import { isFirstParty, pluginModuleUrl } from '../wam/host';
import { renderOffline, stateFromParams, type OfflineSlot } from '../wam/offline';
import { renderOfflineStream, type ProgrammeStream } from '../wam/stream';
import { cdProgramme } from '$lib/core/delivery/cd';
import { CD_RATE_HZ } from '$lib/core/album/cd-layout';

export function needsBrowserHost(chain: Chain): boolean {
  return chain.some((s) => !s.bypass && !isFirstParty(s.plugin));
}

function slots(chain: Chain): OfflineSlot[] {
  return chain.map((s) => ({
    url: pluginModuleUrl(s.plugin),
    name: FIRST_PARTY.find((p) => p.id === s.plugin)?.name ?? s.plugin,
    state: s.state ?? stateFromParams(s.params),
    bypass: s.bypass,
    manualLatencySamples: s.manualLatencySamples,
    latencyOverrideSamples: s.latencyOverrideSamples
  }));
}

interface Context {
  db: LatheDb;
  projectId: string;
  rateHz: number;
  assets: Map<string, Asset>;
  /** Each third-party module's pinned SHA-256: an accepted change makes a new render. */
  pins: Map<string, string>;
}

async function modulePins(db: LatheDb): Promise<Map<string, string>> {
  return new Map((await db.plugins.toArray()).map((r) => [r.url, r.sha256]));
}

/** A chain as the cache key sees it: its slots and the modules they run. */
function chainKey(ctx: Context, chain: Chain) {
  return chain.map((s) => ({ ...s, module: ctx.pins.get(s.plugin) ?? null }));
}

/** Renders a one-track album (no master, no track chain) to floats with the core engine. */
function sourceFormats(ctx: Context): Map<string, SourceFormat> {
  return new Map([...ctx.assets.values()].map((a) => [a.id, { rateHz: a.rateHz, bitDepth: a.bitDepth, sampleFormat: a.sampleFormat }]));
}

/** Clip audio from the project's stored assets; a missing asset reads as silence. */
function assetReader(ctx: Context): ClipReader {
  return async (clip, start, n, dst) => {
    const asset = ctx.assets.get(clip.assetId);
    if (asset) await readAssetFrames(ctx.db, asset, start, n, dst);
    else for (const ch of dst) ch.fill(0, 0, n);
  };
}

async function mixdown(ctx: Context, track: Track, lengthSamples: number): Promise<Float32Array[]> {
  const album = createAlbum({ rateHz: ctx.rateHz, tracks: [{ ...track, chain: [] }] });
  const out = [new Float32Array(lengthSamples), new Float32Array(lengthSamples)];
  await renderAlbum(
    album,
    sourceFormats(ctx),
    assetReader(ctx),
    { bits: 24, dither: false, shaping: 'none', seed: 1, totalSamples: lengthSamples },
    async () => {},
    { tap: (planar, n, from) => planar.forEach((ch, c) => out[c].set(ch.subarray(0, n), from)) }
  );
  return out;
}

/**
 * The asset made from `key`, rendering it only when no earlier render of the same inputs exists.
 * `render` pushes the result's `frames` stereo frames as it makes them.
 */
async function cached(ctx: Context, key: string, name: string, frames: number, render: (push: (planar: Float32Array[], n: number) => Promise<void>) => Promise<unknown>): Promise<Asset> {
  const sha256 = await sha256Hex(key);
  const hit = (await ctx.db.assets.where('sha256').equals(sha256).toArray()).find((a) => a.status === 'ready');
  if (hit) {
    if (!hit.projectIds.includes(ctx.projectId)) await ctx.db.assets.update(hit.id, { projectIds: [...hit.projectIds, ctx.projectId] });
    ctx.assets.set(hit.id, hit);
    return hit;
  }
  const asset = await importMadeAudio(ctx.db, name, sha256, { container: 'render', rateHz: ctx.rateHz, bitDepth: 32, channels: 2, frames }, ctx.projectId, render);
  ctx.assets.set(asset.id, asset);
  return asset;
}

/** What a clip sounds like, for the cache key: its audio by content hash, not by id. */
function clipKey(ctx: Context, c: Clip) {
  const { id: _id, assetId, chain, ...rest } = c;
  return { ...rest, chain: chainKey(ctx, chain), audio: ctx.assets.get(assetId)?.sha256 ?? assetId };
}

export interface BakeProgress {
  (what: string): void;
}

/**
 * Returns the album the worker should render, with every third-party chain rendered into audio,
 * or null when no chain needs the browser's plugin host.
 */
export async function bakeBrowserChains(db: LatheDb, projectId: string, onStatus: BakeProgress = () => {}): Promise<Album | null> {
  const { album, assets } = await loadProject(db, projectId);
  if (!album.tracks.some((t) => needsBrowserHost(t.chain) || t.clips.some((c) => needsBrowserHost(c.chain)))) return null;
  const ctx: Context = { db, projectId, rateHz: album.rateHz, assets: new Map(assets.map((a) => [a.id, a])), pins: await modulePins(db) };
  let tracks = album.tracks;

  tracks = await sequential(tracks, async (track) => ({
      ...track,
      clips: await sequential(track.clips, async (clip) => {
        if (!needsBrowserHost(clip.chain)) return clip;
        const where = chainName(album, { kind: 'clip', clipId: clip.id });
        const key = JSON.stringify({ kind: 'clip', rateHz: ctx.rateHz, clip: clipKey(ctx, clip) });
        onStatus(`Rendering the plugins of ${where}`);
        const asset = await cached(ctx, key, `${where} (rendered)`, clip.lengthSamples, async (push) => {
          const alone = createTrack(ctx.rateHz, { gapBeforeSamples: 0, clips: [{ ...clip, positionSamples: 0, chain: [] }] });
          const dry = await mixdown(ctx, alone, clip.lengthSamples);
          await push((await renderOffline(dry, ctx.rateHz, slots(clip.chain), where)).output, clip.lengthSamples);
        });
        return createClip({ id: clip.id, assetId: asset.id, positionSamples: clip.positionSamples, lengthSamples: clip.lengthSamples });
      })
  }));

  tracks = await sequential(tracks, async (track, i) => {
    if (!needsBrowserHost(track.chain) || track.clips.length === 0) return track;
    const where = `track ${i + 1}`;
    const first = Math.min(...track.clips.map((c) => c.positionSamples));
    const last = Math.max(...track.clips.map((c) => c.positionSamples + c.lengthSamples));
    const lead = Math.max(0, -first);
    const key = JSON.stringify({ kind: 'track', rateHz: ctx.rateHz, clips: track.clips.map((c) => clipKey(ctx, c)), chain: chainKey(ctx, track.chain) });
    onStatus(`Rendering the plugins of ${where}`);
    const asset = await cached(ctx, key, `${where} (rendered)`, lead + last, async (push) => {
      const shifted = createTrack(ctx.rateHz, { gapBeforeSamples: lead, clips: track.clips });
      const dry = await mixdown(ctx, shifted, lead + last);
      await push((await renderOffline(dry, ctx.rateHz, slots(track.chain), where)).output, lead + last);
    });
    return { ...track, chain: [], clips: [createClip({ assetId: asset.id, positionSamples: -lead, lengthSamples: lead + last })] };
  });
  return { ...album, tracks };
}

/**
 * Renders the CD programme of `album` (stored, or from bakeBrowserChains) through its master chain
 * and stores it: the worker then renders the CD from it (CdRenderSettings.premasteredAssetId).
 */
export async function bakeCdMaster(db: LatheDb, projectId: string, album: Album, onStatus: BakeProgress = () => {}): Promise<string> {
  const { assets } = await loadProject(db, projectId);
  const ctx: Context = { db, projectId, rateHz: CD_RATE_HZ, assets: new Map(assets.map((a) => [a.id, a])), pins: await modulePins(db) };
  const { album: cd, totalSamples } = cdProgramme(album);
  const dry: Album = { ...cd, masterChain: [] };
  const sound = cd.tracks.map((t) => ({ gap: t.gapBeforeSamples, overlap: t.overlapSamples, chain: chainKey(ctx, t.chain), clips: t.clips.map((c) => clipKey(ctx, c)) }));
  const key = JSON.stringify({ kind: 'master', variant: 'cd', rateHz: CD_RATE_HZ, totalSamples, tracks: sound, chain: chainKey(ctx, album.masterChain) });
  onStatus('Rendering the plugins of the master chain');
  const asset = await cached(ctx, key, 'Master chain (rendered for CD)', totalSamples, (push) =>
    renderOfflineStream(totalSamples, CD_RATE_HZ, slots(album.masterChain), 'the master chain', () => mixStream(ctx, dry, totalSamples), { push })
  );
  return asset.id;
}

/**
 * The engine's mix of `album` (no dither), pulled block by block: the engine pushes, and waits
 * while a block it made has not been taken, so at most two blocks are held.
 */
function mixStream(ctx: Context, album: Album, totalSamples: number): ProgrammeStream {
  const queue: Float32Array[][] = [];
  let headAt = 0;
  let finished = false;
  let failed: unknown = null;
  let wake: (() => void) | null = null;
  let room: (() => void) | null = null;
  const nudge = () => {
    wake?.();
    wake = null;
  };
  renderAlbum(
    album,
    sourceFormats(ctx),
    assetReader(ctx),
    { bits: 24, dither: false, shaping: 'none', seed: 1, totalSamples },
    async () => {
      while (queue.length > 1) await new Promise<void>((r) => (room = r));
    },
    {
      tap: (planar, n) => {
        queue.push(planar.map((ch) => ch.slice(0, n)));
        nudge();
      }
    }
  ).then(
    () => ((finished = true), nudge()),
    (e) => ((failed = e), nudge())
  );
  return {
    async pull(n, out) {
      for (let got = 0; got < n; ) {
        if (failed) throw failed;
        const head = queue[0];
        if (!head) {
          if (finished) throw new LatheError('render-short', `the programme ended ${n - got} samples early.`);
          await new Promise<void>((r) => (wake = r));
          continue;
        }
        const take = Math.min(n - got, head[0].length - headAt);
        for (let c = 0; c < out.length; c++) out[c].set(head[Math.min(c, head.length - 1)].subarray(headAt, headAt + take), got);
        got += take;
        headAt += take;
        if (headAt === head[0].length) {
          queue.shift();
          headAt = 0;
          room?.();
          room = null;
        }
      }
    }
  };
}

async function sequential<T>(items: T[], f: (item: T, index: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < items.length; i++) out.push(await f(items[i], i));
  return out;
}
