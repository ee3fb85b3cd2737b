/** The printable PQ sheet: what the plant checks the pressing against. Every text is escaped. */
import type { Album } from '../album/model';
import type { CdLayout } from '../album/cd-layout';
import { msf } from '../album/cd-layout';
import { formatIsrc } from '../metadata/isrc';
import { deliveredTrackText } from '../album/metadata-check';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export interface PqSheetInfo {
  imageMd5: string;
  createdIso: string;
}

export function pqSheet(album: Album, layout: CdLayout, info: PqSheetInfo): string {
  const e = escapeHtml;
  const rows: string[] = [];
  layout.tracks.forEach((t, i) => {
    const tr = deliveredTrackText(album, i);
    const next = layout.tracks[i + 1];
    const duration = (next ? next.index01 : layout.leadOut) - t.index01;
    const flags = [t.preEmphasis ? 'PRE' : '', t.copyPermitted ? 'DCP' : ''].filter(Boolean).join(' ') || '–';
    const pregap = t.index00 === null ? '–' : msf(t.index01 - t.index00);
    if (t.index00 !== null && t.index00 < t.index01) {
      rows.push(`<tr class="pause"><td>${t.number}</td><td>00</td><td>${msf(t.index00)}</td><td></td><td></td><td></td><td></td><td class="title">pause</td></tr>`);
    }
    rows.push(
      `<tr><td>${t.number}</td><td>01</td><td>${msf(t.index01)}</td><td>${msf(duration)}</td><td>${pregap}</td><td>${e(t.isrc ? formatIsrc(t.isrc) : '–')}</td><td>${flags}</td><td class="title">${e(tr.title)}${tr.performer ? ` <span class="by">— ${e(tr.performer)}</span>` : ''}</td></tr>`
    );
    t.indexes.forEach((f, k) => rows.push(`<tr class="index"><td>${t.number}</td><td>${String(k + 2).padStart(2, '0')}</td><td>${msf(f)}</td><td></td><td></td><td></td><td></td><td></td></tr>`));
  });
  rows.push(`<tr class="leadout"><td>AA</td><td>01</td><td>${msf(layout.leadOut)}</td><td></td><td></td><td></td><td></td><td class="title">lead-out</td></tr>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PQ sheet — ${e(album.title)}</title>
<style>
body { font: 12px/1.4 system-ui, sans-serif; color: #111; margin: 24px; }
h1 { font-size: 18px; margin: 0 0 4px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; }
dt { color: #555; } dd { margin: 0; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ccc; padding: 3px 6px; text-align: left; }
th { background: #eee; }
tr.pause td, tr.index td, tr.leadout td { color: #555; }
.by { color: #555; }
code { font-size: 11px; }
@media print { body { margin: 0; } th { background: none; border-bottom: 2px solid #000; } tr { break-inside: avoid; } }
</style></head><body>
<h1>${e(album.title)}</h1>
<div>${e(album.artist)}</div>
<dl>
<dt>UPC/EAN</dt><dd>${e(album.upc || '–')}</dd>
<dt>Catalog</dt><dd>${e(album.catalog || '–')}</dd>
<dt>Tracks</dt><dd>${layout.tracks.length}</dd>
<dt>Total time</dt><dd>${msf(layout.leadOut)}</dd>
<dt>IMAGE.DAT MD5</dt><dd><code>${e(info.imageMd5)}</code></dd>
<dt>Created</dt><dd>${e(info.createdIso)}</dd>
</dl>
<table><thead><tr><th>Track</th><th>Index</th><th>Start</th><th>Duration</th><th>Pregap</th><th>ISRC</th><th>Flags</th><th>Title</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</body></html>
`;
}
