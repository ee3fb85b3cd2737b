import type { TestProject } from 'vitest/node';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { runLathe } from '../helpers/cli';
import { encodeWav } from '../../src/lib/core/audio/wav';
import { DETERMINISM_ALBUM, DETERMINISM_SOURCES, determinismAudio } from '../helpers/determinism-album';
import { prepareThirdPartyWam } from '../../scripts/third-party-wam.js';
import { serve } from '../../scripts/serve.js';

declare module 'vitest' {
  export interface ProvidedContext {
    thirdPartyWam: { url: string } | { reason: string };
    /** IMAGE.DAT's MD5 when the CLI renders the determinism album (tests/helpers/determinism-album.ts). */
    cliImageMd5: string;
  }
}

/** Renders the determinism album with `lathe render` in Node, for the browser's render to match. */
async function cliRender(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-same-bytes-'));
  mkdirSync(join(dir, 'audio'));
  DETERMINISM_SOURCES.forEach((s, i) => writeFileSync(join(dir, 'audio', s.name), encodeWav(determinismAudio(i), { rateHz: s.rateHz, encoding: 's24le' })));
  writeFileSync(join(dir, 'album.json'), JSON.stringify(DETERMINISM_ALBUM));
  const r = await runLathe('render', join(dir, 'album.json'), '--out', join(dir, 'cd'), '--shaping', 'lipshitz', '--seed', '7');
  if (r.code !== 0) throw new Error(`lathe render failed: ${r.err}`);
  const md5 = createHash('md5').update(readFileSync(join(dir, 'cd', 'DDP', 'IMAGE.DAT'))).digest('hex');
  rmSync(dir, { recursive: true, force: true });
  return md5;
}

/**
 * Fetches the third-party test plugin once, in Node, and serves it from its own origin (as its
 * vendor would), telling the browser tests its URL.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  project.provide('cliImageMd5', await cliRender());
  const got = prepareThirdPartyWam();
  if ('reason' in got) {
    project.provide('thirdPartyWam', got);
    return () => {};
  }
  const server = (await serve({ root: dirname(got.dir), port: 0, crossOrigin: true })) as Server;
  const port = (server.address() as AddressInfo).port;
  project.provide('thirdPartyWam', { url: `http://127.0.0.1:${port}/StereoEnhancer/index.js` });
  return () => server.close();
}
