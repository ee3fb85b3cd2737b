/**
 * Values a person typed that were not applied (an ISRC of two letters, a gap of "abc"). The field
 * says so beside itself, and the export lists each as an error until it is fixed or reverted.
 */
import type { Problem } from '$lib/core/problems';

export interface PendingEntry {
  key: string;
  /** What the field is, for a person: "ISRC of track 2". */
  label: string;
  text: string;
  message: string;
}

export class PendingEntries {
  list = $state.raw<PendingEntry[]>([]);

  set(entry: PendingEntry): void {
    this.list = [...this.list.filter((e) => e.key !== entry.key), entry];
  }

  clear(key: string): void {
    if (this.has(key)) this.list = this.list.filter((e) => e.key !== key);
  }

  has(key: string): boolean {
    return this.list.some((e) => e.key === key);
  }

  /** Each as an export error. */
  problems(): Problem[] {
    return this.list.map((e) => ({ code: 'unapplied-entry', severity: 'error', message: `${e.label}: "${e.text}" was not applied (${e.message.replace(/\.$/, "")}); fix it or press Esc in the field to revert.` }));
  }
}
