/**
 * The third-party plugin library: a plugin is stored only after the person confirmed its URL,
 * with its descriptor and the SHA-256 of its module, so a module that changes afterwards is noticed.
 */
import { sha256Hex } from '$lib/core/sha256';
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

/** Loads the plugin in a throwaway offline context to read its descriptor, then stores it. */
export async function addPlugin(url: string): Promise<PluginRow> {
  let parsed: URL;
  try {
    parsed = new URL(url, location.href);
  } catch {
    throw new LatheError('plugin-url', `"${url}" is not a URL.`);
  }
  if (!/^https?:$/.test(parsed.protocol)) throw new LatheError('plugin-url', `${url}: only http and https plugins can be added.`);
  const sha256 = await moduleHash(parsed.href);
  const { module } = await createWam(parsed.href, new OfflineAudioContext(2, 128, 48_000));
  const d = module.descriptor;
  const row: PluginRow = {
    url: parsed.href,
    identifier: d.identifier ?? '',
    name: d.name || d.identifier || parsed.href,
    vendor: d.vendor ?? '',
    version: d.version ?? '',
    sha256,
    addedAt: Date.now()
  };
  await getDb().plugins.put(row);
  return row;
}

export function removePlugin(url: string): Promise<void> {
  return getDb().plugins.delete(url);
}

/** Whether the module at the plugin's URL still has the hash the person confirmed. */
export async function pluginChanged(row: PluginRow): Promise<boolean> {
  return (await moduleHash(row.url)) !== row.sha256;
}
