/**
 * The third-party plugin library: a plugin is stored only after the person confirmed its URL,
 * with its descriptor and the SHA-256 of its module. Every load of a third-party plugin (render,
 * playback, chain editor) checks the module against that pin first; a changed module runs again
 * only after the person accepts the change here.
 */
import { sha256Hex } from '$lib/core/hash';
import { LatheError } from '$lib/core/errors';
import { describe, instantiate, loadWamConstructor } from './host';
import { measureLatency } from './probe';
import { getDb, type PluginRow } from '$lib/web/store/db';

/** The module's bytes and their SHA-256, fetched past every cache. */
export async function moduleHash(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store' });
  } catch (e) {
    throw new LatheError('plugin-load', `${url} could not be fetched: ${describe(e)}`);
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

/**
 * Loads a confirmed plugin, reads its descriptor, measures its latency and pins its hash. Also
 * how a person accepts a changed module. A load that fails is kept with its reason.
 */
export async function verifyPlugin(url: string): Promise<PluginRow> {
  const row = await getDb().plugins.get(url);
  if (!row) throw new LatheError('plugin-unconfirmed', `${url} has not been confirmed.`);
  try {
    const sha256 = await moduleHash(url);
    const ctor = await loadWamConstructor(url);
    const { module } = await instantiate(ctor, url, new OfflineAudioContext(2, 128, 48_000));
    const d = module.descriptor ?? ({} as typeof module.descriptor);
    const measured = await measureLatency(ctor, url, 48_000).catch(() => undefined);
    const latency = measured && { rateHz: measured.rateHz, reportedSamples: measured.reportedSamples, measuredSamples: measured.measuredSamples };
    const ready: PluginRow = {
      ...row,
      status: 'ready',
      identifier: d.identifier ?? '',
      name: d.name || d.identifier || url,
      vendor: d.vendor ?? '',
      version: d.version ?? '',
      sha256,
      loadError: undefined,
      latency
    };
    await getDb().plugins.put(ready);
    return ready;
  } catch (e) {
    await getDb().plugins.update(url, { loadError: describe(e) });
    throw e;
  }
}

/** Whether a plugin on another origin can load in this page yet, or needs a reload first. */
export function needsReload(url: string): boolean {
  return new URL(url, location.href).origin !== location.origin && !!navigator.serviceWorker?.controller;
}

/**
 * The person accepts a changed module: it goes back to confirmed, to be loaded and pinned afresh on
 * the next page load (this page may hold the refused import; the service worker serves a pinned
 * module only with its pinned bytes).
 */
export async function acceptChange(url: string): Promise<void> {
  await getDb().plugins.update(url, { status: 'confirmed', sha256: '', loadError: undefined });
}

export function removePlugin(url: string): Promise<void> {
  return getDb().plugins.delete(url);
}

export async function saveReport(url: string, report: PluginRow['report']): Promise<void> {
  await getDb().plugins.update(url, { report });
}

/** Whether the module at the plugin's URL still has the hash it had when it was verified. */
export async function pluginChanged(row: PluginRow): Promise<boolean> {
  return (await moduleHash(row.url)) !== row.sha256;
}

/**
 * Throws unless a third-party module may run: it is in the library, pinned, and its bytes have
 * the pinned hash. Same-origin and blob: modules that the app itself made are not pinned.
 */
export async function assertPinned(url: string): Promise<void> {
  const parsed = new URL(url, location.href);
  const row = await getDb().plugins.get(parsed.href);
  if (!row) {
    if (parsed.protocol === 'blob:' || parsed.origin === location.origin) return;
    throw new LatheError('plugin-unconfirmed', `${url} is not in your plugin library: add and confirm it on the Plugins page before it can run.`);
  }
  if (row.status !== 'ready' || !row.sha256) throw new LatheError('plugin-unconfirmed', `${row.name} has not been loaded and pinned yet: open the Plugins page.`);
  const now = await moduleHash(row.url);
  if (now !== row.sha256) {
    throw new LatheError(
      'plugin-changed',
      `${row.name}'s module changed since you confirmed it (SHA-256 ${row.sha256.slice(0, 12)}… is now ${now.slice(0, 12)}…); it will not run until you accept the change on the Plugins page.`
    );
  }
}
