// Serves the built app (build/) on loopback with the SPA fallback and a strict CSP.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.ico': 'image/x-icon'
};

/**
 * Scripts only from this origin and the plugin origins given, and the app's own inline bootstrap
 * by its hash (no 'unsafe-inline': an injected script does not run); blob: for audio worklets
 * (the WAM SDK adds its worklet code that way), wasm for decoders and plugins. `allowEval` is
 * for `lathe validate-wam --allow-eval` only: the app never serves it.
 * @param {string[]} pluginOrigins
 * @param {string[]} scriptHashes
 * @param {boolean} allowEval
 */
export function contentSecurityPolicy(pluginOrigins = [], scriptHashes = [], allowEval = false) {
  const extra = pluginOrigins.map((o) => ` ${o}`).join('');
  const hashes = scriptHashes.map((h) => ` '${h}'`).join('');
  return (
    `default-src 'self'; script-src 'self'${hashes} 'wasm-unsafe-eval'${allowEval ? " 'unsafe-eval'" : ''} blob:${extra}; worker-src 'self' blob:; ` +
    `style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' blob: data:${extra}`
  );
}

/**
 * The SHA-256 sources of the inline scripts in the built pages (SvelteKit's bootstrap), as a
 * policy names them.
 * @param {string} base
 */
function inlineScriptHashes(base) {
  const out = new Set();
  const pages = [join(base, 'index.html'), ...(existsSync(join(base, 'plugins.html')) ? [join(base, 'plugins.html')] : [])];
  for (const page of pages) {
    if (!existsSync(page)) continue;
    for (const m of readFileSync(page, 'utf8').matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
      if (m[1].trim()) out.add(`sha256-${createHash('sha256').update(m[1]).digest('base64')}`);
    }
  }
  return [...out];
}

/**
 * @param {{ root?: string, port?: number, host?: string, pluginOrigins?: string[], mounts?: Record<string, string>, crossOrigin?: boolean, allowEval?: boolean }} options
 *   mounts: URL prefixes ("/__plugin/") served from other folders; crossOrigin: serve files to
 *   pages of other origins too, as a plugin vendor's server does.
 */
export function serve({ root = 'build', port = 4173, host = '127.0.0.1', pluginOrigins = [], mounts = {}, crossOrigin = false, allowEval = false } = {}) {
  const base = resolve(root);
  const headers = {
    ...(crossOrigin ? { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } : {}),
    'Content-Security-Policy': contentSecurityPolicy(pluginOrigins, inlineScriptHashes(base), allowEval),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'X-Content-Type-Options': 'nosniff'
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const mount = Object.keys(mounts).find((prefix) => url.pathname.startsWith(prefix));
    if (mount) {
      const dir = resolve(mounts[mount]);
      const file = normalize(join(dir, decodeURIComponent(url.pathname.slice(mount.length))));
      if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
      createReadStream(file).pipe(res);
      return;
    }
    let path = normalize(join(base, decodeURIComponent(url.pathname)));
    if (!path.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(path) || statSync(path).isDirectory()) {
      const index = join(path, 'index.html');
      path = existsSync(index) ? index : join(base, 'index.html');
      if (!existsSync(path)) {
        res.writeHead(404, headers).end();
        return;
      }
    }
    const immutable = url.pathname.startsWith('/_app/immutable/');
    // The service worker relays what pages request (their own policy decided that), hashing
    // plugin modules on the way: it may fetch from any origin, and runs no code but its own.
    const policy = url.pathname === '/service-worker.js' ? { 'Content-Security-Policy': "default-src 'self'; connect-src *" } : {};
    res.writeHead(200, {
      ...headers,
      ...policy,
      'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache'
    });
    createReadStream(path).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 4173);
  serve({ port }).then(() => console.log(`Lathe is running at http://127.0.0.1:${port}/`));
}
