/**
 * The WAM 2.0 host: sets up the WAM environment once per audio context (live or offline) with a
 * random group key, imports plugin modules by URL, and creates instances within a time limit so a
 * plugin that never resolves cannot hang the page. A module that fails to import is explained:
 * the URL that failed, or the policy it broke. Pinned (checked) creation is in load.ts.
 */
import { initializeWamHost } from '@webaudiomodules/sdk';
import type { WebAudioModule, WamNode } from '@webaudiomodules/api';
import { LatheError, type ErrorCode } from '$lib/core/errors';
import { FIRST_PARTY } from '$lib/core/dsp/plugins';

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface WamConstructor {
  isWebAudioModuleConstructor: boolean;
  createInstance(groupId: string, ctx: BaseAudioContext, initialState?: unknown): Promise<WebAudioModule>;
}

const hosts = new WeakMap<BaseAudioContext, Promise<string>>();

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The host group id for a context, setting up the WAM environment in it the first time. */
export function wamGroup(ctx: BaseAudioContext): Promise<string> {
  let group = hosts.get(ctx);
  if (!group) {
    group = initializeWamHost(ctx, `lathe-${randomKey()}`, randomKey()).then(([id]) => id);
    // A failed set-up is forgotten, so the next call tries again instead of failing forever.
    group.catch(() => {
      if (hosts.get(ctx) === group) hosts.delete(ctx);
    });
    hosts.set(ctx, group);
  }
  return group;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, code: ErrorCode = 'plugin-timeout'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LatheError(code, `${what} did not finish within ${(ms / 1000).toFixed(1)} s.`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

export function isFirstParty(plugin: string): boolean {
  return FIRST_PARTY.some((p) => p.id === plugin);
}

/** Where a chain slot's plugin module lives: first-party ids are served by the app. */
export function pluginModuleUrl(plugin: string): string {
  if (!isFirstParty(plugin)) return plugin;
  const file = import.meta.env.DEV ? 'index.ts' : 'index.js';
  return new URL(`/plugins/${plugin}/${file}`, location.href).href;
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const STATIC_IMPORT = /(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g;

/**
 * Why an import failed, when the browser only says "Failed to fetch dynamically imported module":
 * walks the module graph by its static imports and names the first file that does not answer
 * as a script should.
 */
async function failingModule(url: string, seen = new Set<string>()): Promise<string | null> {
  if (seen.has(url) || seen.size > 200 || !/^https?:/.test(url)) return null;
  seen.add(url);
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store' });
  } catch (e) {
    return `${url} could not be fetched (${describe(e)})`;
  }
  if (!response.ok) return `${url} answered HTTP ${response.status}`;
  const type = response.headers.get('content-type') ?? '';
  if (!/javascript|ecmascript/.test(type)) return `${url} is served as "${type || 'no type'}", not JavaScript`;
  const source = await response.text();
  for (const m of source.matchAll(STATIC_IMPORT)) {
    const spec = m[1];
    if (!/^(\.{0,2}\/|https?:)/.test(spec)) continue;
    const bad = await failingModule(new URL(spec, url).href, seen);
    if (bad) return bad;
  }
  return null;
}

/**
 * Collects what goes wrong in the page until `stop()`: security-policy violations (what a plugin
 * tried that the page forbids) and errors nobody caught (a worklet that failed to load inside a
 * plugin that then never resolves).
 */
export function watchPolicy(): { violations: SecurityPolicyViolationEvent[]; explain(): string; stop(): void } {
  const violations: SecurityPolicyViolationEvent[] = [];
  const uncaught: string[] = [];
  const on = (e: SecurityPolicyViolationEvent) => violations.push(e);
  const onRejection = (e: PromiseRejectionEvent) => uncaught.push(describe(e.reason));
  const onError = (e: ErrorEvent) => uncaught.push(e.message);
  const page = typeof window !== 'undefined' ? window : null;
  page?.document.addEventListener('securitypolicyviolation', on);
  page?.addEventListener('unhandledrejection', onRejection);
  page?.addEventListener('error', onError);
  const short = (uri: string) => (uri.length > 60 ? `${uri.slice(0, 57)}…` : uri);
  return {
    violations,
    explain() {
      const v = violations.find((x) => x.blockedURI);
      if (v) {
        const what = v.blockedURI === 'eval' ? 'eval' : v.blockedURI === 'inline' ? 'an inline script' : /^data/.test(v.blockedURI) ? 'a data: URL script' : v.blockedURI;
        const why = /^data|inline/.test(v.blockedURI) ? ' (data: and inline scripts are as open to injection as eval)' : '';
        return `the security policy (${v.effectiveDirective}) blocked ${what}${why}`;
      }
      const worklet = uncaught.find((m) => /worklet module script: data:/i.test(m));
      if (worklet) return 'it loads its AudioWorklet code from a data: URL, which the security policy blocks (data: scripts are as open to injection as eval): serve it as a file or a blob:';
      return uncaught.length ? `meanwhile it failed with "${short(uncaught[0])}"` : '';
    },
    stop() {
      page?.document.removeEventListener('securitypolicyviolation', on);
      page?.removeEventListener('unhandledrejection', onRejection);
      page?.removeEventListener('error', onError);
    }
  };
}

/** Imports a module and checks that its default export is a WAM constructor. */
export async function loadWamConstructor(url: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<WamConstructor> {
  let mod: { default?: unknown };
  const policy = watchPolicy();
  const violations = policy.violations;
  try {
    mod = await withTimeout(import(/* @vite-ignore */ url), timeoutMs, `Loading ${url}`);
  } catch (e) {
    if (e instanceof LatheError) throw e;
    const why = describe(e);
    if (/unsafe-eval|Evaluating a string as JavaScript/.test(why) || violations.some((v) => v.blockedURI === 'eval')) {
      throw new LatheError(
        'plugin-eval',
        `${url} needs eval (it builds code from strings, as webpack's "eval" devtool does). Lathe's security policy forbids eval because a plugin runs with the page's privileges: ship a production build.`
      );
    }
    if (violations.length) throw new LatheError('plugin-load', `${url} could not be loaded: ${policy.explain()}.`);
    const culprit = /Failed to fetch dynamically imported module|error loading dynamically imported module/i.test(why) ? await failingModule(url).catch(() => null) : null;
    throw new LatheError('plugin-load', culprit ? `${url} could not be loaded: ${culprit}.` : `${url} could not be loaded: ${why}`);
  } finally {
    policy.stop();
  }
  const ctor = mod.default as Partial<WamConstructor> | undefined;
  if (!ctor || (typeof ctor !== 'function' && typeof ctor !== 'object') || ctor.isWebAudioModuleConstructor !== true) {
    throw new LatheError('plugin-invalid', `${url} does not export a WAM 2.0 plugin (its default export has no isWebAudioModuleConstructor).`);
  }
  return ctor as WamConstructor;
}

export interface LoadedWam {
  url: string;
  module: WebAudioModule;
  node: WamNode;
}

/**
 * Creates an instance in a context and restores its state explicitly: many plugins ignore the
 * initial state given to createInstance. No pin is checked: chains use load.ts.
 */
export async function instantiate(ctor: WamConstructor, url: string, ctx: BaseAudioContext, state?: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<LoadedWam> {
  const group = await wamGroup(ctx);
  let module: WebAudioModule;
  const policy = watchPolicy();
  try {
    module = await withTimeout(ctor.createInstance(group, ctx, state), timeoutMs, `Creating ${url}`);
  } catch (e) {
    // A worklet or script the policy refused is why many plugins never finish creating.
    const blocked = policy.explain();
    if (e instanceof LatheError && !blocked) throw e;
    const why = describe(e);
    throw new LatheError(e instanceof LatheError ? e.code : 'plugin-create', blocked ? `${url} failed to create an instance: ${blocked}. (${why})` : `${url} failed to create an instance: ${why}`);
  } finally {
    policy.stop();
  }
  const node = module?.audioNode;
  if (!node) throw new LatheError('plugin-create', `${url} created an instance without an audio node.`);
  if (state !== undefined && state !== null) {
    await withTimeout(Promise.resolve(node.setState(state)), timeoutMs, `Restoring the state of ${url}`);
  }
  return { url, module, node };
}

/** Parameters as plain numbers, as the render worker's kernels take them. */
export async function parameterValues(node: WamNode): Promise<Record<string, number>> {
  const values = (await node.getParameterValues(false)) ?? {};
  return Object.fromEntries(Object.values(values).map((v) => [v.id, v.value]));
}
