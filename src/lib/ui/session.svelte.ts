/** One open project: its album with undo/redo, autosave, imports and playback. */
import type { Album, Asset, Clip } from '$lib/core/album/model';
import { assetLengthAtRate, createClip, createTrack, newId } from '$lib/core/album/model';
import { commit, createHistory, redo, undo, canRedo, canUndo, type History } from '$lib/core/album/history';
import { addTrack, setAlbumMetadata } from '$lib/core/album/edits';
import { readArtwork } from '$lib/core/metadata/artwork';
import { layoutAlbum } from '$lib/core/album/timeline';
import { placeClips } from '$lib/core/album/montage';
import { checkRedBook } from '$lib/core/album/redbook';
import { cdLayout } from '$lib/core/album/cd-layout';
import { errorMessage, isLatheError } from '$lib/core/errors';
import { PendingEntries } from './entries.svelte';
import type { PeakPyramid } from '$lib/core/audio/peaks';
import type { LatheDb } from '$lib/web/store/db';
import { loadProject, saveAlbum } from '$lib/web/store/projects';
import { loadPeaks, readAssetFrames } from '$lib/web/store/assets';
import { ChunkReader, PLAYBACK } from '$lib/web/store/chunk-reader';
import { importAudioFile } from '$lib/web/files/import';
import { exportArchive } from '$lib/web/files/archive';
import { AlbumPlayer } from '$lib/web/audio/player';
import { analyzeClipInWorker, analyzeInWorker } from '$lib/web/analysis-client';
import { LiveMeters, type MeterReading } from '$lib/web/audio/meters';
import type { ClipLoudness, ProjectAnalysis } from '$lib/web/store/analysis';
import { monitorSteps, previewPlatforms, type AlbumPreview, type GainStep, type PlatformId } from '$lib/core/delivery/platforms';
import type { SpatialReport } from '$lib/core/spatial/checks';
import type { SpatialMonitor } from '$lib/web/audio/player';
import { bakeBrowserChains, bakeCdMaster, needsBrowserHost } from '$lib/web/delivery/prerender';
import { Listening } from './listening.svelte';

export const AUTOSAVE_DELAY_MS = 250;
/** Source frames read at once to draw single samples: 2^19, 2 MB a channel. */
const RAW_WINDOW_FRAMES = 1 << 19;
/** How long edits must pause before the analysis runs again. */
export const ANALYSIS_DELAY_MS = 1200;

export interface ImportJob {
  id: number;
  name: string;
  fraction: number;
  error?: string;
}

let jobIds = 0;

export class ProjectSession {
  history = $state.raw<History>() as History;
  name = $state('');
  assets = $state.raw<Map<string, Asset>>(new Map());
  peaks = $state.raw<Map<string, PeakPyramid>>(new Map());
  saveState = $state<'saved' | 'pending' | 'saving' | 'error'>('saved');
  saveError = $state('');
  imports = $state<ImportJob[]>([]);
  /** Typed values not applied, for their fields and the export to show. */
  readonly entries = new PendingEntries();
  playing = $state(false);
  /** Playback repeats the selected clips' span, or the album when none is selected. */
  loop = $state(false);
  playhead = $state(0);
  analysis = $state.raw<ProjectAnalysis | null>(null);
  analyzing = $state(false);
  analysisProgress = $state({ fraction: 0, label: '' });
  analysisError = $state('');
  private analysisRun = 0;
  /** The album the shown analysis measured. */
  private analyzed = $state.raw<Album | null>(null);
  private analysisTimer: ReturnType<typeof setTimeout> | undefined;
  meterReading = $state.raw<MeterReading | null>(null);
  analyser = $state.raw<AnalyserNode | null>(null);
  private meters: LiveMeters | null = null;
  /** Why playback is not yet (or not) what a render would be, for the transport to show. */
  playbackNote = $state('');
  private bakeTimer: ReturnType<typeof setTimeout> | undefined;
  private bakeRun = 0;

  readonly player: AlbumPlayer;
  /** References, A/B and the playback simulations. */
  readonly listening: Listening;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();
  private raf = 0;

  /** The album a drag shows before it is released: not in the history, not saved. */
  private draft = $state.raw<Album | null>(null);
  selectedClipIds = $state.raw<string[]>([]);
  /** A crossfade or segue picked on the timeline: "clipA|clipB". */
  selectedOverlap = $state<string | null>(null);
  /** The chain the Processing panel edits: "master", "track:ID" or "clip:ID". */
  chainKey = $state('master');
  /** The open panel; set to show an object's processing. */
  panel = $state('');
  private drawnOnce = false;

  album = $derived(this.draft ?? this.history.present);
  layout = $derived(layoutAlbum(this.draft ?? this.history.present));
  /** The album as the CD is written: every time and frame count shown comes from here. */
  cd = $derived(cdLayout(this.history.present));
  problems = $derived(checkRedBook(this.history.present));
  canUndo = $derived(canUndo(this.history));
  canRedo = $derived(canRedo(this.history));

  private constructor(
    readonly db: LatheDb,
    readonly projectId: string,
    album: Album
  ) {
    this.history = createHistory(album);
    const chunks = new ChunkReader(db, PLAYBACK);
    this.player = new AlbumPlayer((asset, start, n, out) => readAssetFrames(db, asset, start, n, out, 0, chunks));
    this.listening = new Listening(this);
    this.player.onEnded = () => {
      if (this.loop) {
        void this.play(this.loopSpan()[0]);
        return;
      }
      this.playing = false;
      this.playhead = this.player.position();
    };
  }

  static async open(db: LatheDb, projectId: string): Promise<ProjectSession> {
    const { row, album, assets: all } = await loadProject(db, projectId);
    const s = new ProjectSession(db, projectId, album);
    s.name = row.name;
    // Reference tracks are the project's but not the album's: they stay off the timeline and out of the archive.
    const refIds = await s.listening.load(all);
    const assets = all.filter((a) => !refIds.has(a.id) || album.tracks.some((t) => t.clips.some((c) => c.assetId === a.id)));
    s.assets = new Map(assets.map((a) => [a.id, a]));
    s.player.setProgram(album, assets);
    s.scheduleBake();
    await Promise.all(assets.map((a) => s.fetchPeaks(a.id)));
    performance.mark('lathe:project-loaded');
    void s.analyze();
    return s;
  }

  private async fetchPeaks(assetId: string): Promise<void> {
    const p = await loadPeaks(this.db, assetId);
    if (p) this.peaks = new Map(this.peaks).set(assetId, p);
  }

  /**
   * Source samples for drawing below the pyramid's finest level (a few hundred samples a pixel and
   * less), one window per asset, read from IndexedDB when the view first needs it.
   */
  private rawWindows = $state.raw<Map<string, { start: number; data: Float32Array[] }>>(new Map());
  private rawLoading = new Map<string, string>();

  rawSamples(assetId: string, start: number, end: number): { start: number; data: Float32Array[] } | null {
    const w = this.rawWindows.get(assetId);
    if (w && start >= w.start && end <= w.start + w.data[0].length) return w;
    const asset = this.assets.get(assetId);
    if (!asset || end - start > RAW_WINDOW_FRAMES / 2) return null;
    // Read around the view, so scrolling a little does not read again.
    const from = Math.max(0, Math.floor((start + end) / 2 - RAW_WINDOW_FRAMES / 2));
    const n = Math.min(RAW_WINDOW_FRAMES, asset.frames - from);
    const want = `${from}:${n}`;
    if (n > 0 && this.rawLoading.get(assetId) !== want) {
      this.rawLoading.set(assetId, want);
      const data = Array.from({ length: asset.channels }, () => new Float32Array(n));
      void readAssetFrames(this.db, asset, from, n, data).then(() => {
        if (this.rawLoading.get(assetId) === want) this.rawWindows = new Map(this.rawWindows).set(assetId, { start: from, data });
      });
    }
    return w ?? null;
  }

  /** The cover, checked (square JPEG or PNG, 1400 px or more), kept in IndexedDB, set on the album. */
  async setArtwork(file: File): Promise<string[]> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const art = readArtwork(bytes, file.name);
    const id = newId();
    await this.db.images.put({ id, projectId: this.projectId, name: file.name, mimeType: art.mimeType, widthPx: art.widthPx, heightPx: art.heightPx, bytes, createdAt: Date.now() });
    this.edit((a) => setAlbumMetadata(a, { artwork: id }));
    return art.notes;
  }

  /** Applies a pure edit; it is undoable and saved within a second. */
  edit(f: (album: Album) => Album): void {
    const next = f(this.history.present);
    this.setHistory(commit(this.history, next));
  }

  /** Shows an edit while a gesture goes on; `commitPreview` records it as one step. */
  preview(album: Album): void {
    this.draft = album;
  }

  commitPreview(): void {
    const draft = this.draft;
    this.draft = null;
    if (draft) this.edit(() => draft);
  }

  cancelPreview(): void {
    this.draft = null;
  }

  /** Selects a clip (adding to the selection, or toggling it out, with `add`); null clears. */
  selectClip(clipId: string | null, add = false): void {
    this.selectedOverlap = null;
    if (clipId === null) this.selectedClipIds = [];
    else if (!add) this.selectedClipIds = this.selectedClipIds.includes(clipId) && this.selectedClipIds.length === 1 ? this.selectedClipIds : [clipId];
    else this.selectedClipIds = this.selectedClipIds.includes(clipId) ? this.selectedClipIds.filter((id) => id !== clipId) : [...this.selectedClipIds, clipId];
  }

  selectOverlap(key: string): void {
    this.selectedOverlap = key;
    this.selectedClipIds = [];
    this.panel = 'clip';
  }

  openChain(key: string): void {
    this.chainKey = key;
    this.panel = 'processing';
  }

  /** The first drawn timeline after opening, for the speed benchmark's performance mark. */
  markDrawn(): void {
    if (this.drawnOnce || typeof performance === 'undefined') return;
    this.drawnOnce = true;
    performance.mark('lathe:timeline-drawn');
  }

  undo(): void {
    this.setHistory(undo(this.history));
  }

  redo(): void {
    this.setHistory(redo(this.history));
  }

  private setHistory(h: History): void {
    if (h === this.history) return;
    this.history = h;
    const ids = new Set(h.present.tracks.flatMap((t) => t.clips.map((c) => c.id)));
    if (this.selectedClipIds.some((id) => !ids.has(id))) this.selectedClipIds = this.selectedClipIds.filter((id) => ids.has(id));
    this.player.setProgram(h.present, [...this.assets.values()]);
    this.listening.albumChanged();
    this.applyMonitor();
    this.scheduleSave();
    this.scheduleBake();
    this.scheduleAnalysis();
  }

  /** Anything the figures depend on changed: measure again once the edits pause (cached, so cheap). */
  private scheduleAnalysis(): void {
    clearTimeout(this.analysisTimer);
    this.analysisTimer = setTimeout(() => void this.analyze(), ANALYSIS_DELAY_MS);
  }

  /**
   * Third-party plugins exist only as Web Audio nodes. On clips and tracks, playback hears them
   * once they are rendered (the same cached renders a delivery uses), until then without them; a
   * master chain holding one plays live as WAM nodes after the mix.
   */
  private scheduleBake(): void {
    clearTimeout(this.bakeTimer);
    const album = this.history.present;
    const run = ++this.bakeRun;
    let masterNote = '';
    this.player.setLiveMaster(needsBrowserHost(album.masterChain) ? album.masterChain : []).catch((e) => {
      if (run !== this.bakeRun) return;
      masterNote = `Playing without the master chain: ${errorMessage(e)}`;
      this.playbackNote = masterNote;
    });
    if (!album.tracks.some((t) => needsBrowserHost(t.chain) || t.clips.some((c) => needsBrowserHost(c.chain)))) {
      this.playbackNote = masterNote;
      return;
    }
    this.playbackNote = 'Rendering third-party plugins for playback';
    this.bakeTimer = setTimeout(async () => {
      try {
        await this.flush();
        const baked = await bakeBrowserChains(this.db, this.projectId);
        if (run !== this.bakeRun || !baked) return;
        const { assets } = await loadProject(this.db, this.projectId);
        this.player.setProgram(baked, assets);
        this.playbackNote = masterNote;
      } catch (e) {
        if (run === this.bakeRun) this.playbackNote = `Playing without third-party plugins: ${errorMessage(e)}`;
      }
    }, 600);
  }

  private scheduleSave(): void {
    this.saveState = 'pending';
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.flush(), AUTOSAVE_DELAY_MS);
  }

  /** Writes the current album now (in one transaction); resolves when it is stored. */
  async flush(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const album = this.history.present;
    this.saving = this.saving.then(async () => {
      this.saveState = 'saving';
      try {
        await saveAlbum(this.db, this.projectId, album);
        this.saveState = this.saveTimer ? 'pending' : 'saved';
        this.saveError = '';
      } catch (e) {
        this.saveState = 'error';
        this.saveError = errorMessage(e);
      }
    });
    return this.saving;
  }

  /** Imports files, each into a new track at the end of the album. */
  async importFiles(files: File[]): Promise<void> {
    const jobs = files.map((f) => ({ id: ++jobIds, name: f.name, fraction: 0 }));
    this.imports = [...this.imports, ...jobs];
    for (const [i, file] of files.entries()) {
      const job = jobs[i];
      try {
        const asset = await importAudioFile(file, this.projectId, this.db.name, (fraction) => this.updateJob(job.id, { fraction }));
        this.assets = new Map(this.assets).set(asset.id, asset);
        await this.fetchPeaks(asset.id);
        const rate = this.album.rateHz;
        const title = file.name.replace(/\.[^.]+$/, '').replace(/^\d+[\s._-]+/, '') || file.name;
        const track = createTrack(rate, {
          title,
          clips: [createClip({ assetId: asset.id, lengthSamples: assetLengthAtRate(asset, rate) })]
        });
        this.edit((a) => addTrack(a, track));
        this.imports = this.imports.filter((j) => j.id !== job.id);
      } catch (e) {
        // The job already names the file; the message says what is wrong with it.
        this.updateJob(job.id, { error: isLatheError(e) ? e.detail : errorMessage(e) });
      }
    }
    // Checks run after import: measure what is new.
    void this.analyze();
  }

  /**
   * Measures every file and track in the analysis worker; results are kept in IndexedDB, so only
   * what changed is measured again. A newer request supersedes an older one.
   */
  async analyze(): Promise<void> {
    clearTimeout(this.analysisTimer);
    const run = ++this.analysisRun;
    const album = this.history.present;
    await this.flush();
    this.analyzing = true;
    this.analysisError = '';
    try {
      // The master is measured as delivered: chains only the browser can run are rendered first
      // (the same cached renders playback and the export use).
      const onStatus = (label: string) => {
        if (run === this.analysisRun) this.analysisProgress = { fraction: 0, label };
      };
      const baked = await bakeBrowserChains(this.db, this.projectId, onStatus);
      if (run !== this.analysisRun) return;
      const masterAlbum = baked ?? album;
      const premasteredAssetId = needsBrowserHost(masterAlbum.masterChain) && masterAlbum.tracks.length ? await bakeCdMaster(this.db, this.projectId, masterAlbum, onStatus) : undefined;
      if (run !== this.analysisRun) return;
      const result = await analyzeInWorker(
        this.db.name,
        this.projectId,
        (fraction, label) => {
          if (run === this.analysisRun) this.analysisProgress = { fraction, label };
        },
        { ...(baked ? { album: baked } : {}), ...(premasteredAssetId ? { premasteredAssetId } : {}) }
      );
      if (run === this.analysisRun) {
        this.analysis = result;
        this.analyzed = album;
        this.applyMonitor();
        this.listening.updateMatch();
      }
    } catch (e) {
      if (run === this.analysisRun) this.analysisError = errorMessage(e);
    } finally {
      if (run === this.analysisRun) this.analyzing = false;
    }
  }

  /** Each clip's own loudness, under the clip as it was measured (a changed clip is measured again). */
  private clipMeasures = $state.raw<Map<string, { clip: Clip; result: ClipLoudness | { error: string } }>>(new Map());
  private clipRequests = new Map<string, Clip>();

  /** The loudness of a clip on its own, if it is measured for the clip as it is now. */
  clipLoudness(clipId: string): ClipLoudness | { error: string } | undefined {
    const m = this.clipMeasures.get(clipId);
    const clip = this.findClip(clipId);
    return m && clip && sameSound(m.clip, clip) ? m.result : undefined;
  }

  /** Measures a clip on its own in the analysis worker (on hover or selection); kept, so cheap. */
  async measureClip(clipId: string): Promise<void> {
    const clip = this.findClip(clipId);
    if (!clip || this.clipLoudness(clipId) || this.clipRequests.get(clipId) === clip) return;
    this.clipRequests.set(clipId, clip);
    await this.flush();
    let result: ClipLoudness | { error: string };
    try {
      result = await analyzeClipInWorker(this.db.name, this.projectId, clipId);
    } catch (e) {
      result = { error: errorMessage(e) };
    }
    if (this.clipRequests.get(clipId) === clip) this.clipRequests.delete(clipId);
    this.clipMeasures = new Map(this.clipMeasures).set(clipId, { clip, result });
  }

  private findClip(clipId: string): Clip | undefined {
    for (const t of this.history.present.tracks) for (const c of t.clips) if (c.id === clipId) return c;
    return undefined;
  }

  /** Playback as a streaming platform would play it: '' plays the master as delivered. */
  monitorPlatform = $state<PlatformId | ''>('');
  /** Album playback (one gain for the album) on platforms that have it; else track by track. */
  monitorAlbumPlayback = $state(true);

  /** Each platform's normalization of the master as delivered, or of the mix until the master is measured. */
  get platformPreviews(): { basis: 'master' | 'mix'; previews: AlbumPreview[] } | null {
    const a = this.analysis;
    if (!a || a.tracks.length === 0) return null;
    if (a.master && a.tracks.every((t) => t.master)) return { basis: 'master', previews: previewPlatforms(a.tracks.map((t) => t.master!), a.master) };
    if (a.tracks.some((t) => !t.analysis)) return null;
    return { basis: 'mix', previews: previewPlatforms(a.tracks.map((t) => t.analysis!), a.album) };
  }

  /** How an immersive album is heard, whether each fold-down is loudness-matched to the immersive mix, and the last checks. */
  spatialMonitor = $state<SpatialMonitor>('LoRo');
  spatialMatch = $state(false);
  spatialReport = $state.raw<SpatialReport | null>(null);
  spatialMonitorError = $state('');
  /** Windows of this playback that reached the device late (heard as gaps). */
  dropouts = $state(0);

  async setSpatialMonitor(mode: SpatialMonitor, match = this.spatialMatch): Promise<void> {
    try {
      await this.player.setSpatialMonitor(mode);
      this.spatialMonitor = mode;
      this.spatialMonitorError = '';
    } catch (e) {
      this.spatialMonitorError = errorMessage(e);
    }
    this.spatialMatch = match;
    this.applyMonitor();
    this.syncMeterChannels();
  }

  /** The channels the live meters show: those of what is monitored (L R, or a layout's). */
  meterChannels = $state<string[]>(['L', 'R']);

  private syncMeterChannels(): void {
    const { labels, weights } = this.player.monitoredChannels();
    if (labels.join() === this.meterChannels.join()) return;
    this.meters?.setChannels(weights);
    this.meterChannels = labels;
  }

  /** Per track, the gain that brings the monitored fold-down to the immersive mix's loudness (from the last checks). */
  private spatialGains(): number[] | null {
    const r = this.spatialReport;
    if (!this.album.immersive || !this.spatialMatch || !r || this.spatialMonitor === 'speakers' || this.spatialMonitor === 'binaural') return null;
    return this.album.tracks.map((_, i) => {
      const delta = r.tracks[i]?.foldDowns.find((f) => f.id === this.spatialMonitor)?.deltaLu;
      return delta === null || delta === undefined ? 0 : -delta;
    });
  }

  setMonitor(platformId: PlatformId | '', albumPlayback = this.monitorAlbumPlayback): void {
    this.monitorPlatform = platformId;
    this.monitorAlbumPlayback = albumPlayback;
    this.applyMonitor();
  }

  /** The monitor's gains along the album for the chosen platform; none as delivered. */
  get monitorSteps(): GainStep[] {
    const preview = this.monitorPlatform ? this.platformPreviews?.previews.find((p) => p.platform.id === this.monitorPlatform) : undefined;
    const starts = this.layout.tracks.map((t) => t.index01Samples);
    const steps = preview ? monitorSteps(preview, this.monitorAlbumPlayback, starts) : [];
    const spatial = this.spatialGains();
    if (!spatial) return steps;
    // The platform's gain and the fold-down's match add, track by track.
    return starts.map((at, i) => ({ fromSamples: i === 0 ? 0 : at, gainDb: (steps.length ? steps[Math.min(i, steps.length - 1)].gainDb : 0) + spatial[i] }));
  }

  /** The monitor gain where the playhead is, in dB. */
  get monitorGainDb(): number {
    let db = 0;
    for (const s of this.monitorSteps) if (s.fromSamples <= this.playhead) db = s.gainDb;
    return db;
  }

  /** The platform's gains go to the player's monitor; nothing is rendered. */
  private applyMonitor(): void {
    this.player.setMonitorGains(this.monitorSteps);
  }

  /** True when the album changed since the shown analysis was made. */
  get analysisStale(): boolean {
    return !this.analysis || this.analyzed !== this.history.present;
  }

  private updateJob(id: number, patch: Partial<ImportJob>): void {
    this.imports = this.imports.map((j) => (j.id === id ? { ...j, ...patch } : j));
  }

  dismissImport(id: number): void {
    this.imports = this.imports.filter((j) => j.id !== id);
  }

  async exportArchive(): Promise<Blob> {
    await this.flush();
    return exportArchive(this.db, this.album, [...this.assets.values()]);
  }

  /** Meters hang off the player's output; they start with the first play (the audio context needs a gesture). */
  private async ensureMeters(): Promise<void> {
    if (this.meters) return;
    const ctx = this.player.context();
    this.meters = await LiveMeters.attach(ctx, this.player.output());
    this.meters.onReading = (r) => (this.meterReading = r);
    this.analyser = this.meters.analyser;
    this.meterChannels = ['L', 'R'];
  }

  async play(from = this.playhead): Promise<void> {
    const start = from >= this.layout.totalSamples ? 0 : from;
    await this.ensureMeters();
    await this.listening.ensureProbes();
    this.meters?.reset();
    this.listening.restartSpan();
    this.player.lateWindows = 0;
    await this.player.play(start);
    this.syncMeterChannels();
    this.playing = true;
    const tick = () => {
      this.playhead = this.player.position();
      this.dropouts = this.player.lateWindows;
      this.listening.tick();
      if (this.loop) {
        const [loopStart, loopEnd] = this.loopSpan();
        if (this.playhead >= loopEnd || this.playhead < loopStart - this.album.rateHz) {
          this.player.seek(loopStart);
          this.playhead = loopStart;
        }
      }
      if (this.player.playing) this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  private loopSpan(): [number, number] {
    const sel = placeClips(this.album, this.layout).filter((p) => this.selectedClipIds.includes(p.clip.id));
    if (!sel.length) return [0, this.layout.totalSamples];
    return [Math.min(...sel.map((p) => p.startSamples)), Math.max(...sel.map((p) => p.endSamples))];
  }

  stop(): void {
    this.player.stop();
    cancelAnimationFrame(this.raf);
    this.playing = false;
    this.playhead = this.player.position();
  }

  toggle(): void {
    if (this.playing) this.stop();
    else void this.play();
  }

  seek(samples: number): void {
    const at = Math.max(0, Math.min(this.layout.totalSamples, Math.round(samples)));
    this.playhead = at;
    this.player.seek(at);
  }

  async close(): Promise<void> {
    clearTimeout(this.analysisTimer);
    this.stop();
    this.meters?.detach();
    await this.flush();
  }
}

/** Two versions of a clip that sound the same on their own (place, mute and chain aside). */
function sameSound(a: Clip, b: Clip): boolean {
  return a === b || (a.assetId === b.assetId && a.sourceOffsetSamples === b.sourceOffsetSamples && a.lengthSamples === b.lengthSamples && a.gainDb === b.gainDb &&
    a.fadeInSamples === b.fadeInSamples && a.fadeOutSamples === b.fadeOutSamples && a.fadeInCurve === b.fadeInCurve && a.fadeOutCurve === b.fadeOutCurve);
}
