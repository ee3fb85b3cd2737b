/**
 * `lathe validate-wam`: runs the app's WAM validator in headless Chromium against a plugin URL or
 * a folder holding one, prints a pass/fail line per check, and exits non-zero on any failure.
 */
import { parseCommand, UsageError } from './args';
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { LatheError } from '../lib/core/errors';
import type { ValidationReport } from '../lib/web/audio/validate-wam';
import { table } from './table';
import { FIRST_PARTY } from '../lib/core/dsp/plugins';

export const VALIDATE_HELP = `lathe validate-wam <url|folder|file.js|lathe.id> [--json] [--timeout SEC]

Loads a WAM 2.0 plugin in headless Chromium and checks its descriptor, parameters, state, and
renders of silence, an impulse, noise and a sine at 44.1 and 96 kHz. A folder is served (with its
parent) and its index.js loaded; a first-party id (lathe.eq) loads the plugin the app serves.
Exit 0 when every check passes, 1 when one fails.`;

const APP_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MOUNT = '/__plugin/';

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
  /** A URL the page imports, a first-party plugin the app serves, or a path under the mount. */
  url?: string;
  firstParty?: string;
  folder?: string;
  file?: string;
}

function target(arg: string): Target {
  if (/^https?:\/\//.test(arg)) return { url: arg };
  if (FIRST_PARTY.some((p) => p.id === arg)) return { firstParty: arg };
  const path = resolve(arg);
  if (!existsSync(path)) throw new LatheError('not-found', `${arg}: no such file or folder, and not an http(s) URL.`);
  if (statSync(path).isDirectory()) {
    if (!existsSync(join(path, 'index.js'))) throw new LatheError('not-a-plugin', `${arg}: the folder has no index.js to load.`);
    // The parent is served too: built plugins often share chunks with their siblings (../shared).
    return { folder: dirname(path), file: `${basename(path)}/index.js` };
  }
  return { folder: dirname(dirname(path)), file: `${basename(dirname(path))}/${basename(path)}` };
}

export async function validateWamCommand(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals: positional } = parseCommand(args, { json: { type: 'boolean' }, timeout: { type: 'string' } });
  const json = values.json === true;
  const timeoutSec = values.timeout === undefined ? 10 : Number(values.timeout);
  if (!(timeoutSec > 0)) throw new UsageError(`--timeout must be a number of seconds above 0, not "${values.timeout}"`);
  if (positional.length !== 1) {
    out(VALIDATE_HELP);
    return 64;
  }
  const where = target(positional[0]);
  const build = ensureBuilt((s) => process.stderr.write(s + '\n'));
  const { serve } = await import('../../scripts/serve.js');
  const { chromiumPath, chromiumArgs, hasChromium } = await import('../../scripts/chromium.js');
  if (!hasChromium()) throw new LatheError('no-chromium', `Chromium is not installed at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH).`);

  const server = (await serve({
    root: build,
    port: 0,
    pluginOrigins: where.url ? [new URL(where.url).origin] : [],
    mounts: where.folder ? { [MOUNT]: where.folder } : {}
  })) as Server;
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pluginUrl = where.url ?? (where.firstParty ? `${origin}/plugins/${where.firstParty}/index.js` : `${origin}${MOUNT}${where.file}`);
  const { chromium } = await import('playwright');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  // However the plugin behaves, the command ends: the page's own limits first, then this one.
  const limitMs = timeoutSec * 1000 * 60;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/plugins`);
    await page.waitForFunction(() => 'latheValidate' in window, undefined, { timeout: 30_000 });
    const run = page.evaluate(
      ([url, ms]) => (window as unknown as { latheValidate(u: string, o: { timeoutMs: number }): Promise<ValidationReport> }).latheValidate(url, { timeoutMs: ms }),
      [pluginUrl, timeoutSec * 1000] as [string, number]
    );
    const report = await Promise.race([
      run,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LatheError('timeout', `the validation did not finish within ${limitMs / 1000} s.`)), limitMs);
      })
    ]);
    if (json) out(JSON.stringify(report, null, 2));
    else {
      out(`${report.ok ? 'PASS' : 'FAIL'}  ${report.name ?? positional[0]}${report.identifier ? ` (${report.identifier})` : ''}  ${(report.durationMs / 1000).toFixed(1)} s`);
      out(table(['Result', 'Check', 'Detail'], report.checks.map((c) => [c.status.toUpperCase(), c.label, c.detail]), ['left', 'left', 'left']));
    }
    return report.ok ? 0 : 1;
  } finally {
    clearTimeout(timer);
    await browser.close();
    server.close();
  }
}
