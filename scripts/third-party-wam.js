// A WAM plugin this project did not write, for tests: Wimmics' Stereo Enhancer (built with Faust)
// from the `wam-community` registry package, fetched at test time into node_modules/.cache.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PACKAGE = 'wam-community@0.4.9';
const CACHE = resolve('node_modules/.cache/lathe-third-party/wam-community-0.4.9');
export const PLUGIN_DIR = join(CACHE, 'StereoEnhancer');

/** @returns {{ dir: string } | { reason: string }} */
export function prepareThirdPartyWam() {
  if (existsSync(join(PLUGIN_DIR, 'index.js'))) return { dir: PLUGIN_DIR };
  const work = mkdtempSync(join(tmpdir(), 'lathe-wam-community-'));
  try {
    const pack = spawnSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], { encoding: 'utf8' });
    if (pack.status !== 0) return { reason: `npm pack ${PACKAGE} failed: ${(pack.stderr || '').trim().split('\n').pop()}` };
    const tgz = join(work, pack.stdout.trim().split('\n').pop() ?? '');
    const base = 'package/dist/plugins/wimmics';
    const tar = spawnSync('tar', ['xzf', tgz, '-C', work, `${base}/StereoEnhancer`, `${base}/utils/sdk`, `${base}/utils/sdk-parammgr`, `${base}/utils/webaudio-controls.js`]);
    if (tar.status !== 0) return { reason: `could not unpack ${PACKAGE}` };
    const plugins = join(work, base);
    // The published package lost a link its sources rely on (sdk-parammgr/src/sdk -> ../../sdk):
    // put the package's own SDK files where its imports look for them.
    cpSync(join(plugins, 'utils/sdk'), join(plugins, 'utils/sdk-parammgr/src/sdk'), { recursive: true });
    mkdirSync(resolve(CACHE, '..'), { recursive: true });
    rmSync(CACHE, { recursive: true, force: true });
    renameSync(plugins, CACHE);
    return { dir: PLUGIN_DIR };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
