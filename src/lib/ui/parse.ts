/** Reading what a person types into fields: numbers with a decimal comma or point, and units. */
import { LatheError, errorMessage } from '$lib/core/errors';

/** Seconds, 0 or more ("2", "1.5", "1,5"). */
export function parseSeconds(text: string, what: string): number {
  const t = text.trim().replace(',', '.').replace(/\s*s$/i, '');
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v)) throw new LatheError('bad-value', `"${text}" is not a number of seconds; type ${what} like 2 or 1.5.`);
  if (v < 0) throw new LatheError('bad-value', `${what[0].toUpperCase()}${what.slice(1)} cannot be negative.`);
  return v;
}

/** A whole number in [min, max] ("5"), saying what it counts. */
export function parseWhole(text: string, what: string, min: number, max: number): number {
  const t = text.trim();
  const v = /^[+-]?\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isInteger(v)) throw new LatheError('bad-value', `"${text}" is not a whole number of ${what}.`);
  if (v < min || v > max) throw new LatheError('bad-value', `${v} ${what} is outside ${min} to ${max}.`);
  return v;
}

/** Any finite number, with a decimal comma or point ("-0.5", "0,25"). */
export function parseNumber(text: string): number {
  const t = text.trim().replace(',', '.');
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v)) throw new LatheError('bad-value', `"${text}" is not a number.`);
  return v;
}

/** Runs an edit a person asked for; its error, named, goes to `report` ('' when it worked). */
export function attempt(f: () => void, report: (message: string) => void): void {
  try {
    report('');
    f();
  } catch (e) {
    report(errorMessage(e));
  }
}
