// WAM plugins this project did not write, for tests: every plugin of the `wam-community`
// registry package (Wimmics' Faust and ParamMgr plugins, Sequencer Party's), fetched at test time
// into node_modules/.cache. Nothing of it is committed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PACKAGE = 'wam-community@0.4.9';
const CACHE = resolve('node_modules/.cache/lathe-third-party/wam-community-0.4.9');
/** Where the package's plugins are: <category>/<plugin>/index.js under it. */
export const PLUGINS_DIR = join(CACHE, 'dist/plugins');
export const PLUGIN_DIR = join(PLUGINS_DIR, 'wimmics/StereoEnhancer');

/**
 * The package's own list of its plugins (dist/index.js holds it as a JSON array).
 * @returns {{ path: string, name: string, identifier: string, category: string[] }[]}
 */
export function communityPlugins() {
  const source = readFileSync(join(CACHE, 'dist/index.js'), 'utf8');
  const list = /const Plugins = (\[[\s\S]*?\n\])/.exec(source);
  if (!list) throw new Error(`${PACKAGE}: dist/index.js no longer lists its plugins as expected`);
  return JSON.parse(list[1]);
}

/** @returns {{ dir: string, plugins: string } | { reason: string }} */
export function prepareThirdPartyWam() {
  if (existsSync(join(PLUGIN_DIR, 'index.js')) && existsSync(join(CACHE, 'package.json'))) return { dir: PLUGIN_DIR, plugins: PLUGINS_DIR };
  const work = mkdtempSync(join(tmpdir(), 'lathe-wam-community-'));
  try {
    const pack = spawnSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], { encoding: 'utf8' });
    if (pack.status !== 0) return { reason: `npm pack ${PACKAGE} failed: ${(pack.stderr || '').trim().split('\n').pop()}` };
    const tgz = join(work, pack.stdout.trim().split('\n').pop() ?? '');
    const tar = spawnSync('tar', ['xzf', tgz, '-C', work, 'package/package.json', 'package/dist']);
    if (tar.status !== 0) return { reason: `could not unpack ${PACKAGE}` };
    const root = join(work, 'package');
    // The published package lost a link its sources rely on (sdk-parammgr/src/sdk -> ../../sdk):
    // put the package's own SDK files where its imports look for them.
    const utils = join(root, 'dist/plugins/wimmics/utils');
    cpSync(join(utils, 'sdk'), join(utils, 'sdk-parammgr/src/sdk'), { recursive: true });
    mkdirSync(resolve(CACHE, '..'), { recursive: true });
    rmSync(CACHE, { recursive: true, force: true });
    renameSync(root, CACHE);
    return { dir: PLUGIN_DIR, plugins: PLUGINS_DIR };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
