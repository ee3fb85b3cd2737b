import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { writeProgrammeWav } from './audio';

/**
 * 20 albums rendered to the CD by a plain loop of `lathe render` processes, then by one queue
 * worker and by two (this machine's two cores), in the same run: jobs per minute for each and the
 * queue's overhead per job against the plain loop.
 */
export async function queueBench(): Promise<void> {
  if (spawnSync('redis-server', ['--version']).error) {
    console.log('queue: redis-server is not installed (apt-get install redis-server); skipped');
    return;
  }
  const albums = 20;
  const sec = Number(process.env.BENCH_ALBUM_SEC ?? 60);
  const dir = resolve('bench', 'out', 'queue');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let a = 0; a < albums; a++) {
    const folder = join(dir, 'catalog', `ALB${String(a).padStart(3, '0')}`);
    mkdirSync(folder, { recursive: true });
    await writeProgrammeWav(join(folder, 'a.wav'), sec, 44_100, 's16le');
    writeFileSync(join(folder, 'album.json'), JSON.stringify({ format: 'lathe-album', version: 1, title: `Album ${a}`, tracks: [{ title: 'A', clips: [{ source: 'a.wav', lengthSec: sec / 2, gainDb: -1 }] }, { title: 'B', clips: [{ source: 'a.wav', sourceOffsetSec: sec / 2, lengthSec: sec / 2, gainDb: -1 }] }] }));
    paths.push(join(folder, 'album.json'));
  }
  const t0 = performance.now();
  for (let a = 0; a < albums; a++) {
    const r = spawnSync(process.execPath, ['bin/lathe.js', 'render', paths[a], '--variant', 'cd', '--out', join(dir, 'loop', String(a))], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`lathe render failed: ${r.stderr}`);
  }
  const loopSec = (performance.now() - t0) / 1000;

  const port = await new Promise<number>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const env = { ...process.env, REDIS_URL: `redis://127.0.0.1:${port}` };
  for (let k = 0; k < 100 && spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() !== 'PONG'; k++) await new Promise((r) => setTimeout(r, 100));
  const lathe = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/lathe.js', ...args], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`lathe ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
  };
  const fleet = async (workers: number) => {
    const procs: ChildProcess[] = [];
    const ready: Promise<void>[] = [];
    for (let k = 0; k < workers; k++) {
      const w = spawn(process.execPath, ['bin/lathe.js', 'worker'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      ready.push(new Promise((ok) => w.stdout?.once('data', () => ok())));
      procs.push(w);
    }
    await Promise.all(ready);
    const t = performance.now();
    lathe('queue', 'add', ...paths, '--variant', 'cd', '--out', join(dir, `fleet-${workers}`));
    lathe('queue', 'wait');
    const s = (performance.now() - t) / 1000;
    for (const w of procs) w.kill('SIGTERM');
    await Promise.all(procs.map((w) => new Promise((ok) => w.once('exit', ok))));
    return s;
  };
  const one = await fleet(1);
  const two = await fleet(2);
  redis.kill('SIGTERM');
  const perMin = (s: number) => ((albums / s) * 60).toFixed(1);
  console.log(`\nqueue: ${albums} albums of ${sec} s to the CD`);
  console.log(`  plain lathe render loop   ${loopSec.toFixed(1)} s   ${perMin(loopSec)} jobs/min`);
  console.log(`  1 worker                  ${one.toFixed(1)} s   ${perMin(one)} jobs/min   ${(((one - loopSec) / albums) * 1000).toFixed(0)} ms/job against the loop, which starts a process per album (x${(one / loopSec).toFixed(2)} its time)`);
  console.log(`  2 workers                 ${two.toFixed(1)} s   ${perMin(two)} jobs/min   x${(one / two).toFixed(2)} faster than 1 worker`);
  rmSync(dir, { recursive: true, force: true });
}
