/** Fixed-width ASCII records: text left-aligned and space-padded, numbers right-aligned. */
export function record(length: number): Uint8Array {
  return new Uint8Array(length).fill(0x20);
}

export function putText(rec: Uint8Array, at: number, width: number, text: string): void {
  for (let i = 0; i < width; i++) rec[at + i] = i < text.length ? text.charCodeAt(i) & 0x7f : 0x20;
}

export function putNumber(rec: Uint8Array, at: number, width: number, n: number, pad = ' '): void {
  putText(rec, at, width, String(n).padStart(width, pad));
}

export function getText(rec: Uint8Array, at: number, width: number): string {
  return String.fromCharCode(...rec.subarray(at, at + width));
}

/** A number field; readers accept space or zero padding, and blank means absent. */
export function getNumber(rec: Uint8Array, at: number, width: number): number | null {
  const t = getText(rec, at, width).trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}
