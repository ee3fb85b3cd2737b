/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Lets confirmed plugins load: the server's Content-Security-Policy allows scripts only from the
 * app; for each page load this widens it by the origins of the plugins the person confirmed
 * (read from IndexedDB), and by nothing else.
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

sw.addEventListener('fetch', (event) => {
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
