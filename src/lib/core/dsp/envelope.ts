/** Envelope followers' time constants: the one definition every kernel and meter uses. */

/**
 * The one-pole coefficient with which an envelope covers 1 - 1/e (63 %) of a step in `ms`:
 * y += (1 - k) * (x - y) each sample.
 */
export function timeConstant(ms: number, rateHz: number): number {
  return Math.exp(-1 / ((ms / 1000) * rateHz));
}
