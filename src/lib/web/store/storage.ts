/**
 * The browser's storage for this origin: asking it to keep the projects (not to evict them under
 * pressure), how much is used and free, and refusing work that will not fit before it starts.
 */
import { LatheError, type ErrorCode } from '$lib/core/errors';

export interface StorageStatus {
  /** true when the browser promised to keep the data; false when it may evict it; null: unknown. */
  persisted: boolean | null;
  usageBytes: number | null;
  quotaBytes: number | null;
}

type StorageApi = Pick<StorageManager, 'persist' | 'persisted' | 'estimate'>;

function api(): StorageApi | null {
  const s = (globalThis as { navigator?: { storage?: StorageApi } }).navigator?.storage;
  return s && typeof s.estimate === 'function' ? s : null;
}

/** Asks the browser to keep this origin's data; true when it will. */
export async function requestPersistence(): Promise<boolean> {
  const s = api();
  if (!s?.persist) return false;
  if (await s.persisted?.()) return true;
  return s.persist().catch(() => false);
}

export async function storageStatus(): Promise<StorageStatus> {
  const s = api();
  if (!s) return { persisted: null, usageBytes: null, quotaBytes: null };
  const [persisted, estimate] = await Promise.all([s.persisted?.().catch(() => null) ?? null, s.estimate().catch(() => null)]);
  return { persisted, usageBytes: estimate?.usage ?? null, quotaBytes: estimate?.quota ?? null };
}

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} B`;
}

/** What stays free, or null when the browser does not say. */
export async function freeBytes(): Promise<number | null> {
  const { usageBytes, quotaBytes } = await storageStatus();
  return usageBytes === null || quotaBytes === null ? null : Math.max(0, quotaBytes - usageBytes);
}

/** The database keeps about this much beside the bytes it stores (keys, records, its own files). */
const OVERHEAD = 1.05;

function noSpace(what: string, needed: number, free: number, file?: string): LatheError {
  const code: ErrorCode = 'no-space';
  const head = file ? what : what[0].toUpperCase() + what.slice(1);
  return new LatheError(code, `${head} needs ${formatBytes(needed)} of the browser's storage and ${formatBytes(free)} is free. Delete projects you no longer need, or free space on the disk, and try again.`, file ? { file } : {});
}

/** Refuses, before anything is stored, work that needs more room than there is. */
export async function assertRoomFor(bytes: number, what: string, file?: string): Promise<void> {
  const free = await freeBytes();
  const needed = Math.ceil(bytes * OVERHEAD);
  if (free !== null && needed > free) throw noSpace(what, needed, free, file);
}

/** Whether something thrown is the browser saying its storage is full (Dexie wraps it, or not). */
export function isQuotaError(e: unknown): boolean {
  for (let x = e as { name?: string; inner?: unknown } | undefined, depth = 0; x && depth < 4; x = x.inner as typeof x, depth++) {
    if (x.name === 'QuotaExceededError') return true;
  }
  return false;
}

/** The error to show when storage ran out part way (what was stored is gone again by then). */
export async function quotaError(what: string, needed: number, file?: string): Promise<LatheError> {
  return noSpace(what, Math.ceil(needed * OVERHEAD), (await freeBytes()) ?? 0, file);
}
