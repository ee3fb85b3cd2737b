/**
 * The master as the CD delivers it, measured: the album laid out as the CD render lays it out, at
 * 44.1 kHz, through clip, track and master chains, each track from its INDEX 01 to where the next
 * track begins (as report.json measures it). Before dither, so the figures are those the export
 * reports for the same programme.
 */
import type { Album } from '../album/model';
import { cdLayout, CD_RATE_HZ, type CdLayout } from '../album/cd-layout';
import { SAMPLES_PER_CD_FRAME } from '../album/timeline';
import { Analyzer, type Analysis } from '../analysis/analyzer';
import { albumLoudness, type AlbumLoudness } from '../analysis/album';
import { renderAlbum, type RenderHooks, type SourceFormat } from '../render/engine';
import type { ClipReader, ProgrammeReader } from '../render/readers';
import type { KernelFactory } from '../dsp/kernel';
import { sha256Hex } from '../hash';

export interface MasterMeasurement {
  tracks: Analysis[];
  album: AlbumLoudness;
}

export interface MeasureOptions {
  /** The programme after a master chain rendered elsewhere (as CdOptions.premastered). */
  premastered?: ProgrammeReader;
  readsAtRenderRate?: boolean;
  kernels?: KernelFactory;
  /** The mix before the master chain for the CD's album, made elsewhere (an immersive album's Lo/Ro fold-down). */
  mixFor?: (cdAlbum: Album) => ProgrammeReader;
}

/** Where each track of a CD layout is measured, in samples: INDEX 01 to the next track's first index. */
export function cdTrackSpans(layout: CdLayout): [number, number][] {
  return layout.tracks.map((t) => [t.index01 * SAMPLES_PER_CD_FRAME, t.end * SAMPLES_PER_CD_FRAME]);
}

/** Feeds each block of the programme to the meter of every track it overlaps. */
export function tapTracks(spans: [number, number][], meters: { process(planar: Float32Array[], n: number, offset: number): void }[]) {
  return (planar: Float32Array[], n: number, from: number) => {
    for (let i = 0; i < spans.length; i++) {
      const a = Math.max(from, spans[i][0]);
      const b = Math.min(from + n, spans[i][1]);
      if (b > a) meters[i].process(planar, b - a, a - from);
    }
  };
}

export async function measureCdMaster(album: Album, formats: Map<string, SourceFormat>, read: ClipReader, options: MeasureOptions = {}, hooks: RenderHooks = {}): Promise<MasterMeasurement> {
  const layout = cdLayout(album);
  const spans = cdTrackSpans(layout);
  const meters = spans.map(() => new Analyzer({ rateHz: CD_RATE_HZ, channels: 2, bitDepth: 16, sampleFormat: 'int' }, { keepBlocks: true, spectrum: true }));
  await renderAlbum(
    layout.album,
    formats,
    read,
    { bits: 16, dither: false, shaping: 'none', seed: 1, totalSamples: layout.leadOut * SAMPLES_PER_CD_FRAME, premastered: options.premastered, readsAtRenderRate: options.readsAtRenderRate, kernels: options.kernels, mix: options.mixFor?.(layout.album) },
    async () => {},
    { ...hooks, tap: tapTracks(spans, meters) }
  );
  const tracks = meters.map((m) => m.finish());
  return { tracks, album: albumLoudness(tracks) };
}

/**
 * A key for what the master sounds like: equal keys, equal samples. Clips by their audio's content
 * (`audioOf` gives an asset's hash), every chain, and the CD layout's marks.
 */
export function masterKey(album: Album, audioOf: (assetId: string) => string, premastered?: string): Promise<string> {
  const layout = cdLayout(album);
  const tracks = layout.album.tracks.map((t, i) => ({
    gap: t.gapBeforeSamples,
    overlap: t.overlapSamples,
    marks: [layout.tracks[i].index01, layout.tracks[i].end],
    chain: t.chain,
    clips: t.clips.map(({ id: _id, assetId, ...c }) => ({ ...c, audio: audioOf(assetId) }))
  }));
  return sha256Hex(JSON.stringify({ v: 2, rate: album.rateHz, leadOut: layout.leadOut, master: album.masterChain, premastered: premastered ?? null, immersive: album.immersive ?? null, tracks }));
}
