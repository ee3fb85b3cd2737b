/**
 * The jobs of the queue: what each names (inputs by path on shared storage, options, output
 * folder), its identity (a SHA-256 of everything that decides its result), and how a worker runs
 * it with the same commands as `lathe render`, `lathe ddp verify` and `lathe analyze`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { hostname } from 'node:os';
import { LatheError } from '../../lib/core/errors';
import { loadAlbumFile } from '../album-file';
import { UsageError } from '../args';
import { render } from '../render';
import { ddp } from '../ddp';
import { analyze } from '../analyze';

export type JobKind = 'render' | 'verify-ddp' | 'analyze';

export interface JobOptions {
  variant?: string;
  shaping?: string;
  seed?: number;
  platforms?: boolean;
}

/** What a job is: the queue's data for it. Paths are absolute, on storage every worker sees. */
export interface JobSpec {
  kind: JobKind;
  input: string;
  options: JobOptions;
  /** The job's output folder: renamed into place only when complete. */
  out: string;
}

/** One measured figure of a job's result, for status and the batch report. */
export interface Figure {
  label: string;
  integratedLufs: number | null;
  truePeakDbtp: number | null;
}

/** What a finished job returns to the queue (and keeps in its job.json). */
export interface JobSummary {
  kind: JobKind;
  name: string;
  /** False when a check the job ran was not passed (a DDP with errors, a master with errors). */
  ok: boolean;
  figures: Figure[];
  /** Variants made, for a render. */
  variants: string[];
  /** Problems found and notes (variants not made, failed checks), one line each. */
  problems: string[];
  /** The run already existed with this identity: nothing was done again. */
  reused?: boolean;
}

export interface JobRecord {
  format: 'lathe-job';
  id: string;
  spec: JobSpec;
  lathe: string;
  summary: JobSummary;
  finishedIso: string;
  worker: string;
}

export const LATHE_VERSION: string = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')).version;

/** A job's name: an album's folder for `.../NAME/album.json`, else the file or folder name. */
export function jobName(input: string): string {
  const base = basename(input);
  if (/^album\.json$/i.test(base)) return basename(dirname(input));
  return base.replace(/\.(json|wav|wave|aif|aiff|bw64|rf64|flac)$/i, '') || base;
}

export function jobSpec(kind: JobKind, input: string, outDir: string, options: JobOptions): JobSpec {
  const abs = resolve(input);
  return { kind, input: abs, options, out: join(resolve(outDir), jobName(abs)) };
}

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  try {
    for await (const piece of createReadStream(path)) h.update(piece as Buffer);
  } catch {
    throw new LatheError('no-file', 'the file does not exist or cannot be read.', { file: path });
  }
  return h.digest('hex');
}

/** The hashes of what the job reads: album.json and its sources (and artwork), a fileset's files, or a file. */
async function inputHashes(spec: JobSpec): Promise<[string, string][]> {
  if (spec.kind === 'verify-ddp') {
    const s = await stat(spec.input).catch(() => null);
    if (!s?.isDirectory()) throw new LatheError('no-file', 'this is not a folder.', { file: spec.input });
    const names = (await readdir(spec.input)).sort();
    return Promise.all(names.map(async (n) => [n, await fileSha256(join(spec.input, n))] as [string, string]));
  }
  if (!/\.json$/i.test(spec.input)) return [[basename(spec.input), await fileSha256(spec.input)]];
  const loaded = await loadAlbumFile(spec.input);
  const hashes: [string, string][] = [['album.json', await fileSha256(spec.input)]];
  const dir = dirname(spec.input);
  for (const s of loaded.sources.values()) hashes.push([s.id, await fileSha256(s.path)]);
  if (loaded.album.artwork) hashes.push([loaded.album.artwork, await fileSha256(resolve(dir, loaded.album.artwork))]);
  return hashes;
}

/** The job's identity: the same inputs, options, output and Lathe give the same result, so the same id. */
export async function jobId(spec: JobSpec): Promise<string> {
  const inputs = await inputHashes(spec);
  return createHash('sha256').update(JSON.stringify({ lathe: LATHE_VERSION, kind: spec.kind, options: spec.options, out: spec.out, inputs })).digest('hex');
}

/** The record of the finished job in its folder, if there is one. */
export async function readRecord(folder: string): Promise<JobRecord | undefined> {
  try {
    const r = JSON.parse(await readFile(join(folder, 'job.json'), 'utf8'));
    return r?.format === 'lathe-job' ? (r as JobRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Errors of the job itself (its input, its options): retrying cannot help. */
export function isJobsOwnFault(e: unknown): boolean {
  if (e instanceof UsageError) return true;
  return e instanceof LatheError && !['no-space', 'read-failed', 'timeout', 'failed'].includes(e.code);
}

/** Removes what killed runs of this job left: folders named after it with `.partial-`. */
async function clearPartials(final: string): Promise<void> {
  const dir = dirname(final);
  const prefix = `${basename(final)}.partial-`;
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => rm(join(dir, n), { recursive: true, force: true })));
}

const problemLine = (p: { severity: string; message: string }) => `${p.severity}: ${p.message}`;

function renderSummary(spec: JobSpec, report: Record<string, unknown>): JobSummary {
  const figures: Figure[] = [];
  const problems: string[] = [];
  type Cd = { tracks: { integratedLufs: number | null; truePeakDbtp: number | null }[] };
  type Master = { rateHz: number; album: { integratedLufs: number | null; truePeakDbtp: number | null } };
  // A CD-only render writes the CD's report; a release writes one report with a part per variant.
  const cd = ('tracks' in report ? report : report.cd) as Cd | undefined;
  if (cd) {
    const tp = cd.tracks.map((t) => t.truePeakDbtp).filter((x): x is number => x !== null);
    const lufs = cd.tracks.map((t) => t.integratedLufs).filter((x): x is number => x !== null);
    figures.push({ label: 'cd (loudest track)', integratedLufs: lufs.length ? Math.max(...lufs) : null, truePeakDbtp: tp.length ? Math.max(...tp) : null });
  }
  for (const s of (report.streaming ?? []) as Master[]) figures.push({ label: `streaming ${s.rateHz / 1000} kHz`, ...s.album });
  const hires = report.hires as Master | undefined;
  if (hires) figures.push({ label: `hires ${hires.rateHz / 1000} kHz`, ...hires.album });
  const adm = report.adm as { integratedLkfs: number | null; truePeakDbtp: number | null; apple: { label: string; limit: string; ok: boolean }[] } | undefined;
  if (adm) {
    figures.push({ label: 'adm', integratedLufs: adm.integratedLkfs, truePeakDbtp: adm.truePeakDbtp });
    for (const a of adm.apple) if (!a.ok) problems.push(`warning: Apple Music ${a.label} not met (${a.limit})`);
  }
  const vinyl = report.vinyl as { sides: { letter: string; checks: { ok: boolean; label: string; value: unknown; unit?: string }[] }[] } | undefined;
  for (const side of vinyl?.sides ?? []) for (const c of side.checks) if (!c.ok) problems.push(`warning: vinyl side ${side.letter}: ${c.label} ${c.value}${c.unit ? ` ${c.unit}` : ''}`);
  for (const k of (report.skipped ?? []) as { variant: string; reason: string }[]) problems.push(`warning: ${k.variant} not made: ${k.reason}`);
  const variants = (spec.options.variant ?? 'cd').split(',').filter((v) => !((report.skipped ?? []) as { variant: string }[]).some((k) => k.variant === v));
  return { kind: spec.kind, name: jobName(spec.input), ok: true, figures, variants, problems };
}

export interface RunContext {
  id: string;
  onProgress(fraction: number): void;
  log(line: string): void;
}

/**
 * Runs a job into `${out}.partial-job-PID` and renames it to `out` with its job.json once
 * complete: a run killed at any point leaves no `out`, only a partial folder the next run clears.
 */
export async function runJob(spec: JobSpec, ctx: RunContext): Promise<JobSummary> {
  const final = spec.out;
  const done = await readRecord(final);
  if (done?.id === ctx.id) return { ...done.summary, reused: true };
  if (await stat(final).catch(() => null)) throw new LatheError('out-not-empty', `${final} already holds ${done ? 'the result of another job' : 'files'}; remove it or choose another --out.`);
  if ((await jobId(spec)) !== ctx.id) throw new LatheError('bad-value', `the inputs of this job changed after it was queued (${spec.input}); queue it again.`);
  await clearPartials(final);
  const stage = `${final}.partial-job-${process.pid}`;
  let summary: JobSummary;
  if (spec.kind === 'render') {
    const o = spec.options;
    const args = [spec.input, '--variant', o.variant ?? 'cd', '--out', stage, ...(o.shaping ? ['--shaping', o.shaping] : []), ...(o.seed !== undefined ? ['--seed', String(o.seed)] : [])];
    await render(args, ctx.log, { onProgress: ctx.onProgress });
    summary = renderSummary(spec, JSON.parse(await readFile(join(stage, 'report.json'), 'utf8')));
  } else {
    let json = '';
    const code = spec.kind === 'verify-ddp' ? await ddp(['verify', spec.input, '--json'], (s) => (json = s)) : await analyze([spec.input, '--json', ...(spec.options.platforms ? ['--platforms'] : [])], (s) => (json = s));
    const doc = JSON.parse(json);
    await rm(stage, { recursive: true, force: true });
    await mkdir(stage, { recursive: true });
    await writeFile(join(stage, 'report.json'), json);
    summary = spec.kind === 'verify-ddp' ? verifySummary(spec, doc, code) : analyzeSummary(spec, doc);
  }
  ctx.onProgress(1);
  const record: JobRecord = { format: 'lathe-job', id: ctx.id, spec, lathe: LATHE_VERSION, summary, finishedIso: new Date().toISOString(), worker: `${hostname()}:${process.pid}` };
  await writeFile(join(stage, 'job.json'), JSON.stringify(record, null, 2));
  try {
    await rename(stage, final);
  } catch (e) {
    // Another worker finished the same job first (this one was thought dead): its result stands.
    await rm(stage, { recursive: true, force: true });
    if ((await readRecord(final))?.id === ctx.id) return { ...summary, reused: true };
    throw e;
  }
  return summary;
}

function verifySummary(spec: JobSpec, doc: { fileset: { tracks: unknown[] }; problems: { severity: string; message: string }[]; checksums: { ok: boolean; name: string }[] }, code: number): JobSummary {
  const problems = [...doc.checksums.filter((c) => !c.ok).map((c) => `error: MD5 of ${c.name} does not match`), ...doc.problems.map(problemLine)];
  return { kind: spec.kind, name: jobName(spec.input), ok: code === 0, figures: [], variants: [], problems };
}

function analyzeSummary(spec: JobSpec, doc: { tracks: { file: string; integratedLufs: number | null; truePeakDbtp: number | null; checks: { severity: string; message: string }[] }[]; album: { integratedLufs: number | null; truePeakDbtp: number | null } }): JobSummary {
  const figures: Figure[] = doc.tracks.map((t) => ({ label: t.file, integratedLufs: t.integratedLufs, truePeakDbtp: t.truePeakDbtp }));
  if (doc.tracks.length > 1) figures.push({ label: 'album', ...doc.album });
  const problems = doc.tracks.flatMap((t) => t.checks.filter((c) => c.severity !== 'info').map((c) => `${c.severity}: ${t.file}: ${c.message}`));
  return { kind: spec.kind, name: jobName(spec.input), ok: !problems.some((p) => p.startsWith('error')), figures, variants: [], problems };
}
