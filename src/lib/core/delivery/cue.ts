/** A CUE sheet for the .bin image: CATALOG, CD-Text fields, FLAGS, ISRC and INDEX 00/01... */
import type { Album } from '../album/model';
import type { CdLayout } from './cdlayout';
import { msf } from './cdlayout';

/** CUE strings have no escape: double quotes become single ones, line breaks spaces. */
const q = (s: string) => `"${s.replace(/"/g, "'").replace(/[\r\n]+/g, ' ')}"`;

export function cueSheet(album: Album, layout: CdLayout, binName: string): string {
  const lines: string[] = ['REM COMMENT "Lathe"'];
  if (album.upc) lines.push(`CATALOG ${album.upc}`);
  if (album.artist) lines.push(`PERFORMER ${q(album.artist)}`);
  if (album.title) lines.push(`TITLE ${q(album.title)}`);
  lines.push(`FILE ${q(binName)} BINARY`);
  layout.tracks.forEach((t, i) => {
    const tr = album.tracks[i];
    lines.push(`  TRACK ${String(t.number).padStart(2, '0')} AUDIO`);
    if (tr.title) lines.push(`    TITLE ${q(tr.title)}`);
    if (tr.performer) lines.push(`    PERFORMER ${q(tr.performer)}`);
    if (tr.songwriter) lines.push(`    SONGWRITER ${q(tr.songwriter)}`);
    if (tr.composer) lines.push(`    COMPOSER ${q(tr.composer)}`);
    if (tr.arranger) lines.push(`    ARRANGER ${q(tr.arranger)}`);
    if (tr.message) lines.push(`    MESSAGE ${q(tr.message)}`);
    const flags = [t.copyPermitted ? 'DCP' : '', t.preEmphasis ? 'PRE' : ''].filter(Boolean);
    if (flags.length) lines.push(`    FLAGS ${flags.join(' ')}`);
    if (t.isrc) lines.push(`    ISRC ${t.isrc}`);
    if (t.index00 !== null && t.index00 < t.index01) lines.push(`    INDEX 00 ${msf(t.index00)}`);
    lines.push(`    INDEX 01 ${msf(t.index01)}`);
    t.indexes.forEach((f, k) => lines.push(`    INDEX ${String(k + 2).padStart(2, '0')} ${msf(f)}`));
  });
  return `${lines.join('\r\n')}\r\n`;
}
