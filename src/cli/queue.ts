/**
 * `lathe queue` and `lathe worker`: render and delivery-QC jobs on a BullMQ queue in Redis, run
 * by any number of workers. BullMQ keeps each job with one worker at a time (a lock the worker
 * renews) and hands a dead worker's job to another (stalled-job recovery); the job's identity is
 * its jobId, so the same job added twice is one job.
 */
import { Queue, Worker, UnrecoverableError, type ConnectionOptions, type Job } from 'bullmq';
import { rename, writeFile } from 'node:fs/promises';
import { errorMessage, LatheError } from '../lib/core/errors';
import { parseCommand, UsageError } from './args';
import { isJobsOwnFault, jobId, jobSpec, LATHE_VERSION, runJob, type JobKind, type JobSpec, type JobSummary } from './queue/jobs';
import { table } from './table';

export const QUEUE_HELP = `lathe queue add <album.json>... --variant V[,V...] --out DIR [--shaping S] [--seed N] [--json]
lathe queue add --verify-ddp DIR... --out DIR | --analyze FILE|album.json... --out DIR [--platforms]
lathe queue status [--json] | wait [JOB...] | report --out FILE.html

add queues one job per input: a render (as lathe render), a DDP read back and checked (as lathe
ddp verify) or a measurement (as lathe analyze --json). Paths are on storage every worker sees.
Each job writes DIR/<name>/ (name: the album's folder for .../NAME/album.json, else the file's
name) with report.json and job.json, renamed into place only when complete. A job's id is the
SHA-256 of its inputs (album.json and its sources' hashes, or the files), its options, its output
and Lathe's version: a job already queued or done is not added again.
status lists the jobs with state and progress; wait blocks until the named jobs (all, by default)
end and exits 1 if one failed or failed its checks, saying why; report writes a summary of the
batch as HTML. REDIS_URL (default redis://127.0.0.1:6379) says where the queue is.`;

export const WORKER_HELP = `lathe worker [--concurrency N]

Takes jobs from the queue at REDIS_URL (default redis://127.0.0.1:6379) and runs them, N at a time
(default 1), reporting progress. A job that fails for its own reason (a bad album.json, a missing
source) fails once; one that fails for the machine's (killed, out of disk) is retried, up to 3
attempts. SIGTERM or SIGINT: the worker finishes what it holds and exits; a second one hands it
back at once. LATHE_QUEUE_LOCK_MS (default 30000) is how long a silent worker keeps a job before
another takes it.`;

const QUEUE = 'lathe';
const ATTEMPTS = 3;

export function redisConnection(url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', forWorker = false): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`REDIS_URL "${url}" is not a URL (redis://host:port)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UsageError(`REDIS_URL "${url}" must begin with redis:// or rediss://`);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: Number(u.pathname.slice(1) || 0),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // A worker waits for Redis as long as it takes; a command line says so after a few tries.
    maxRetriesPerRequest: forWorker ? null : 1,
    retryStrategy: (times: number) => (forWorker ? Math.min(2000, 100 * times) : times > 8 ? null : 250)
  };
}

const where = () => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function withQueue<T>(f: (q: Queue) => Promise<T>): Promise<T> {
  const q = new Queue(QUEUE, { connection: redisConnection() });
  q.on('error', () => {});
  try {
    return await f(q);
  } catch (e) {
    if (e instanceof LatheError || e instanceof UsageError) throw e;
    throw new LatheError('failed', `the queue at ${where()} cannot be reached or refused the request: ${errorMessage(e)}`);
  } finally {
    await q.close().catch(() => {});
  }
}

export async function queueCommand(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    variant: { type: 'string' }, out: { type: 'string' }, shaping: { type: 'string' }, seed: { type: 'string' },
    'verify-ddp': { type: 'boolean' }, analyze: { type: 'boolean' }, platforms: { type: 'boolean' }, json: { type: 'boolean' }
  });
  const [sub, ...rest] = positionals;
  if (sub === 'add') return add(rest, values, out);
  if (sub === 'status') return status(Boolean(values.json), out);
  if (sub === 'wait') return wait(rest, out);
  if (sub === 'report') {
    if (!values.out) throw new UsageError('report needs --out FILE.html');
    return report(values.out, out);
  }
  out(QUEUE_HELP);
  return 64;
}

async function add(inputs: string[], v: Record<string, string | boolean | undefined>, out: (s: string) => void): Promise<number> {
  if (!inputs.length || typeof v.out !== 'string') throw new UsageError('add needs inputs and --out DIR');
  if (v['verify-ddp'] && v.analyze) throw new UsageError('--verify-ddp and --analyze are different jobs: queue them apart');
  const kind: JobKind = v['verify-ddp'] ? 'verify-ddp' : v.analyze ? 'analyze' : 'render';
  if (kind !== 'render' && (v.variant || v.shaping || v.seed)) throw new UsageError('--variant, --shaping and --seed belong to render jobs');
  if (kind !== 'analyze' && v.platforms) throw new UsageError('--platforms belongs to --analyze jobs');
  const seed = v.seed === undefined ? undefined : Number(v.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, not "${v.seed}"`);
  const options = kind === 'render' ? { variant: (v.variant as string) ?? 'cd', ...(v.shaping ? { shaping: v.shaping as string } : {}), ...(seed !== undefined ? { seed } : {}) } : kind === 'analyze' && v.platforms ? { platforms: true } : {};
  const specs = inputs.map((i) => jobSpec(kind, i, v.out as string, options));
  const seen = new Map<string, string>();
  for (const s of specs) {
    if (seen.has(s.out)) throw new UsageError(`${seen.get(s.out)} and ${s.input} would both write ${s.out}`);
    seen.set(s.out, s.input);
  }
  // Every input is read and hashed before anything is queued: a missing file queues nothing.
  const ids = await Promise.all(specs.map((s) => jobId(s)));
  const rows = await withQueue(async (q) => {
    const added: { id: string; kind: JobKind; input: string; out: string; state: string }[] = [];
    for (let k = 0; k < specs.length; k++) {
      const spec = specs[k];
      const before = await q.getJob(ids[k]);
      let state = before ? await before.getState() : 'added';
      if (!before) await q.add(kind, spec, { jobId: ids[k], attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 1000 } });
      else if (state === 'failed') {
        await before.retry('failed');
        state = 'retried';
      }
      added.push({ id: ids[k], kind, input: spec.input, out: spec.out, state });
    }
    return added;
  });
  if (v.json) out(JSON.stringify(rows, null, 2));
  else for (const r of rows) out(`${r.id.slice(0, 12)}  ${r.state === 'added' ? 'queued' : r.state === 'retried' ? 'queued again (it had failed)' : `already ${r.state}`}  ${r.kind} ${r.input} -> ${r.out}`);
  return 0;
}

interface Listed {
  id: string;
  kind: JobKind;
  name: string;
  input: string;
  out: string;
  state: string;
  progress: number;
  attempts: number;
  failedReason: string | null;
  result: JobSummary | null;
}

async function list(q: Queue): Promise<Listed[]> {
  const jobs = (await q.getJobs(['active', 'waiting', 'delayed', 'prioritized', 'completed', 'failed'], 0, -1, true)).filter(Boolean) as Job<JobSpec, JobSummary>[];
  return Promise.all(
    jobs.map(async (j) => ({
      id: j.id as string,
      kind: j.data.kind,
      name: j.data.out.split('/').pop() ?? '',
      input: j.data.input,
      out: j.data.out,
      state: await j.getState(),
      progress: typeof j.progress === 'number' ? j.progress : 0,
      attempts: j.attemptsMade,
      failedReason: j.failedReason || null,
      result: j.returnvalue ?? null
    }))
  );
}

async function status(json: boolean, out: (s: string) => void): Promise<number> {
  const jobs = await withQueue(list);
  if (json) {
    out(JSON.stringify(jobs, null, 2));
    return 0;
  }
  if (!jobs.length) {
    out(`No jobs in the queue at ${where()}.`);
    return 0;
  }
  out(table(['Job', 'Kind', 'Name', 'State', 'Progress', 'Tries', 'Note'], jobs.map((j) => [j.id.slice(0, 12), j.kind, j.name, j.state, `${Math.round(j.progress)} %`, String(j.attempts), j.failedReason ?? (j.result && !j.result.ok ? 'checks failed' : '')]), ['left', 'left', 'left', 'left', 'right', 'right', 'left']));
  const count = (s: string) => jobs.filter((j) => j.state === s).length;
  out(`${jobs.length} jobs: ${count('waiting') + count('delayed') + count('prioritized')} waiting, ${count('active')} active, ${count('completed')} done, ${count('failed')} failed`);
  return 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits out Redis restarts: a minute without an answer ends the wait with an error. */
async function wait(ids: string[], out: (s: string) => void): Promise<number> {
  let lastOk = Date.now();
  for (;;) {
    let jobs: Listed[] | undefined;
    try {
      jobs = await withQueue(list);
      lastOk = Date.now();
    } catch (e) {
      if (Date.now() - lastOk > 60_000) throw e;
    }
    if (jobs) {
      const named = ids.length ? ids.map((id) => {
        const hit = jobs.filter((j) => j.id.startsWith(id));
        if (hit.length !== 1) throw new UsageError(hit.length ? `${id} names ${hit.length} jobs; give more of its id` : `no job ${id} in the queue at ${where()}`);
        return hit[0];
      }) : jobs;
      if (named.every((j) => j.state === 'completed' || j.state === 'failed')) {
        let bad = 0;
        for (const j of named) {
          if (j.state === 'failed') {
            bad++;
            out(`FAILED  ${j.id.slice(0, 12)} ${j.kind} ${j.input}: ${j.failedReason}`);
          } else if (j.result && !j.result.ok) {
            bad++;
            out(`CHECKS  ${j.id.slice(0, 12)} ${j.kind} ${j.input}: ${j.result.problems.filter((p) => p.startsWith('error')).join('; ')}`);
          }
        }
        out(`${named.length - bad} of ${named.length} jobs done${bad ? `, ${bad} failed` : ''}.`);
        return bad ? 1 : 0;
      }
    }
    await sleep(500);
  }
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const fig = (x: number | null, unit: string) => (x === null ? '–' : `${x.toFixed(1)}&nbsp;${unit}`);

async function report(file: string, out: (s: string) => void): Promise<number> {
  const jobs = await withQueue(list);
  const rows = jobs.map((j) => {
    const r = j.result;
    const figures = r?.figures.map((f) => `<tr><td>${esc(f.label)}</td><td class="n">${fig(f.integratedLufs, 'LUFS')}</td><td class="n">${fig(f.truePeakDbtp, 'dBTP')}</td></tr>`).join('') ?? '';
    const notes = j.state === 'failed' ? `<li class="err">${esc(j.failedReason ?? 'failed')}</li>` : (r?.problems ?? []).map((p) => `<li class="${p.startsWith('error') ? 'err' : 'warn'}">${esc(p)}</li>`).join('');
    const verdict = j.state === 'failed' ? 'failed' : j.state !== 'completed' ? j.state : r?.ok ? 'ok' : 'checks failed';
    return `<tr><td>${esc(j.name)}</td><td>${esc(j.kind)}</td><td class="${verdict === 'ok' ? 'ok' : verdict === 'failed' || verdict === 'checks failed' ? 'err' : ''}">${esc(verdict)}</td><td>${esc(r?.variants.join(', ') ?? '')}</td><td><table>${figures}</table></td><td><ul>${notes || (j.state === 'completed' ? '<li>no problems</li>' : '')}</ul></td><td>${j.state === 'completed' ? `<a href="${esc(encodeURI(`file://${j.out}/report.json`))}">report.json</a>` : ''}</td></tr>`;
  });
  const count = (s: string) => jobs.filter((j) => j.state === s).length;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lathe batch report</title><style>
body{font:13px system-ui,sans-serif;background:#16181b;color:#d8dade;margin:24px}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #2c3036;vertical-align:top;text-align:left}
td table td{border:0;padding:0 8px 0 0}.n{text-align:right;font-variant-numeric:tabular-nums}.ok{color:#7fc98f}.err{color:#f08a7e}.warn{color:#e6c36a}ul{margin:0;padding-left:16px}</style></head><body>
<h1>Lathe batch report</h1><p>${jobs.length} jobs in the queue at ${esc(where())}: ${count('completed')} done, ${count('failed')} failed, ${jobs.length - count('completed') - count('failed')} not finished. Lathe ${esc(LATHE_VERSION)}, ${new Date().toISOString()}.</p>
<table><thead><tr><th>Name</th><th>Job</th><th>Result</th><th>Variants</th><th>Loudness, true peak</th><th>Checks and failures</th><th>Report</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></body></html>\n`;
  const temp = `${file}.partial-${process.pid}`;
  await writeFile(temp, html);
  await rename(temp, file);
  out(`Wrote ${file}: ${jobs.length} jobs`);
  return 0;
}

export async function workerCommand(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseCommand(args, { concurrency: { type: 'string' } });
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const concurrency = Number(values.concurrency ?? 1);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a whole number of 1 or more, not "${values.concurrency}"`);
  const lockMs = Number(process.env.LATHE_QUEUE_LOCK_MS ?? 30_000);
  if (!Number.isFinite(lockMs) || lockMs < 500) throw new UsageError(`LATHE_QUEUE_LOCK_MS must be 500 or more, not "${process.env.LATHE_QUEUE_LOCK_MS}"`);
  const worker = new Worker<JobSpec, JobSummary>(
    QUEUE,
    async (job) => {
      out(`start ${job.id} ${job.data.kind} ${job.data.input} (attempt ${job.attemptsMade + 1})`);
      let last = -1;
      try {
        return await runJob(job.data, {
          id: job.id as string,
          log: () => {},
          onProgress: (f) => {
            const pct = Math.floor(f * 100);
            if (pct === last) return;
            last = pct;
            job.updateProgress(pct).catch(() => {});
          }
        });
      } catch (e) {
        if (isJobsOwnFault(e)) throw new UnrecoverableError(errorMessage(e));
        throw e;
      }
    },
    { connection: redisConnection(undefined, true), concurrency, lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 2 }
  );
  worker.on('completed', (job, r) => out(`done ${job.id} ${job.data.kind} ${job.data.input}${r.reused ? ' (result already there)' : ''}`));
  worker.on('failed', (job, e) => out(`failed ${job?.id} ${job?.data.kind} ${job?.data.input}: ${e.message}`));
  let lastError = '';
  worker.on('error', (e) => {
    if (e.message !== lastError) out(`queue: ${e.message}`);
    lastError = e.message;
  });
  worker.on('ready', () => (lastError = ''));
  out(`worker ${process.pid} on ${where()}, ${concurrency} at a time`);
  await new Promise<void>((resolve) => {
    let closing = false;
    const stop = () => {
      if (closing) {
        void worker.close(true).then(resolve);
        return;
      }
      closing = true;
      out('stopping: finishing the jobs held');
      void worker.close().then(resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  out('worker stopped');
  return 0;
}
