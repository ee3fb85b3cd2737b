/**
 * The WAM 2.0 host: sets up the WAM environment once per audio context (live or offline) with a
 * random group key, loads plugin modules by URL, and creates instances within a time limit so a
 * plugin that never resolves cannot hang the page.
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Imports a module and checks that its default export is a WAM constructor. */
export async function loadWamConstructor(url: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<WamConstructor> {
  let mod: { default?: unknown };
  try {
    mod = await withTimeout(import(/* @vite-ignore */ url), timeoutMs, `Loading ${url}`);
  } catch (e) {
    if (e instanceof LatheError) throw e;
    throw new LatheError('plugin-load', `${url} could not be loaded: ${describe(e)}`);
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
 * Creates a plugin instance in a context and restores its state explicitly: many plugins ignore
 * the initial state given to createInstance.
 */
export async function createWam(url: string, ctx: BaseAudioContext, state?: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<LoadedWam> {
  const ctor = await loadWamConstructor(url, timeoutMs);
  const group = await wamGroup(ctx);
  let module: WebAudioModule;
  try {
    module = await withTimeout(ctor.createInstance(group, ctx, state), timeoutMs, `Creating ${url}`);
  } catch (e) {
    if (e instanceof LatheError) throw e;
    throw new LatheError('plugin-create', `${url} failed to create an instance: ${describe(e)}`);
  }
  const node = module.audioNode;
  if (!node) throw new LatheError('plugin-create', `${url} created an instance without an audio node.`);
  if (state !== undefined && state !== null) {
    await withTimeout(node.setState(state), timeoutMs, `Restoring the state of ${url}`);
  }
  return { url, module, node };
}

/** Parameters as plain numbers, as the render worker's kernels take them. */
export async function parameterValues(node: WamNode): Promise<Record<string, number>> {
  const values = await node.getParameterValues(false);
  return Object.fromEntries(Object.values(values).map((v) => [v.id, v.value]));
}
