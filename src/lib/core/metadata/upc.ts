/** UPC-A / EAN-13 codes, as on the disc and in the DDP. */
import { LatheError } from '../errors';

/** EAN-13 check digit over the first 12 digits: weights 1, 3, 1, 3... */
export function eanCheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/** Accepts a 13-digit EAN or a 12-digit UPC-A (prefixed with 0); spaces and dashes are ignored. */
export function parseUpc(input: string): string {
  const s = input.replace(/[-\s]/g, '');
  if (!/^\d+$/.test(s)) throw new LatheError('bad-upc', `"${input}" is not a UPC/EAN: only digits are allowed.`);
  const ean = s.length === 12 ? `0${s}` : s;
  if (ean.length !== 13) throw new LatheError('bad-upc', `"${input}" is not a UPC/EAN: it has ${s.length} digits; a UPC-A has 12, an EAN-13 has 13.`);
  const check = eanCheckDigit(ean);
  if (Number(ean[12]) !== check) throw new LatheError('bad-upc', `"${input}" has a wrong check digit: it should end in ${check}.`);
  return ean;
}
