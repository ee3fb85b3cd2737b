/** ISRC: CC XXX YY NNNNN (country letters, registrant, year, designation). Dashes are display only. */
import { LatheError } from '../errors';

const ISRC = /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/;

/** Accepts `GB-AYE-24-00001`, `gbaye2400001`...; returns the 12 characters or throws saying why. */
export function parseIsrc(input: string): string {
  const s = input.replace(/[-\s]/g, '').toUpperCase();
  if (s.length !== 12) throw new LatheError('bad-isrc', `"${input}" is not an ISRC: it has ${s.length} characters, an ISRC has 12 (CC-XXX-YY-NNNNN).`);
  if (!/^[A-Z]{2}/.test(s)) throw new LatheError('bad-isrc', `"${input}" is not an ISRC: it must start with two country letters.`);
  if (!/^[A-Z0-9]{3}$/.test(s.slice(2, 5))) throw new LatheError('bad-isrc', `"${input}" is not an ISRC: the registrant code (characters 3-5) must be letters or digits.`);
  if (!ISRC.test(s)) throw new LatheError('bad-isrc', `"${input}" is not an ISRC: the year and designation (the last 7) must be digits.`);
  return s;
}

export function isValidIsrc(s: string): boolean {
  return ISRC.test(s);
}

export function formatIsrc(isrc: string): string {
  return isrc.length === 12 ? `${isrc.slice(0, 2)}-${isrc.slice(2, 5)}-${isrc.slice(5, 7)}-${isrc.slice(7)}` : isrc;
}

/** ISRCs for `count` tracks in order from a first code, counting up the designation. */
export function assignIsrcs(first: string, count: number): string[] {
  const base = parseIsrc(first);
  const start = Number(base.slice(7));
  if (start + count - 1 > 99_999) throw new LatheError('bad-isrc', `Counting ${count} codes from ${formatIsrc(base)} runs past designation 99999.`);
  return Array.from({ length: count }, (_, i) => base.slice(0, 7) + String(start + i).padStart(5, '0'));
}

/** Track numbers (1-based) that share an ISRC with an earlier track. */
export function duplicateIsrcs(isrcs: string[]): { isrc: string; tracks: number[] }[] {
  const seen = new Map<string, number[]>();
  isrcs.forEach((s, i) => {
    if (!s) return;
    seen.set(s, [...(seen.get(s) ?? []), i + 1]);
  });
  return [...seen].filter(([, t]) => t.length > 1).map(([isrc, tracks]) => ({ isrc, tracks }));
}
