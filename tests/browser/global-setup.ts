import type { TestProject } from 'vitest/node';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { prepareThirdPartyWam } from '../../scripts/third-party-wam.js';
import { serve } from '../../scripts/serve.js';

declare module 'vitest' {
  export interface ProvidedContext {
    thirdPartyWam: { url: string } | { reason: string };
  }
}

/**
 * Fetches the third-party test plugin once, in Node, and serves it from its own origin (as its
 * vendor would), telling the browser tests its URL.
 */
export default async function setup(project: TestProject): Promise<() => void> {
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
