import { describe, expect, it } from 'vitest';
import { createAlbum, createClip, createTrack, type Album, type ChainSlot } from '$lib/core/album/model';
import { renderAlbum, type SourceFormat } from '$lib/core/render/engine';
import { createProject, loadProject, saveAlbum } from '$lib/web/store/projects';
import { importAudioFile } from '$lib/web/files/import';
import { readAssetFrames } from '$lib/web/store/assets';
import type { LatheDb } from '$lib/web/store/db';
import { bakeBrowserChains, bakeCdMaster } from '$lib/web/delivery/prerender';
import { renderOfflineStream, STREAM_CHUNK_FRAMES } from '$lib/web/wam/stream';
import { renderOffline } from '$lib/web/wam/offline';
import { unzipSync } from 'fflate';
import { pluginModuleUrl } from '$lib/web/wam/host';
import { stateFromParams } from '$lib/web/wam/offline';
import { renderCdZip } from '$lib/web/delivery/client';
import { brokenWamSource } from '../helpers/broken-wams';
import { audioTimePasses, freshDb, sineChannels, waitFor, wavFile } from './util';

const R = 44_100;
const LIMIT = { ceilingDbtp: -9, inputGainDb: 6 };

/** The limiter loaded by URL: to the renderer that is a plugin only the browser can host. */
function byUrl(): ChainSlot {
  return { plugin: pluginModuleUrl('lathe.limiter'), params: {}, state: stateFromParams(LIMIT), bypass: false };
}
const byId: ChainSlot = { plugin: 'lathe.limiter', params: LIMIT, bypass: false };

async function project(clipChain: ChainSlot[], trackChain: ChainSlot[]) {
  const db = freshDb();
  const id = await createProject(db, 'Baked');
  const asset = await importAudioFile(wavFile('tone.wav', sineChannels(5 * R, R, 2, 220, 0.6), R), id, db.name, () => {});
  const album = createAlbum({
    title: 'Baked',
    tracks: [createTrack(R, { title: 'T', chain: trackChain, clips: [createClip({ assetId: asset.id, lengthSamples: asset.frames, gainDb: -1, fadeInSamples: 4410, chain: clipChain })] })]
  });
  await saveAlbum(db, id, album);
  return { db, id };
}

async function mix(db: LatheDb, projectId: string, album: Album): Promise<Float32Array> {
  const { assets } = await loadProject(db, projectId);
  const byAsset = new Map(assets.map((a) => [a.id, a]));
  const formats = new Map<string, SourceFormat>(assets.map((a) => [a.id, { rateHz: a.rateHz, bitDepth: a.bitDepth, sampleFormat: a.sampleFormat }]));
  const total = 8 * R;
  const out = new Float32Array(total);
  await renderAlbum(album, formats, (clip, start, n, dst) => readAssetFrames(db, byAsset.get(clip.assetId)!, start, n, dst), { bits: 24, dither: false, shaping: 'none', seed: 1, totalSamples: total }, async () => {}, {
    tap: (planar, n, from) => out.set(planar[0].subarray(0, n), from)
  });
  return out;
}

describe('chains with browser-only plugins, rendered before the worker', () => {
  for (const where of ['clip', 'track'] as const) {
    it(`renders a ${where} chain in an OfflineAudioContext, equal to the kernel render within -90 dB, and caches it`, async () => {
      const { db, id } = await project(where === 'clip' ? [byUrl()] : [], where === 'track' ? [byUrl()] : []);
      const baked = (await bakeBrowserChains(db, id))!;
      expect(baked).not.toBeNull();
      const bakedTrack = baked.tracks[0];
      expect(bakedTrack.chain).toEqual([]);
      expect(bakedTrack.clips[0].chain).toEqual([]);
      const assetsAfterFirst = (await loadProject(db, id)).assets.length;
      expect(assetsAfterFirst).toBe(2);

      // The same album with the limiter by id runs through the kernel in the engine.
      const { album } = await loadProject(db, id);
      const reference = structuredClone(album);
      if (where === 'clip') reference.tracks[0].clips[0].chain = [byId];
      else reference.tracks[0].chain = [byId];
      const [got, want] = [await mix(db, id, baked), await mix(db, id, reference)];
      // Up to the end of the track's audio the two are the same. Past it the engine lets a track
      // chain ring on into the pause (the limiter's band limit rings ~2.5 ms after a hard stop), while
      // a rendered track ends with its last clip: that tail, under -70 dB, is not in the bake.
      const contentEnd = 2 * R + 5 * R;
      let worst = 0;
      let tail = 0;
      for (let i = 0; i < got.length; i++) {
        const d = Math.abs(got[i] - want[i]);
        if (i < contentEnd) worst = Math.max(worst, d);
        else tail = Math.max(tail, d);
      }
      expect(20 * Math.log10(worst + 1e-12)).toBeLessThan(-90);
      expect(20 * Math.log10(tail + 1e-12)).toBeLessThan(-70);

      // Unchanged: found in the cache, nothing new stored.
      const again = (await bakeBrowserChains(db, id))!;
      expect(again.tracks[0].clips[0].assetId).toBe(bakedTrack.clips[0].assetId);
      expect((await loadProject(db, id)).assets.length).toBe(assetsAfterFirst);
      db.close();
    });
  }

  it('renders the CD in the worker from the baked album', async () => {
    const { db, id } = await project([byUrl()], []);
    const baked = (await bakeBrowserChains(db, id))!;
    const { report } = await renderCdZip(db.name, id, 'Baked CD', { shaping: 'none', seed: 1, album: baked }, () => {});
    expect(report.tracks).toHaveLength(1);
    expect(report.tracks[0].truePeakDbtp).toBeLessThanOrEqual(-9 + 0.1);
    db.close();
  });

  it('stops on a plugin that outputs NaN, naming the plugin and its slot', async () => {
    const nan = URL.createObjectURL(new Blob([brokenWamSource('nan')], { type: 'text/javascript' }));
    const { db, id } = await project([{ plugin: 'lathe.eq', params: {}, bypass: false }, { plugin: nan, params: {}, bypass: false }], []);
    await expect(bakeBrowserChains(db, id)).rejects.toThrow(/Slot 2 of clip 1 of track 1 \(blob:.*\) output NaN/);
    db.close();
  });
});

/** The 16-bit samples of the left channel in a CD zip's IMAGE.DAT. */
async function imageLeft(zip: Blob): Promise<Int16Array> {
  const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
  const name = Object.keys(files).find((f) => f.endsWith('DDP/IMAGE.DAT')) as string;
  const all = new Int16Array(files[name].buffer, files[name].byteOffset, files[name].byteLength / 2);
  return all.filter((_, i) => i % 2 === 0);
}

describe('a master chain with browser-only plugins', () => {
  it('streams a long programme through a chain chunk by chunk, equal to the whole-buffer render', async () => {
    const frames = 5 * STREAM_CHUNK_FRAMES + 777;
    const input = sineChannels(frames, R, 2, 330, 0.5);
    // Linear phase: thousands of samples of reported latency, compensated in both.
    const eq = { url: pluginModuleUrl('lathe.eq'), name: 'lathe.eq', state: stateFromParams({ linearPhase: 1, band3GainDb: 6, band3FreqHz: 1000 }) };
    const whole = await renderOffline(input, R, [eq], 'the test chain');
    const got = [new Float32Array(frames), new Float32Array(frames)];
    let at = 0;
    const latency = await renderOfflineStream(
      frames,
      R,
      [eq],
      'the test chain',
      () => {
        let pos = 0;
        return {
          pull: async (n, out) => {
            for (let c = 0; c < 2; c++) out[c].set(input[c].subarray(pos, pos + n));
            pos += n;
          }
        };
      },
      {
        push: async (planar, n) => {
          for (let c = 0; c < 2; c++) got[c].set(planar[c].subarray(0, n), at);
          at += n;
        }
      }
    );
    expect(at).toBe(frames);
    expect(latency).toBe(whole.latencySamples);
    expect(latency).toBeGreaterThan(4000);
    let worst = 0;
    for (let c = 0; c < 2; c++) for (let i = 0; i < frames; i++) worst = Math.max(worst, Math.abs(got[c][i] - whole.output[c][i]));
    expect(worst).toBe(0);
  });

  it('renders the CD programme through the master chain, and the worker only dithers it', async () => {
    const { db, id } = await project([], []);
    const { album } = await loadProject(db, id);
    album.masterChain = [byUrl()];
    await saveAlbum(db, id, album);
    const assetId = await bakeCdMaster(db, id, album);
    // Cached: the same album and chain give the same asset without a render.
    expect(await bakeCdMaster(db, id, album)).toBe(assetId);
    const baked = await renderCdZip(db.name, id, 'Master', { shaping: 'none', seed: 1, premasteredAssetId: assetId }, () => {});
    const reference = structuredClone(album);
    reference.masterChain = [byId];
    await saveAlbum(db, id, reference);
    const kernel = await renderCdZip(db.name, id, 'Master', { shaping: 'none', seed: 1 }, () => {});
    expect(baked.report.tracks[0].truePeakDbtp).toBeLessThanOrEqual(-9 + 0.1);
    const [got, want] = [await imageLeft(baked.zip), await imageLeft(kernel.zip)];
    expect(got.length).toBe(want.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    // The WAM and the kernel agree within -90 dB: at 16 bits, a step of the dither's rounding at most.
    expect(worst).toBeLessThanOrEqual(2);
    expect(want.some((x) => x !== 0)).toBe(true);
    db.close();
  });

  it('stops on a master plugin that outputs NaN, naming it and its slot', async () => {
    const nan = URL.createObjectURL(new Blob([brokenWamSource('nan')], { type: 'text/javascript' }));
    const { db, id } = await project([], []);
    const { album } = await loadProject(db, id);
    album.masterChain = [{ plugin: 'lathe.eq', params: {}, bypass: false }, { plugin: nan, params: {}, bypass: false }];
    await expect(bakeCdMaster(db, id, album)).rejects.toThrow(/Slot 2 of the master chain \(blob:.*\) output NaN at sample 0/);
    db.close();
  });
});

/**
 * Plays from `fromSample` and checks what is heard: the tone (0.6, -4.4 dBFS, less 1 dB of clip
 * gain) held by a limiter at -12 dBTP. Then closes the session and its context.
 */
async function expectHeardUnderCeiling(session: import('$lib/ui/session.svelte').ProjectSession, fromSample: number): Promise<void> {
  const ctx = session.player.context();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 2048;
  session.player.output().connect(analyser);
  await session.player.play(fromSample);
  const buf = new Float32Array(analyser.fftSize);
  const peak = () => {
    analyser.getFloatTimeDomainData(buf);
    return buf.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  };
  // Once the tone fills the analyser's window (and the limiter's look-ahead is past), it is measured.
  await waitFor(() => peak() > 0.1, 'the tone to be heard');
  await audioTimePasses(ctx, 0.2);
  const peakDb = 20 * Math.log10(peak());
  expect(peakDb).toBeLessThan(-12);
  expect(peakDb).toBeGreaterThan(-14);
  session.player.stop();
  await session.close();
  await ctx.close();
}

describe('playback of browser-only plugins', () => {
  it('plays a master chain holding a plugin loaded by URL live, after the mix', async () => {
    const { ProjectSession } = await import('$lib/ui/session.svelte');
    const { db, id } = await project([], []);
    const { album } = await loadProject(db, id);
    album.masterChain = [{ ...byUrl(), state: stateFromParams({ ceilingDbtp: -12, inputGainDb: 0 }) }];
    await saveAlbum(db, id, album);
    const session = await ProjectSession.open(db, id);
    // Loading the plugin takes a moment; then it is in the live graph.
    await waitFor(() => session.player.liveMasterReady, 'the master plugin in the live graph');
    expect(session.playbackNote).toBe('');
    await expectHeardUnderCeiling(session, 2 * R);
  });

  it('switches to the rendered clips once ready, so a limiter loaded by URL is heard', async () => {
    const { ProjectSession } = await import('$lib/ui/session.svelte');
    const { db, id } = await project([{ ...byUrl(), state: stateFromParams({ ceilingDbtp: -12, inputGainDb: 0 }) }], []);
    const session = await ProjectSession.open(db, id);
    expect(session.playbackNote).toMatch(/Rendering third-party plugins/);
    await expect.poll(() => session.playbackNote, { timeout: 20_000 }).toBe('');
    await expectHeardUnderCeiling(session, 4 * R);
  });
});
