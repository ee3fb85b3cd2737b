/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Lets confirmed plugins load, and only as confirmed: the server's Content-Security-Policy allows
 * scripts only from the app; for each page load this widens it by the origins of the plugins the
 * person confirmed (read from IndexedDB), and by nothing else. A pinned plugin module is hashed as
 * it is fetched, and served only when its bytes have the pinned SHA-256: the bytes hashed are the
 * bytes that run.
 */
import { LatheDb } from '$lib/web/store/db';
import { pluginOrigins, widenCsp } from '$lib/core/security/csp';

const sw = self as unknown as ServiceWorkerGlobalScope;
let db: LatheDb | undefined;

sw.addEventListener('install', () => void sw.skipWaiting());
sw.addEventListener('activate', (event) => event.waitUntil(sw.clients.claim()));

async function confirmedOrigins(): Promise<string[]> {
  try {
    db ??= new LatheDb();
    const rows = await db.plugins.toArray();
    return pluginOrigins(rows.map((r) => r.url), sw.location.origin);
  } catch {
    return [];
  }
}

async function pinnedHash(url: string): Promise<string | null> {
  try {
    db ??= new LatheDb();
    const row = await db.plugins.get(url);
    return row?.status === 'ready' && row.sha256 ? row.sha256 : null;
  } catch {
    return null;
  }
}

async function checkedModule(request: Request, pinned: string): Promise<Response> {
  const response = await fetch(request);
  if (!response.ok) return response;
  const bytes = await response.arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  if (hex !== pinned) {
    return new Response(`This module changed since it was confirmed (SHA-256 ${hex}, pinned ${pinned}); accept the change on the Plugins page.`, {
      status: 409,
      headers: { 'Content-Type': 'text/plain' }
    });
  }
  return new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
}

sw.addEventListener('fetch', (event) => {
  const url = event.request.url;
  if (event.request.destination === 'script' && url.startsWith('http') && !url.startsWith(`${sw.location.origin}/_app/`)) {
    event.respondWith(
      (async () => {
        const pinned = await pinnedHash(event.request.url);
        return pinned ? checkedModule(event.request, pinned) : fetch(event.request);
      })()
    );
    return;
  }
  if (event.request.mode !== 'navigate') return;
  event.respondWith(
    (async () => {
      const response = await fetch(event.request);
      const policy = response.headers.get('Content-Security-Policy');
      const origins = policy ? await confirmedOrigins() : [];
      if (!policy || !origins.length) return response;
      const headers = new Headers(response.headers);
      headers.set('Content-Security-Policy', widenCsp(policy, origins));
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    })()
  );
});
