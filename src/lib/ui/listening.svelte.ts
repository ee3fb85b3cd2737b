/**
 * The listening tools of an open project: the shelf of reference tracks, the A/B switch (album
 * against a reference, or against itself without the master or a track chain), loudness-matched,
 * and the playback simulations. Everything here is heard on the monitor only; nothing is rendered.
 */
import type { Album, Asset } from '$lib/core/album/model';
import type { AlbumLayout } from '$lib/core/album/timeline';
import { errorMessage, isLatheError } from '$lib/core/errors';
import { matchOffsetDb } from '$lib/core/listening/reference';
import { SIMULATIONS, simulation, simulationFir } from '$lib/core/dsp/translation';
import type { LatheDb, ReferenceTrack } from '$lib/web/store/db';
import type { AnalysisSummary, ProjectAnalysis } from '$lib/web/store/analysis';
import { addReference, listReferences, removeReference, setReferenceLoop } from '$lib/web/store/references';
import { importAudioFile } from '$lib/web/files/import';
import { analyzeReferenceInWorker } from '$lib/web/analysis-client';
import { LoudnessProbe } from '$lib/web/audio/meters';
import type { AlbumPlayer, CompareSetup } from '$lib/web/audio/player';

export type CompareKind = 'reference' | 'master-bypass' | 'track-bypass';
export type MatchBy = 'integrated' | 'span';

export interface ListeningHost {
  readonly db: LatheDb;
  readonly projectId: string;
  readonly player: AlbumPlayer;
  readonly album: Album;
  readonly layout: AlbumLayout;
  readonly playhead: number;
  readonly analysis: ProjectAnalysis | null;
}

export interface ReferenceImport {
  name: string;
  fraction: number;
  error?: string;
}

/** How the offset was found, for the person to see. */
export interface MatchNote {
  offsetDb: number | null;
  basis: string;
}

export class Listening {
  references = $state.raw<ReferenceTrack[]>([]);
  refAssets = $state.raw<Map<string, Asset>>(new Map());
  refAnalyses = $state.raw<Map<string, AnalysisSummary | { error: string }>>(new Map());
  imports = $state<ReferenceImport[]>([]);
  selectedRefId = $state<string | null>(null);
  kind = $state<CompareKind>('reference');
  matchBy = $state<MatchBy>('integrated');
  side = $state<'A' | 'B'>('A');
  simulationId = $state('');
  match = $state.raw<MatchNote>({ offsetDb: null, basis: '' });
  error = $state('');
  private probes: { a: LoudnessProbe; b: LoudnessProbe } | null = null;

  constructor(private readonly host: ListeningHost) {}

  /** Reads the shelf; the reference assets are kept apart from the album's. */
  async load(assets: Asset[]): Promise<Set<string>> {
    this.references = await listReferences(this.host.db, this.host.projectId);
    const ids = new Set(this.references.map((r) => r.assetId));
    this.refAssets = new Map(assets.filter((a) => ids.has(a.id)).map((a) => [a.id, a]));
    this.selectedRefId = this.references[0]?.id ?? null;
    this.arm();
    for (const r of this.references) void this.measure(r);
    return ids;
  }

  get selected(): ReferenceTrack | null {
    return this.references.find((r) => r.id === this.selectedRefId) ?? null;
  }

  async measure(ref: ReferenceTrack): Promise<void> {
    try {
      const a = await analyzeReferenceInWorker(this.host.db.name, this.host.projectId, ref.id, () => {});
      this.refAnalyses = new Map(this.refAnalyses).set(ref.id, a);
    } catch (e) {
      this.refAnalyses = new Map(this.refAnalyses).set(ref.id, { error: errorMessage(e) });
    }
    this.updateMatch();
  }

  /** Imports files onto the shelf (WAV, AIFF, FLAC, MP3, as the album imports them) and measures them. */
  async addFiles(files: File[]): Promise<void> {
    for (const file of files) {
      const job: ReferenceImport = { name: file.name, fraction: 0 };
      this.imports = [...this.imports, job];
      const update = (patch: Partial<ReferenceImport>) => (this.imports = this.imports.map((j) => (j.name === job.name ? { ...j, ...patch } : j)));
      try {
        const asset = await importAudioFile(file, this.host.projectId, this.host.db.name, (fraction) => update({ fraction }));
        const ref = await addReference(this.host.db, this.host.projectId, asset);
        this.refAssets = new Map(this.refAssets).set(asset.id, asset);
        this.references = [...this.references, ref];
        this.imports = this.imports.filter((j) => j.name !== job.name);
        if (!this.selectedRefId) this.select(ref.id);
        await this.measure(ref);
      } catch (e) {
        update({ error: isLatheError(e) ? e.detail : errorMessage(e) });
      }
    }
  }

  dismissImport(name: string): void {
    this.imports = this.imports.filter((j) => j.name !== name);
  }

  async remove(refId: string): Promise<void> {
    this.references = await removeReference(this.host.db, this.host.projectId, refId);
    if (this.selectedRefId === refId) this.select(this.references[0]?.id ?? null);
  }

  async setLoop(refId: string, loop: ReferenceTrack['loop']): Promise<void> {
    const ref = this.references.find((r) => r.id === refId);
    const asset = ref && this.refAssets.get(ref.assetId);
    if (!ref || !asset) return;
    try {
      this.references = await setReferenceLoop(this.host.db, this.host.projectId, refId, loop, asset.frames / asset.rateHz);
      this.error = '';
      if (refId === this.selectedRefId) this.arm();
    } catch (e) {
      this.error = isLatheError(e) ? e.detail : errorMessage(e);
    }
  }

  select(refId: string | null): void {
    this.selectedRefId = refId;
    if (this.kind === 'reference') this.arm();
  }

  setKind(kind: CompareKind): void {
    this.kind = kind;
    this.arm();
  }

  setMatchBy(by: MatchBy): void {
    this.matchBy = by;
    this.probes?.a.reset();
    this.probes?.b.reset();
    this.updateMatch();
  }

  /** The track the playhead is in (its INDEX 01 passed), for the match and a track bypass. */
  get playingTrackIndex(): number {
    const t = this.host.layout.tracks;
    let i = 0;
    while (i + 1 < t.length && t[i + 1].index01Samples <= this.host.playhead) i++;
    return t.length ? i : -1;
  }

  /** What the B side is, in words: for the transport and the switch. */
  get bLabel(): string {
    if (this.kind === 'master-bypass') return 'without the master chain';
    if (this.kind === 'track-bypass') {
      const t = this.host.album.tracks[this.playingTrackIndex];
      return t ? `track ${this.playingTrackIndex + 1} without its chain` : 'a track without its chain';
    }
    return this.selected ? this.selected.name : 'no reference';
  }

  /** Why the B side cannot play now, or '' when it can. */
  get unavailable(): string {
    const album = this.host.album;
    if (this.kind === 'reference') return this.selected && this.refAssets.has(this.selected.assetId) ? '' : 'Add a reference track first.';
    if (album.immersive) return 'A chain bypass is not offered for an immersive album.';
    if (this.kind === 'master-bypass') return album.masterChain.some((s) => !s.bypass) ? '' : 'The master chain is empty: there is nothing to bypass.';
    const t = album.tracks[this.playingTrackIndex];
    return t && t.chain.some((s) => !s.bypass) ? '' : 'The playing track has no chain to bypass.';
  }

  private setup(): CompareSetup | null {
    if (this.unavailable) return null;
    if (this.kind === 'reference') {
      const ref = this.selected as ReferenceTrack;
      return { kind: 'reference', asset: this.refAssets.get(ref.assetId) as Asset, loop: ref.loop };
    }
    if (this.kind === 'master-bypass') return { kind: 'master-bypass' };
    return { kind: 'track-bypass', trackId: this.host.album.tracks[this.playingTrackIndex].id };
  }

  /** Gives the player what B is now; falls back to A when there is none. */
  arm(): void {
    try {
      this.host.player.setCompare(this.setup());
      this.error = '';
    } catch (e) {
      this.error = errorMessage(e);
      this.host.player.setCompare(null);
    }
    this.probes?.a.reset();
    this.probes?.b.reset();
    if (this.unavailable || this.error) this.side = 'A';
    this.updateMatch();
    void this.ensureProbes();
  }

  /** After an edit: arms or disarms B only when what it can be changed (a chain added or emptied). */
  albumChanged(): void {
    const armed = this.host.player.abState.compare;
    const want = this.setup();
    if ((armed === null) !== (want === null) || (armed?.kind === 'track-bypass' && want?.kind === 'track-bypass' && armed.trackId !== want.trackId)) this.arm();
    else this.updateMatch();
  }

  /** The A/B key: switches what is heard, if B can play. */
  toggle(): void {
    if (this.side === 'A' && !this.unavailable && this.host.player.abState.compare === null) this.arm();
    if (this.side === 'A' && (this.unavailable || this.error)) {
      this.error = this.error || this.unavailable;
      return;
    }
    this.side = this.side === 'A' ? 'B' : 'A';
    this.updateMatch();
  }

  private attaching = false;

  /** Measures both sides while B is armed, and only then: two meters less on the audio thread otherwise. */
  async ensureProbes(): Promise<void> {
    const armed = this.host.player.abState.compare !== null;
    if (!armed && this.probes) {
      this.probes.a.detach();
      this.probes.b.detach();
      this.probes = null;
    }
    if (!armed || this.probes || this.attaching || !this.host.player.hasContext) return;
    this.attaching = true;
    try {
      const ctx = this.host.player.context();
      this.probes = { a: await LoudnessProbe.attach(ctx, this.host.player.albumBus()), b: await LoudnessProbe.attach(ctx, this.host.player.compareBus()) };
    } finally {
      this.attaching = false;
    }
  }

  /** Play started afresh: the span being matched over starts with it. */
  restartSpan(): void {
    this.probes?.a.reset();
    this.probes?.b.reset();
  }

  /** The album's loudness for the playing track: the master as delivered when measured, else the mix. */
  private albumLufs(): { lufs: number | null; what: string } {
    const t = this.host.analysis?.tracks[this.playingTrackIndex];
    if (t?.master) return { lufs: t.master.integratedLufs, what: `track ${this.playingTrackIndex + 1} master` };
    return { lufs: t?.analysis?.integratedLufs ?? null, what: `track ${this.playingTrackIndex + 1} mix` };
  }

  private spanMatch(): MatchNote | null {
    const a = this.probes?.a.reading?.integratedLufs;
    const b = this.probes?.b.reading?.integratedLufs;
    const offsetDb = matchOffsetDb(a, b);
    if (offsetDb === null) return null;
    return { offsetDb, basis: `over the played span: album ${(a as number).toFixed(1)} LUFS, B ${(b as number).toFixed(1)} LUFS` };
  }

  /** The offset for B: integrated figures for a reference unless the span is asked for; the span for a bypass. */
  private computeMatch(): MatchNote {
    const span = this.spanMatch();
    if (this.kind !== 'reference') return span ?? { offsetDb: null, basis: 'matched over the played span once both sides have played 0.4 s' };
    if (this.matchBy === 'span') return span ?? { offsetDb: null, basis: 'matched over the played span once both sides have played 0.4 s' };
    const ref = this.selected;
    const m = ref ? this.refAnalyses.get(ref.id) : undefined;
    const album = this.albumLufs();
    const refLufs = m && 'integratedLufs' in m ? m.integratedLufs : null;
    const offsetDb = matchOffsetDb(album.lufs, refLufs);
    if (offsetDb === null) return { offsetDb: null, basis: !m ? 'measuring the reference' : album.lufs === null ? 'analyse the album to match' : 'the reference is silent' };
    return { offsetDb, basis: `integrated: ${album.what} ${(album.lufs as number).toFixed(1)} LUFS, reference ${(refLufs as number).toFixed(1)} LUFS` };
  }

  /** Keeps the match current as play moves on (a new track, a longer span) and gives the player the gains. */
  updateMatch(): void {
    const m = this.computeMatch();
    if (m.offsetDb !== this.match.offsetDb || m.basis !== this.match.basis) this.match = m;
    // Unmatched until both sides are measured: B plays at its own level, and the note says so.
    this.host.player.setAB(this.side, m.offsetDb ?? 0);
  }

  /** A track bypass follows the playing track; the match follows the span. Called as play moves. */
  tick(): void {
    if (this.kind === 'track-bypass') {
      const id = this.host.album.tracks[this.playingTrackIndex]?.id;
      const armed = this.host.player.abState.compare;
      if (id && armed?.kind === 'track-bypass' && armed.trackId !== id) this.arm();
    }
    const m = this.computeMatch();
    const last = this.match.offsetDb;
    if (m.offsetDb === null ? last !== null : last === null || Math.abs(m.offsetDb - last) >= 0.05 || m.basis !== this.match.basis) this.updateMatch();
  }

  readonly simulations = SIMULATIONS;

  get activeSimulation() {
    return this.simulationId ? simulation(this.simulationId) : null;
  }

  /** Monitors through a simulation ('' for none); designed for the context's rate. */
  setSimulation(id: string): void {
    this.simulationId = id;
    const sim = id ? simulation(id) : null;
    const rate = this.host.player.context().sampleRate;
    this.host.player.setSimulation(sim ? { mode: sim.mode, fir: simulationFir(sim, rate) } : null);
  }

  /** The simulation key: off, then each simulation in turn, then off. */
  cycleSimulation(): void {
    const ids = ['', ...SIMULATIONS.map((s) => s.id)];
    this.setSimulation(ids[(ids.indexOf(this.simulationId) + 1) % ids.length]);
  }
}
