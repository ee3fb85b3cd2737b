/** A CUE sheet for the .bin image: CATALOG, CD-Text fields, FLAGS, ISRC and INDEX 00/01... */
import type { Album, TextFields } from '../album/model';
import { albumText, deliveredTrackText } from '../album/metadata-check';
import { CD_TEXT_FIELDS } from '../metadata/cdtext';
import type { CdLayout } from '../album/cd-layout';
import { msf } from '../album/cd-layout';

/** CUE strings have no escape: double quotes become single ones, line breaks spaces. */
const q = (s: string) => `"${s.replace(/"/g, "'").replace(/[\r\n]+/g, ' ')}"`;

export function cueSheet(album: Album, layout: CdLayout, binName: string): string {
  const lines: string[] = ['REM COMMENT "Lathe"'];
  if (album.upc) lines.push(`CATALOG ${album.upc}`);
  // CUE (CDRWIN) has commands for these three only; cdrdao refuses any other, so the rest are REM.
  const commands = new Set(['title', 'performer', 'songwriter']);
  const text = (indent: string, fields: TextFields) => {
    for (const f of CD_TEXT_FIELDS) if (fields[f]) lines.push(`${indent}${commands.has(f) ? '' : 'REM '}${f.toUpperCase()} ${q(fields[f])}`);
  };
  text('', albumText(album));
  lines.push(`FILE ${q(binName)} BINARY`);
  layout.tracks.forEach((t, i) => {
    lines.push(`  TRACK ${String(t.number).padStart(2, '0')} AUDIO`);
    text('    ', deliveredTrackText(album, i));
    const flags = [t.copyPermitted ? 'DCP' : '', t.preEmphasis ? 'PRE' : ''].filter(Boolean);
    if (flags.length) lines.push(`    FLAGS ${flags.join(' ')}`);
    if (t.isrc) lines.push(`    ISRC ${t.isrc}`);
    if (t.index00 !== null && t.index00 < t.index01) lines.push(`    INDEX 00 ${msf(t.index00)}`);
    lines.push(`    INDEX 01 ${msf(t.index01)}`);
    t.indexes.forEach((f, k) => lines.push(`    INDEX ${String(k + 2).padStart(2, '0')} ${msf(f)}`));
  });
  return `${lines.join('\r\n')}\r\n`;
}
