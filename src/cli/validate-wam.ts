/**
 * `lathe validate-wam`: runs the app's WAM validator in headless Chromium, under the app's own
 * security policy, against plugin URLs or folders holding them (one fresh page each, so plugins
 * cannot disturb each other), prints every check with what it measured and the threshold, and
 * exits 1 only when a check FAILs.
 */
import { parseCommand, UsageError } from './args';
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { LatheError } from '../lib/core/errors';
import type { ValidationReport } from '../lib/web/wam/validate';
import { table } from './table';
import { FIRST_PARTY } from '../lib/core/dsp/plugins';

export const VALIDATE_HELP = `lathe validate-wam <url|folder|file.js|lathe.id>... [--json] [--timeout SEC] [--rates HZ,HZ] [--allow-eval] [--jobs N]

Loads each WAM 2.0 plugin in headless Chromium, under Lathe's security policy, and checks its
descriptor, parameters and state, then renders silence, an impulse, a sine and a zero-mean
multisine through it (instruments: a MIDI note) at 44.1 and 96 kHz (--rates to choose). Every
check prints what it measured and what passes: PASS, WARN (works, but hosts or listeners will
notice) or FAIL (a defect). A folder's index.js is loaded, served from the nearest folder above
it that holds a package.json (plugins import their SDK from ../..); a first-party id (lathe.eq)
loads the plugin the app serves. --json prints the reports (an array for several plugins).
--allow-eval relaxes the policy for modules built with eval (webpack's "eval" devtool), to see
the other checks; Lathe itself never loads such a module, and the report says so. --jobs N
validates N plugins at once, each in its own browser context (with few cores it gains little:
the renders are CPU-bound).
Exit 0 when nothing FAILs, 1 when a check fails.`;

const APP_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The built app holds the validator page; build it once if it is missing. */
function ensureBuilt(log: (s: string) => void): string {
  const build = join(APP_ROOT, 'build');
  if (existsSync(join(build, 'index.html')) && existsSync(join(build, 'plugins'))) return build;
  log('lathe validate-wam: building the app once (npm run build)…');
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: APP_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new LatheError('build-failed', 'could not build the app that hosts the validator (npm run build failed).');
  return build;
}

interface Target {
  arg: string;
  url?: string;
  firstParty?: string;
  /** A folder served under a mount, and the module's path in it. */
  root?: string;
  file?: string;
}

/** The folder to serve for a plugin file: the nearest above it with a package.json, else its folder's parent. */
function packageRoot(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.json'))) return dir;
  return dirname(dirname(file));
}

function target(arg: string): Target {
  if (/^https?:\/\//.test(arg)) return { arg, url: arg };
  if (FIRST_PARTY.some((p) => p.id === arg)) return { arg, firstParty: arg };
  const path = resolve(arg);
  if (!existsSync(path)) throw new LatheError('not-found', `${arg}: no such file or folder, and not an http(s) URL.`);
  const file = statSync(path).isDirectory() ? join(path, 'index.js') : path;
  if (!existsSync(file)) throw new LatheError('not-a-plugin', `${arg}: the folder has no index.js to load.`);
  const root = packageRoot(file);
  return { arg, root, file: relative(root, file).split('\\').join('/') };
}

function printReport(report: ValidationReport, arg: string, out: (s: string) => void): void {
  out(`${report.summary}`);
  out(`  ${report.name ?? arg}${report.identifier ? ` (${report.identifier})` : ''}${report.kind ? `, ${report.kind}` : ''}  ${(report.durationMs / 1000).toFixed(1)} s`);
  out(
    table(
      ['Result', 'Check', 'Measured', 'Passes when', 'Why'],
      report.checks.map((c) => [c.status.toUpperCase(), c.label, c.measured, c.threshold, c.detail]),
      ['left', 'left', 'left', 'left', 'left']
    )
  );
}

export async function validateWamCommand(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseCommand(args, { json: { type: 'boolean' }, timeout: { type: 'string' }, rates: { type: 'string' }, 'allow-eval': { type: 'boolean' }, jobs: { type: 'string' } });
  const allowEval = values['allow-eval'] === true;
  const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
  if (!(Number.isInteger(jobs) && jobs >= 1 && jobs <= 16)) throw new UsageError(`--jobs must be a whole number from 1 to 16, not "${values.jobs}"`);
  const json = values.json === true;
  const timeoutSec = values.timeout === undefined ? 10 : Number(values.timeout);
  if (!(timeoutSec > 0)) throw new UsageError(`--timeout must be a number of seconds above 0, not "${values.timeout}"`);
  const ratesHz = values.rates === undefined ? undefined : values.rates.split(',').map(Number);
  if (ratesHz && !ratesHz.every((r) => Number.isInteger(r) && r >= 8000 && r <= 384_000)) throw new UsageError(`--rates must be sample rates in Hz between 8000 and 384000, comma-separated, not "${values.rates}"`);
  if (positionals.length === 0) {
    out(VALIDATE_HELP);
    return 64;
  }
  const targets = positionals.map(target);
  const build = ensureBuilt((s) => process.stderr.write(s + '\n'));
  const { serve } = await import('../../scripts/serve.js');
  const { chromiumPath, chromiumArgs, hasChromium } = await import('../../scripts/chromium.js');
  if (!hasChromium()) throw new LatheError('no-chromium', `Chromium is not installed at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH).`);

  const mounts: Record<string, string> = {};
  targets.forEach((t, i) => {
    if (t.root) mounts[`/__plugin${i}/`] = t.root;
  });
  const server = (await serve({
    root: build,
    port: 0,
    pluginOrigins: [...new Set(targets.filter((t) => t.url).map((t) => new URL(t.url as string).origin))],
    mounts,
    allowEval
  })) as Server;
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { chromium } = await import('playwright');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const reports: ValidationReport[] = new Array(targets.length);
  try {
    // Up to `jobs` plugins at once, each in its own page; printed in the order given.
    let next = 0;
    let printed = 0;
    const worker = async () => {
      // Its own browser context: pages of one origin in one context share a renderer's main thread.
      const context = await browser.newContext();
      // One page per worker, navigated afresh for each plugin (a new document: nothing of the last
      // plugin's code is left); replaced after a plugin that broke it.
      let page = await context.newPage();
      while (next < targets.length) {
        const i = next++;
        const t = targets[i];
        const pluginUrl = t.url ?? (t.firstParty ? `${origin}/plugins/${t.firstParty}/index.js` : `${origin}/__plugin${i}/${t.file}`);
        if (page.isClosed()) page = await context.newPage();
        const report = await validateInPage(page, origin, pluginUrl, timeoutSec, ratesHz).catch(async (e) => {
          await page.close().catch(() => undefined);
          return incomplete(pluginUrl, e);
        });
        if (allowEval) report.summary += ' (validated with eval allowed: Lathe itself will not load a module that needs it)';
        reports[i] = report;
        while (!json && printed < targets.length && reports[printed]) printReport(reports[printed], targets[printed++].arg, out);
      }
      await context.close();
    };
    await Promise.all(Array.from({ length: Math.min(jobs, targets.length) }, worker));
    if (json) out(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
    else if (reports.length > 1) {
      const count = (s: string) => reports.filter((r) => r.verdict === s).length;
      out(`${reports.length} plugins: ${count('pass')} PASS, ${count('warn')} WARN, ${count('fail')} FAIL`);
    }
    return reports.every((r) => r.ok) ? 0 : 1;
  } finally {
    await browser.close();
    server.close();
  }
}

/** A plugin whose validation could not finish (its page crashed or hung): a FAIL, and the run goes on. */
function incomplete(url: string, e: unknown): ValidationReport {
  const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return {
    url,
    ok: false,
    verdict: 'fail',
    summary: 'FAIL: 1 of 1 checks fail (Validation completes)',
    identifier: null,
    name: null,
    kind: null,
    checks: [{ id: 'validator', label: 'Validation completes', status: 'fail', measured: why, threshold: 'the page runs the validator to its end', detail: '' }],
    durationMs: 0
  };
}

async function validateInPage(page: import('playwright').Page, origin: string, pluginUrl: string, timeoutSec: number, ratesHz: number[] | undefined): Promise<ValidationReport> {
  // However the plugin behaves, the command ends: the page's own limits first, then this one.
  const limitMs = timeoutSec * 1000 * 60;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await page.goto(`${origin}/plugins`);
    await page.waitForFunction(() => 'latheValidate' in window, undefined, { timeout: 30_000 });
    const run = page.evaluate(
      ([url, ms, rates]) =>
        (window as unknown as { latheValidate(u: string, o: { timeoutMs: number; ratesHz?: number[] }): Promise<ValidationReport> }).latheValidate(url, { timeoutMs: ms, ...(rates ? { ratesHz: rates } : {}) }),
      [pluginUrl, timeoutSec * 1000, ratesHz ?? null] as [string, number, number[] | null]
    );
    return await Promise.race([
      run,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LatheError('timeout', `the validation of ${pluginUrl} did not finish within ${limitMs / 1000} s.`)), limitMs);
      })
    ]);
  } finally {
    clearTimeout(timer);
  }
}
