/**
 * Import and analysis at the speed of the machine.
 * - In the app: a 60-minute 24-bit stereo WAV (952 MB) imported through the page (Add files…) and
 *   analysed, in the built app in headless Chromium, timed from the person's action to the figures,
 *   with the peak memory of the browser's processes; `sha256sum` on the same file as the reference.
 * - In Node: a 2 GiB WAV through core's streaming import (hash, decode, peaks) into a sink that
 *   keeps nothing, against `sha256sum` of the same file.
 */
import { timed } from './timing';
import { spawn, spawnSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { writeProgrammeWav } from './audio';
import { ingestPcm } from '../src/lib/core/audio/ingest';
import { fileSource } from '../src/cli/node-source';
import { nodeSha256 } from '../src/cli/node-folder';

/** A new, empty project in the app, past the first visit's demo. */
export async function newAppProject(page: import('playwright').Page, origin: string, name: string): Promise<void> {
  await page.goto(`${origin}/`);
  await page.waitForURL(/\/projects\//);
  await page.getByRole('link', { name: 'Projects' }).click();
  await page.getByLabel('New project').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.waitForURL(/\/projects\//);
}

const sha256sum = (file: string) => timed(() => spawnSync('sha256sum', [file], { encoding: 'utf8' }));

/** CPU seconds used so far by every Chromium process, by kind (browser, renderer, utility...). */
function browserCpu(): Record<string, number> {
  const out: Record<string, number> = {};
  const tick = Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }));
  for (const line of execSync('ps -C chromium,chrome,chromium-browser -o pid=,args= 2>/dev/null || true', { encoding: 'utf8' }).split('\n')) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const kind = /--type=(\S+)/.exec(m[2])?.[1] ?? 'browser';
    try {
      const stat = execSync(`cat /proc/${m[1]}/stat`, { encoding: 'utf8' }).split(') ')[1].split(' ');
      out[kind] = (out[kind] ?? 0) + (Number(stat[11]) + Number(stat[12])) / tick;
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Resident memory now, in MiB, of all Chromium processes, and of its renderers (the page and its workers). */
function browserRssMiB(): { all: number; renderer: number } {
  try {
    let all = 0;
    let renderer = 0;
    for (const line of execSync('ps -C chromium,chrome,chromium-browser -o rss=,args= 2>/dev/null || true', { encoding: 'utf8' }).split('\n')) {
      const m = /^\s*(\d+)\s+(.*)$/.exec(line);
      if (!m) continue;
      all += Number(m[1]) / 1024;
      if (m[2].includes('--type=renderer')) renderer += Number(m[1]) / 1024;
    }
    return { all, renderer };
  } catch {
    return { all: 0, renderer: 0 };
  }
}

/** How far the browser's resident memory rises above what it was before `work`, at its peak (sampled every 100 ms). */
async function peakBrowserRss<T>(work: () => Promise<T>): Promise<{ value: T; peakMiB: number; baseMiB: number; rendererPeakMiB: number; rendererBaseMiB: number }> {
  const base = browserRssMiB();
  let peak = base.all;
  let rendererPeak = base.renderer;
  const timer = setInterval(() => {
    const now = browserRssMiB();
    peak = Math.max(peak, now.all);
    rendererPeak = Math.max(rendererPeak, now.renderer);
  }, 100);
  try {
    const value = await work();
    return { value, peakMiB: peak - base.all, baseMiB: base.all, rendererPeakMiB: rendererPeak, rendererBaseMiB: base.renderer };
  } finally {
    clearInterval(timer);
  }
}

async function appBench(dir: string, minutes: number): Promise<void> {
  const wav = join(dir, `import-${minutes}min-44k-24.wav`);
  if (!existsSync(wav)) {
    console.log(`Writing ${minutes} min of stereo 44.1 kHz 24-bit audio to ${wav}...`);
    await writeProgrammeWav(wav, minutes * 60, 44_100, 's24le');
  }
  const mb = statSync(wav).size / 1e6;
  if (!existsSync('build/index.html')) {
    console.log('Building the app...');
    execSync('npm run --silent build -- --logLevel warn', { stdio: 'inherit' });
  }
  const { serve } = await import('../scripts/serve.js');
  const { chromiumPath, chromiumArgs, hasChromium } = await import('../scripts/chromium.js');
  if (!hasChromium()) {
    console.log(`No Chromium at ${chromiumPath}: the app bench is skipped.`);
    return;
  }
  const server = (await serve({ root: 'build', port: 0 })) as Server;
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { chromium } = await import('playwright');
  // BENCH_PROFILE_DIR puts the browser's storage elsewhere (a RAM disk tells how much is the disk's).
  const profile = process.env.BENCH_PROFILE_DIR;
  const browser = profile
    ? await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: chromiumArgs })
    : await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage();
    await newAppProject(page, origin, 'Bench');
    console.log(`\n== app: import and analysis of a ${minutes} min 24-bit stereo WAV (${mb.toFixed(0)} MB) in headless Chromium ==`);
    const cpu0 = browserCpu();
    const { value, peakMiB, baseMiB, rendererPeakMiB, rendererBaseMiB } = await peakBrowserRss(async () => {
      const t0 = Date.now();
      await page.getByLabel('Add audio files').setInputFiles(wav);
      await page.getByRole('listitem', { name: /^Track 1: / }).waitFor({ timeout: 600_000 });
      const imported = (Date.now() - t0) / 1000;
      // The analysis starts by itself after an import; it is done when the button reads Analyze again.
      await page.getByRole('button', { name: 'Measuring…' }).waitFor({ timeout: 60_000 }).catch(() => {});
      await page.getByRole('button', { name: 'Analyze', exact: true }).waitFor({ timeout: 600_000 });
      const analysed = (Date.now() - t0) / 1000 - imported;
      return { imported, analysed };
    });
    const cpu1 = browserCpu();
    if (process.env.BENCH_CPU) console.log('cpu s by process kind', JSON.stringify(Object.fromEntries(Object.keys(cpu1).map((k) => [k, +(cpu1[k] - (cpu0[k] ?? 0)).toFixed(1)]))));
    const ref = sha256sum(wav);
    console.log(`import (hash, decode, peaks, measure, store)   ${value.imported.toFixed(2)} s   ${(mb / value.imported).toFixed(0)} MB/s   (target < 10 s)`);
    console.log(`analysis after it (mix and master)              ${value.analysed.toFixed(2)} s   (target < 10 s)`);
    console.log(`browser processes, resident memory              +${peakMiB.toFixed(0)} MiB at the peak over the ${baseMiB.toFixed(0)} MiB before`);
    console.log(`  of which the renderer (page and workers)        ${rendererPeakMiB.toFixed(0)} MiB at the peak (${rendererBaseMiB.toFixed(0)} MiB before)`);
    console.log(`sha256sum of the file                           ${ref.sec.toFixed(2)} s: the import takes ${(value.imported / ref.sec).toFixed(2)}x its time`);
  } finally {
    await browser.close();
    server.close();
    if (process.env.BENCH_KEEP !== '1') rmSync(wav, { force: true });
  }
}

async function nodeBench(dir: string): Promise<void> {
  const gib = Number(process.env.BENCH_IMPORT_GIB ?? 2);
  const seconds = Math.floor((gib * 2 ** 30) / (44_100 * 4));
  const wav = join(dir, `import-${gib}gib-44k-16.wav`);
  if (!existsSync(wav)) {
    console.log(`Writing ${gib} GiB of stereo 44.1 kHz 16-bit audio to ${wav}...`);
    await writeProgrammeWav(wav, seconds, 44_100, 's16le');
  }
  console.log(`\n== Node: core's streaming import of a ${gib} GiB 16-bit WAV (hash, decode, peaks) ==`);
  const src = await fileSource(wav, 'bench.wav');
  let chunks = 0;
  const t0 = process.hrtime.bigint();
  const result = await ingestPcm(src, { writeChunk: async () => void chunks++ }, () => {}, undefined, { sha256: nodeSha256 });
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  await src.close();
  const ref = sha256sum(wav);
  const same = ref.value.stdout.startsWith(result.sha256);
  console.log(`ingestPcm        ${sec.toFixed(2)} s   ${(statSync(wav).size / 1e6 / sec).toFixed(0)} MB/s   ${chunks} chunks   (target < 8 s)`);
  console.log(`sha256sum        ${ref.sec.toFixed(2)} s   the import takes ${(sec / ref.sec).toFixed(2)}x its time; hashes ${same ? 'agree' : 'DIFFER'}`);
  if (process.env.BENCH_KEEP !== '1') rmSync(wav, { force: true });
}

export async function importBench(): Promise<void> {
  const dir = resolve('bench', 'out');
  mkdirSync(dir, { recursive: true });
  const which = process.env.BENCH_IMPORT ?? 'both';
  if (which !== 'app') await nodeBench(dir);
  if (which !== 'node') await appBench(dir, Number(process.env.BENCH_MINUTES ?? 60));
}
