import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../../src/lib/core/audio/wav';
import { gridNoise } from '../helpers/signals';
import { runLathe } from '../helpers/cli';

const hasRedis = spawnSync('redis-server', ['--version']).error === undefined;
if (!hasRedis) console.log('queue.test: redis-server is not installed; the queue tests are skipped (apt-get install redis-server)');

const R = 44_100;
const ALBUMS = 20;
const EPOCH = '1700000000';
let dir: string;
let redis: ChildProcess;
let url: string;
let redisPort: number;

/** Redis with its append-only file, so a restart keeps the queue. */
async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir], { stdio: 'ignore' });
  for (let k = 0; k < 100 && spawnSync('redis-cli', ['-p', String(redisPort), 'ping']).stdout?.toString().trim() !== 'PONG'; k++) await new Promise((r) => setTimeout(r, 100));
}
const workers: ChildProcess[] = [];
const logs: string[][] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

function startWorker(): ChildProcess {
  const w = spawn(process.execPath, ['bin/lathe.js', 'worker'], { env: { ...process.env, REDIS_URL: url, SOURCE_DATE_EPOCH: EPOCH, LATHE_QUEUE_LOCK_MS: '5000' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  w.stdout?.on('data', (b) => log.push(...String(b).split('\n').filter(Boolean)));
  w.stderr?.on('data', (b) => log.push(...String(b).split('\n').filter(Boolean)));
  workers.push(w);
  logs.push(log);
  return w;
}

async function lathe(...args: string[]) {
  const before = process.env.REDIS_URL;
  process.env.REDIS_URL = url;
  try {
    return await runLathe(...args);
  } finally {
    if (before === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = before;
  }
}

function files(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out.set(`${rel}${e.name}`, readFileSync(join(d, e.name)));
    }
  };
  walk(root, '');
  return out;
}

describe.skipIf(!hasRedis)('the job queue (BullMQ on a real Redis)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lathe-queue-'));
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redisPort = port;
    await startRedis();
    for (let a = 0; a < ALBUMS; a++) {
      const folder = join(dir, 'catalog', `ALB${String(a).padStart(3, '0')}`);
      mkdirSync(join(folder, 'audio'), { recursive: true });
      const n = Math.round((4.5 + a / 10) * R);
      writeFileSync(join(folder, 'audio', 'a.wav'), encodeWav([gridNoise(n, 14, a + 1), gridNoise(n, 14, a + 50)], { rateHz: R, encoding: 's16le' }));
      writeFileSync(join(folder, 'album.json'), JSON.stringify({ format: 'lathe-album', version: 1, title: `Album ${a}`, artist: 'Lathe', tracks: [{ title: 'One', clips: [{ source: 'audio/a.wav', gainDb: a % 3 === 0 ? -1.5 : 0 }] }] }));
    }
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'album.json'), '{ "format": "lathe-album", "version": 1, "tracks": [ { "clips": [ { "source": "audio/missing.wav" } ] } ] }');
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    redis?.kill('SIGKILL');
  });

  it('two workers render 20 albums, each byte-identical to a local lathe render; the same job added twice runs once; a bad album.json fails once with its message', async () => {
    const albums = Array.from({ length: ALBUMS }, (_, a) => join(dir, 'catalog', `ALB${String(a).padStart(3, '0')}`, 'album.json'));
    const added = await lathe('queue', 'add', ...albums, '--variant', 'cd', '--out', join(dir, 'out'), '--json');
    expect(added.err).toBe('');
    const ids = JSON.parse(added.out).map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ALBUMS);
    // Added again: the same ids, nothing new.
    const again = await lathe('queue', 'add', albums[0], albums[1], '--variant', 'cd', '--out', join(dir, 'out'), '--json');
    expect(JSON.parse(again.out).map((r: { id: string; state: string }) => [r.id, r.state === 'added'])).toEqual([[ids[0], false], [ids[1], false]]);
    const bad = await lathe('queue', 'add', join(dir, 'bad', 'album.json'), '--out', join(dir, 'out'));
    // The bad album names a missing source, found when it is hashed: nothing is queued.
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/missing\.wav/);

    startWorker();
    startWorker();
    const waited = await lathe('queue', 'wait');
    expect(waited.out).toMatch(new RegExp(`${ALBUMS} of ${ALBUMS} jobs done`));
    expect(waited.code).toBe(0);

    // Local renders of the same albums, with the same creation date.
    process.env.SOURCE_DATE_EPOCH = EPOCH;
    try {
      for (let a = 0; a < ALBUMS; a++) {
        const local = join(dir, 'local', `ALB${String(a).padStart(3, '0')}`);
        expect((await runLathe('render', albums[a], '--variant', 'cd', '--out', local)).code).toBe(0);
        const mine = files(local);
        const theirs = files(join(dir, 'out', `ALB${String(a).padStart(3, '0')}`));
        expect(theirs.has('job.json')).toBe(true);
        theirs.delete('job.json');
        expect([...theirs.keys()].sort()).toEqual([...mine.keys()].sort());
        for (const [name, bytes] of mine) expect(theirs.get(name)?.equals(bytes), name).toBe(true);
      }
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
    expect(readdirSync(join(dir, 'out')).filter((n) => n.includes('.partial'))).toEqual([]);
    // Every job started once, across both workers.
    const starts = logs.flat().filter((l) => l.startsWith('start '));
    expect(starts.length).toBe(ALBUMS);
    expect(new Set(starts.map((l) => l.split(' ')[1])).size).toBe(ALBUMS);
    expect(logs.every((l) => l.some((x) => x.startsWith('start ')))).toBe(true);

    // A job whose album.json is broken after it was queued fails once, with its message.
    const late = join(dir, 'catalog', 'LATE');
    mkdirSync(join(late, 'audio'), { recursive: true });
    writeFileSync(join(late, 'audio', 'a.wav'), encodeWav([gridNoise(5 * R, 14, 7), gridNoise(5 * R, 14, 8)], { rateHz: R, encoding: 's16le' }));
    writeFileSync(join(late, 'album.json'), JSON.stringify({ format: 'lathe-album', version: 1, tracks: [{ clips: [{ source: 'audio/a.wav' }] }] }));
    const lateAdd = await lathe('queue', 'add', join(late, 'album.json'), '--out', join(dir, 'out'), '--json');
    const lateId = JSON.parse(lateAdd.out)[0].id;
    writeFileSync(join(late, 'album.json'), '{ "format": "lathe-album", "version": 1, "tracks": [ { "clips": [ { "source": "audio/a.wav", "gainDb": "loud" } ] } ] }');
    const lateWait = await lathe('queue', 'wait', lateId.slice(0, 12));
    expect(lateWait.code).toBe(1);
    expect(lateWait.out).toMatch(/FAILED/);
    const listed = JSON.parse((await lathe('queue', 'status', '--json')).out) as { id: string; state: string; attempts: number; failedReason: string }[];
    const failed = listed.find((j) => j.id === lateId);
    expect(failed?.state).toBe('failed');
    expect(failed?.attempts).toBe(1);
    expect(failed?.failedReason).toMatch(/album\.json|gainDb|changed/);
    expect(listed.filter((j) => j.state === 'completed').length).toBe(ALBUMS);

    const html = join(dir, 'batch.html');
    expect((await lathe('queue', 'report', '--out', html)).code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/ALB019/);
    expect(page).toMatch(/LUFS/);
    expect(page).toMatch(/dBTP/);
    expect(page).toMatch(/failed/);
  }, 240_000);

  it('a worker killed with SIGKILL mid-render: the job completes on another worker, one output, no partial files', async () => {
    const long = join(dir, 'catalog', 'LONG');
    mkdirSync(join(long, 'audio'), { recursive: true });
    writeFileSync(join(long, 'audio', 'a.wav'), encodeWav([gridNoise(120 * R, 14, 11), gridNoise(120 * R, 14, 12)], { rateHz: R, encoding: 's16le' }));
    writeFileSync(join(long, 'album.json'), JSON.stringify({ format: 'lathe-album', version: 1, title: 'Long', tracks: [{ title: 'Long', clips: [{ source: 'audio/a.wav', gainDb: -0.5 }] }] }));
    for (const w of workers.splice(0)) w.kill('SIGKILL');
    logs.splice(0);
    const victim = startWorker();
    const added = await lathe('queue', 'add', join(long, 'album.json'), '--variant', 'cd,streaming', '--out', join(dir, 'killed'), '--json');
    const id = JSON.parse(added.out)[0].id as string;
    const progress = async () => (JSON.parse((await lathe('queue', 'status', '--json')).out) as { id: string; progress: number }[]).find((j) => j.id === id)?.progress ?? 0;
    for (let k = 0; k < 600 && (await progress()) < 5; k++) await new Promise((r) => setTimeout(r, 100));
    expect(await progress()).toBeGreaterThanOrEqual(5);
    victim.kill('SIGKILL');
    await new Promise((r) => victim.once('exit', r));
    expect(readdirSync(join(dir, 'killed')).some((n) => n.includes('.partial'))).toBe(true);
    const rescuer = startWorker();
    const waited = await lathe('queue', 'wait', id);
    expect(waited.code).toBe(0);
    expect(readdirSync(join(dir, 'killed'))).toEqual(['LONG']);
    expect(readdirSync(join(dir, 'killed', 'LONG')).sort()).toEqual(['cd', 'job.json', 'report.html', 'report.json', 'streaming']);
    // The worker prints "done" from BullMQ's completed event, after Redis has the job completed
    // (what `queue wait` saw): its line may still be on its way through the pipe.
    const rescued = () => logs[workers.indexOf(rescuer)].some((l) => l.startsWith(`done ${id}`));
    for (let k = 0; k < 100 && !rescued(); k++) await new Promise((r) => setTimeout(r, 100));
    expect(rescued()).toBe(true);
  }, 240_000);

  it('three workers ride out a Redis restart mid-batch: they reconnect and every album is rendered, byte-identical', async () => {
    for (const w of workers.splice(0)) w.kill('SIGKILL');
    logs.splice(0);
    const albums = Array.from({ length: ALBUMS }, (_, a) => join(dir, 'catalog', `ALB${String(a).padStart(3, '0')}`, 'album.json'));
    startWorker();
    startWorker();
    startWorker();
    // All three listening before the batch arrives, so each takes a share.
    for (let k = 0; k < 300 && !logs.every((l) => l.some((x) => x.startsWith('worker '))); k++) await new Promise((r) => setTimeout(r, 100));
    expect((await lathe('queue', 'add', ...albums, '--variant', 'cd', '--out', join(dir, 'out3'))).code).toBe(0);
    const done = () => readdirSync(join(dir, 'out3')).filter((n) => !n.includes('.partial')).length;
    for (let k = 0; k < 600 && (!existsSync(join(dir, 'out3')) || done() < 3); k++) await new Promise((r) => setTimeout(r, 100));
    expect(done()).toBeGreaterThanOrEqual(3);
    expect(done()).toBeLessThan(ALBUMS);
    spawnSync('redis-cli', ['-p', String(redisPort), 'shutdown']);
    await new Promise((r) => redis.once('exit', r));
    await new Promise((r) => setTimeout(r, 1500));
    await startRedis();
    const waited = await lathe('queue', 'wait');
    expect(waited.code).toBe(1);
    // The late broken job of the first test is still failed; every album of this batch is done.
    expect(waited.out).toMatch(/FAILED .*LATE/);
    const listed = JSON.parse((await lathe('queue', 'status', '--json')).out) as { out: string; state: string }[];
    expect(listed.filter((j) => j.out.includes('/out3/')).map((j) => j.state)).toEqual(Array(ALBUMS).fill('completed'));
    for (let a = 0; a < ALBUMS; a++) {
      const name = `ALB${String(a).padStart(3, '0')}`;
      const mine = files(join(dir, 'local', name));
      const theirs = files(join(dir, 'out3', name));
      theirs.delete('job.json');
      expect([...theirs.keys()].sort()).toEqual([...mine.keys()].sort());
      for (const [f, bytes] of mine) expect(theirs.get(f)?.equals(bytes), `${name}/${f}`).toBe(true);
    }
    expect(readdirSync(join(dir, 'out3')).filter((n) => n.includes('.partial'))).toEqual([]);
    expect(logs.filter((l) => l.some((x) => x.startsWith('start '))).length).toBe(3);
  }, 240_000);

  it('verifies incoming DDP filesets and measures files on the same workers: report.json as lathe ddp verify and lathe analyze print it', async () => {
    const ddpDir = join(dir, 'out', 'ALB000', 'DDP');
    const wav = join(dir, 'catalog', 'ALB001', 'audio', 'a.wav');
    const v = await lathe('queue', 'add', '--verify-ddp', ddpDir, '--out', join(dir, 'qc'), '--json');
    const a = await lathe('queue', 'add', '--analyze', wav, '--platforms', '--out', join(dir, 'qc'), '--json');
    const ids = [JSON.parse(v.out)[0].id, JSON.parse(a.out)[0].id];
    const waited = await lathe('queue', 'wait', ...ids.map((id: string) => id.slice(0, 12)));
    expect(waited.out).toMatch(/2 of 2 jobs done/);
    expect(waited.code).toBe(0);
    const verified = JSON.parse(readFileSync(join(dir, 'qc', 'DDP', 'report.json'), 'utf8'));
    expect(verified).toEqual(JSON.parse((await runLathe('ddp', 'verify', ddpDir, '--json')).out));
    expect(verified.checksums.every((c: { ok: boolean }) => c.ok)).toBe(true);
    const measured = JSON.parse(readFileSync(join(dir, 'qc', 'a', 'report.json'), 'utf8'));
    expect(measured).toEqual(JSON.parse((await runLathe('analyze', wav, '--json', '--platforms')).out));
    expect(measured.platforms.length).toBeGreaterThan(0);
    const record = JSON.parse(readFileSync(join(dir, 'qc', 'a', 'job.json'), 'utf8'));
    expect(record.id).toBe(ids[1]);
    expect(record.summary.figures[0].integratedLufs).toBeCloseTo(measured.tracks[0].integratedLufs, 6);
  }, 120_000);
});
