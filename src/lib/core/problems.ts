/** What a check finds: the album's Red Book and metadata rules, a DDP read back, mix readiness. */
export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  code: string;
  severity: Severity;
  message: string;
  /** 0-based track index the problem belongs to, if any. */
  trackIndex?: number;
  /** Which index of the track it is about: 1 for INDEX 01, 2 for INDEX 02 (the first mark), and so on. */
  index?: number;
}
