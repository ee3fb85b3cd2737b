/** What the WAM validator reports: kept with a library plugin, printed by the CLI. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  id: string;
  label: string;
  status: CheckStatus;
  /** What was measured, with units ("adds 2.0e-4 (−74.0 dBFS)"). */
  measured: string;
  /** What passes ("under 1e-5 (−100 dBFS)"). */
  threshold: string;
  detail: string;
}

export type PluginKind = 'effect' | 'instrument' | 'generator' | 'no audio output';

export interface ValidationReport {
  url: string;
  ok: boolean;
  verdict: CheckStatus;
  /** One line: the verdict and the checks that decided it. */
  summary: string;
  identifier: string | null;
  name: string | null;
  kind: PluginKind | null;
  checks: CheckResult[];
  durationMs: number;
}

