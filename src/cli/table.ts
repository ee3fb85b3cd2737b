/** A plain-text table with aligned columns. */
export function table(head: string[], rows: string[][], align: ('left' | 'right')[]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells.map((s, c) => (align[c] === 'right' ? s.padStart(widths[c]) : s.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
