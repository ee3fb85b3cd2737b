/**
 * Chains that hold a third-party WAM plugin cannot run in the render worker (no Web Audio there),
 * so the page renders them first, in an OfflineAudioContext: each such clip, then each such track,
 * becomes an audio asset of the project, and the worker renders an album that plays those assets.
 * A result is cached under a hash of everything it was made from, so an unchanged clip or track
 * is never rendered again.
 */
import type { Album, Asset, Chain, Clip, Track } from '$lib/core/album/model';
import { createAlbum, createClip, createTrack } from '$lib/core/album/model';
import { chainName } from '$lib/core/album/chains';
import { renderAlbum, type SourceFormat } from '$lib/core/render/engine';
import { LatheError } from '$lib/core/errors';
import { sha256Hex } from '$lib/core/sha256';
import { memorySource } from '$lib/core/audio/source';
import { FIRST_PARTY } from '$lib/core/dsp/plugins';
import type { LatheDb } from '../store/db';
import { loadProject } from '../store/projects';
import { readAssetFrames } from '../store/assets';
import { importDecodedAudio } from '../store/ingest';
import { isFirstParty, pluginModuleUrl } from '../audio/wam-host';
import { renderOffline, stateFromParams, type OfflineSlot } from '../audio/offline-chain';

export function needsBrowserHost(chain: Chain): boolean {
  return chain.some((s) => !s.bypass && !isFirstParty(s.plugin));
}

function slots(chain: Chain): OfflineSlot[] {
  return chain.map((s) => ({
    url: pluginModuleUrl(s.plugin),
    name: FIRST_PARTY.find((p) => p.id === s.plugin)?.name ?? s.plugin,
    state: s.state ?? stateFromParams(s.params),
    bypass: s.bypass,
    manualLatencySamples: s.manualLatencySamples
  }));
}

interface Context {
  db: LatheDb;
  projectId: string;
  rateHz: number;
  assets: Map<string, Asset>;
}

/** Renders a one-track album (no master, no track chain) to floats with the core engine. */
async function mixdown(ctx: Context, track: Track, lengthSamples: number): Promise<Float32Array[]> {
  const album = createAlbum({ rateHz: ctx.rateHz, tracks: [{ ...track, chain: [] }] });
  const formats = new Map<string, SourceFormat>([...ctx.assets.values()].map((a) => [a.id, { rateHz: a.rateHz, bitDepth: a.bitDepth, sampleFormat: a.sampleFormat }]));
  const out = [new Float32Array(lengthSamples), new Float32Array(lengthSamples)];
  await renderAlbum(
    album,
    formats,
    async (clip, start, n, dst) => {
      const asset = ctx.assets.get(clip.assetId);
      if (asset) await readAssetFrames(ctx.db, asset, start, n, dst);
      else for (const ch of dst) ch.fill(0, 0, n);
    },
    { bits: 24, dither: false, shaping: 'none', seed: 1, totalSamples: lengthSamples },
    async () => {},
    { tap: (planar, n, from) => planar.forEach((ch, c) => out[c].set(ch.subarray(0, n), from)) }
  );
  return out;
}

/** The asset made from `key`, rendering it only when no earlier render of the same inputs exists. */
async function cached(ctx: Context, key: string, name: string, render: () => Promise<Float32Array[]>): Promise<Asset> {
  const keyBytes = new TextEncoder().encode(key);
  const sha256 = sha256Hex(keyBytes);
  const hit = (await ctx.db.assets.where('sha256').equals(sha256).toArray()).find((a) => a.status === 'ready');
  if (hit) {
    if (!hit.projectIds.includes(ctx.projectId)) await ctx.db.assets.update(hit.id, { projectIds: [...hit.projectIds, ctx.projectId] });
    ctx.assets.set(hit.id, hit);
    return hit;
  }
  const channels = await render();
  const asset = await importDecodedAudio(ctx.db, memorySource(name, keyBytes), { container: 'render', rateHz: ctx.rateHz, bitDepth: 32, channels }, ctx.projectId, () => {});
  ctx.assets.set(asset.id, asset);
  return asset;
}

/** What a clip sounds like, for the cache key: its audio by content hash, not by id. */
function clipKey(ctx: Context, c: Clip) {
  const { id: _id, assetId, ...rest } = c;
  return { ...rest, audio: ctx.assets.get(assetId)?.sha256 ?? assetId };
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
  if (needsBrowserHost(album.masterChain)) {
    const slot = album.masterChain.findIndex((s) => !s.bypass && !isFirstParty(s.plugin));
    throw new LatheError('plugin-master', `Slot ${slot + 1} of the master chain holds ${album.masterChain[slot].plugin}: third-party plugins render per clip or per track (the master would hold the whole album in memory). Move it to the tracks.`);
  }
  if (!album.tracks.some((t) => needsBrowserHost(t.chain) || t.clips.some((c) => needsBrowserHost(c.chain)))) return null;
  const ctx: Context = { db, projectId, rateHz: album.rateHz, assets: new Map(assets.map((a) => [a.id, a])) };
  let tracks = album.tracks;

  tracks = await sequential(tracks, async (track) => ({
      ...track,
      clips: await sequential(track.clips, async (clip) => {
        if (!needsBrowserHost(clip.chain)) return clip;
        const where = chainName(album, { kind: 'clip', clipId: clip.id });
        const key = JSON.stringify({ kind: 'clip', rateHz: ctx.rateHz, clip: clipKey(ctx, clip) });
        onStatus(`Rendering the plugins of ${where}`);
        const asset = await cached(ctx, key, `${where} (rendered)`, async () => {
          const alone = createTrack(ctx.rateHz, { gapBeforeSamples: 0, clips: [{ ...clip, positionSamples: 0, chain: [] }] });
          const dry = await mixdown(ctx, alone, clip.lengthSamples);
          return (await renderOffline(dry, ctx.rateHz, slots(clip.chain), where)).output;
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
    const key = JSON.stringify({ kind: 'track', rateHz: ctx.rateHz, clips: track.clips.map((c) => clipKey(ctx, c)), chain: track.chain });
    onStatus(`Rendering the plugins of ${where}`);
    const asset = await cached(ctx, key, `${where} (rendered)`, async () => {
      const shifted = createTrack(ctx.rateHz, { gapBeforeSamples: lead, clips: track.clips });
      const dry = await mixdown(ctx, shifted, lead + last);
      return (await renderOffline(dry, ctx.rateHz, slots(track.chain), where)).output;
    });
    return { ...track, chain: [], clips: [createClip({ assetId: asset.id, positionSamples: -lead, lengthSamples: lead + last })] };
  });
  return { ...album, tracks };
}

async function sequential<T>(items: T[], f: (item: T, index: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < items.length; i++) out.push(await f(items[i], i));
  return out;
}
