/**
 * The third-party plugin library: a plugin is stored only after the person confirmed its URL,
 * with its descriptor and the SHA-256 of its module, so a module that changes afterwards is noticed.
 */
import { sha256Hex } from '$lib/core/hash';
import { LatheError } from '$lib/core/errors';
import { createWam } from '$lib/web/audio/wam-host';
import { getDb, type PluginRow } from './db';

async function moduleHash(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store' });
  } catch (e) {
    throw new LatheError('plugin-load', `${url} could not be fetched: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!response.ok) throw new LatheError('plugin-load', `${url} answered HTTP ${response.status}.`);
  return sha256Hex(new Uint8Array(await response.arrayBuffer()));
}

export function listPlugins(): Promise<PluginRow[]> {
  return getDb().plugins.orderBy('addedAt').toArray();
}

function parsePluginUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url, location.href);
  } catch {
    throw new LatheError('plugin-url', `"${url}" is not a URL.`);
  }
  if (!/^https?:$/.test(parsed.protocol)) throw new LatheError('plugin-url', `${url}: only http and https plugins can be added.`);
  return parsed;
}

/**
 * Records the person's confirmation. From the next page load the app's security policy allows
 * the plugin's origin (the service worker reads it from here); until then only same-origin
 * plugins can be loaded.
 */
export async function confirmPlugin(url: string): Promise<PluginRow> {
  const parsed = parsePluginUrl(url);
  const row: PluginRow = { url: parsed.href, status: 'confirmed', identifier: '', name: parsed.href, vendor: '', version: '', sha256: '', addedAt: Date.now() };
  await getDb().plugins.put(row);
  return row;
}

/** Loads a confirmed plugin in a throwaway offline context, reads its descriptor and pins its hash. */
export async function verifyPlugin(url: string): Promise<PluginRow> {
  const row = await getDb().plugins.get(url);
  if (!row) throw new LatheError('plugin-unconfirmed', `${url} has not been confirmed.`);
  const sha256 = await moduleHash(url);
  const { module } = await createWam(url, new OfflineAudioContext(2, 128, 48_000));
  const d = module.descriptor;
  const ready: PluginRow = { ...row, status: 'ready', identifier: d.identifier ?? '', name: d.name || d.identifier || url, vendor: d.vendor ?? '', version: d.version ?? '', sha256 };
  await getDb().plugins.put(ready);
  return ready;
}

/** Whether a plugin on another origin can load in this page yet, or needs a reload first. */
export function needsReload(url: string): boolean {
  return new URL(url, location.href).origin !== location.origin && !!navigator.serviceWorker?.controller;
}

export function removePlugin(url: string): Promise<void> {
  return getDb().plugins.delete(url);
}

/** Whether the module at the plugin's URL still has the hash it had when it was verified. */
export async function pluginChanged(row: PluginRow): Promise<boolean> {
  return (await moduleHash(row.url)) !== row.sha256;
}
