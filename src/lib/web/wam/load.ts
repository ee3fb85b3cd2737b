/**
 * Creating a chain slot's plugin: first-party modules are served by the app; a third-party
 * module runs only when its bytes still have the SHA-256 pinned in the library (checked before
 * every load: render, playback, chain editor).
 */
import { DEFAULT_TIMEOUT_MS, instantiate, isFirstParty, loadWamConstructor, pluginModuleUrl, type LoadedWam } from './host';
import { assertPinned } from './library';

export async function createWam(url: string, ctx: BaseAudioContext, state?: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<LoadedWam> {
  if (!isFirstParty(url)) await assertPinned(url);
  const ctor = await loadWamConstructor(pluginModuleUrl(url), timeoutMs);
  return instantiate(ctor, url, ctx, state, timeoutMs);
}
