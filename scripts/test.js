// npm test: every test — type check, unit (Node), fleet (workers on a real Redis), browser (Vitest in Chromium), e2e (Playwright on
// the built app) — then one summary line. Before any step it makes sure of Chromium and of the
// reference tools the tests compare against, so a fresh run skips nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, hasChromium } from './chromium.js';
import { missingTools } from './tools.js';

/** @param {string} cmd @param {string[]} args @param {Record<string, string>} [env] */
function sh(cmd, args, env = {}) {
  console.log(`\n$ ${[cmd, ...args].join(' ')}`);
  return spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
}

/** Installs Debian packages when root on Debian; says what to install otherwise. */
function aptInstall(/** @type {string[]} */ packages) {
  if (packages.length === 0) return true;
  const root = process.getuid?.() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) return false;
  console.log(`Installing from Debian's archive: ${packages.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  return sh('apt-get', ['update', '-qq'], env) === 0 && sh('apt-get', ['install', '-y', '-qq', ...packages], env) === 0;
}

function ensureTools() {
  const missing = missingTools();
  const packages = [...new Set(missing.map((t) => t.pkg))];
  if (!hasChromium() && !process.env.CHROMIUM_PATH) packages.push('chromium');
  aptInstall(packages);
  const still = missingTools();
  if (still.length) {
    console.error(
      `\nThese reference tools are missing, so the tests that compare against them will skip:\n` +
        still.map((t) => `  ${t.cmd} (Debian package ${t.pkg})`).join('\n')
    );
  }
  if (!hasChromium()) {
    console.error(
      `\nNo Chromium found at ${chromiumPath}. The browser, e2e and validator tests need it:\n` +
        `  on Debian or Ubuntu: sudo apt-get install chromium\n` +
        `  elsewhere: install Chromium and set CHROMIUM_PATH to its executable.`
    );
    return false;
  }
  return true;
}

const out = join('test-results', 'summary');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** @typedef {{ passed: number, failed: number, skipped: number }} Counts */
/** @type {Counts} */
const totals = { passed: 0, failed: 0, skipped: 0 };
/** @type {string[]} */
const failures = [];

/** @param {string} file @returns {Counts} */
function vitestCounts(file) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  return { passed: r.numPassedTests, failed: r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0), skipped: r.numPendingTests + r.numTodoTests };
}

/** @param {string} file @returns {Counts} */
function playwrightCounts(file) {
  const s = JSON.parse(readFileSync(file, 'utf8')).stats;
  return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
}

/** @param {string} name @param {number} status @param {string} [countsFile] @param {(f: string) => Counts} [reader] */
function step(name, status, countsFile, reader) {
  /** @type {Counts} */
  let counts = { passed: 0, failed: 0, skipped: 0 };
  if (countsFile && reader && existsSync(countsFile)) counts = reader(countsFile);
  else if (countsFile) counts.failed = 1;
  else counts = status === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  if (status !== 0 && counts.failed === 0) counts.failed = 1;
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  if (status !== 0) failures.push(name);
  console.log(`\n[${name}] ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}

const browser = ensureTools();
step('check', sh('npm', ['run', '--silent', 'check']));
const unitJson = join(out, 'unit.json');
step('unit', sh('npx', ['vitest', 'run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`]), unitJson, vitestCounts);
const fleetJson = join(out, 'fleet.json');
step('fleet', sh('npx', ['vitest', 'run', '--project', 'fleet', '--reporter=default', '--reporter=json', `--outputFile.json=${fleetJson}`]), fleetJson, vitestCounts);

if (browser) {
  const browserJson = join(out, 'browser.json');
  step('browser', sh('npx', ['vitest', 'run', '--project', 'browser', '--reporter=default', '--reporter=json', `--outputFile.json=${browserJson}`]), browserJson, vitestCounts);
  const built = sh('npm', ['run', '--silent', 'build', '--', '--logLevel', 'warn']);
  step('build', built);
  if (built === 0) {
    const e2eJson = join(out, 'e2e.json');
    step('e2e', sh('npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson }), e2eJson, playwrightCounts);
  }
} else {
  failures.push('chromium');
  totals.failed += 1;
}

/** The failed tests by name, with the start of their message, so a log's tail says what broke. */
function failedTests() {
  /** @type {string[]} */
  const lines = [];
  const clip = (/** @type {string} */ m) => m.replace(/\x1b\[[0-9;]*m/g, '').split('\n').slice(0, 6).join('\n      ');
  for (const name of ['unit', 'fleet', 'browser']) {
    const file = join(out, `${name}.json`);
    if (!existsSync(file)) continue;
    for (const suite of JSON.parse(readFileSync(file, 'utf8')).testResults ?? []) {
      if (suite.status === 'failed' && !(suite.assertionResults ?? []).some((/** @type {{status: string}} */ a) => a.status === 'failed')) lines.push(`  [${name}] ${suite.name}: ${clip(suite.message ?? 'failed to run')}`);
      for (const a of suite.assertionResults ?? []) if (a.status === 'failed') lines.push(`  [${name}] ${a.fullName}\n      ${clip((a.failureMessages ?? []).join('\n'))}`);
    }
  }
  const e2e = join(out, 'e2e.json');
  if (existsSync(e2e)) {
    /** @param {any} suite */
    const walk = (suite) => {
      for (const spec of suite.specs ?? []) for (const t of spec.tests ?? []) if (t.status === 'unexpected') lines.push(`  [e2e] ${spec.file}: ${spec.title}\n      ${clip(t.results?.at(-1)?.error?.message ?? '')}`);
      for (const s of suite.suites ?? []) walk(s);
    };
    for (const s of JSON.parse(readFileSync(e2e, 'utf8')).suites ?? []) walk(s);
  }
  return lines;
}

if (failures.length) console.log(`\nFailed tests:\n${failedTests().join('\n') || '  (no test named: a step itself failed)'}`);
console.log(failures.length ? `\nFailed: ${failures.join(', ')}` : '\nAll test steps passed.');
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
