/** Every metadata problem of an album, for the export dialog and the CLI. */
import type { Album, TextFields } from './model';
import type { Problem } from '../problems';
import { isLatheError } from '../errors';
import { duplicateIsrcs, parseIsrc, formatIsrc } from '../metadata/isrc';
import { parseUpc } from '../metadata/upc';
import { checkCdText, CD_TEXT_FIELDS, INHERITED_FIELDS, type CdText } from '../metadata/cdtext';

/** The album's own text fields, its artist as the performer. */
export function albumText(album: Album): TextFields {
  return { title: album.title, performer: album.artist, songwriter: album.songwriter, composer: album.composer, arranger: album.arranger, message: album.message };
}

/** A track's text as delivered: a field it leaves empty is taken from the album where CD authoring does so. */
export function deliveredTrackText(album: Album, index: number): TextFields {
  const t = album.tracks[index];
  const disc = albumText(album);
  const out = Object.fromEntries(CD_TEXT_FIELDS.map((f) => [f, t[f]])) as TextFields;
  for (const f of INHERITED_FIELDS) if (!out[f]) out[f] = disc[f];
  return out;
}

export function albumCdText(album: Album): CdText {
  return {
    disc: { ...albumText(album), upc: album.upc || undefined },
    tracks: album.tracks.map((t, i) => ({ ...deliveredTrackText(album, i), isrc: t.isrc || undefined }))
  };
}

export function metadataProblems(album: Album): Problem[] {
  const out: Problem[] = [];
  const why = (e: unknown) => (isLatheError(e) ? e.message : String(e));
  if (album.upc) {
    try {
      parseUpc(album.upc);
    } catch (e) {
      out.push({ code: 'bad-upc', severity: 'error', message: `Album UPC/EAN: ${why(e)}` });
    }
  }
  album.tracks.forEach((t, i) => {
    if (!t.isrc) return;
    try {
      parseIsrc(t.isrc);
    } catch (e) {
      out.push({ code: 'bad-isrc', severity: 'error', trackIndex: i, message: `Track ${i + 1} ISRC: ${why(e)}` });
    }
  });
  for (const d of duplicateIsrcs(album.tracks.map((t) => t.isrc))) {
    out.push({ code: 'duplicate-isrc', severity: 'error', trackIndex: d.tracks[1] - 1, message: `Tracks ${d.tracks.join(', ')} share the ISRC ${formatIsrc(d.isrc)}; each recording needs its own.` });
  }
  for (const p of checkCdText(albumCdText(album))) out.push({ code: 'cdtext', severity: 'error', message: `CD-Text, ${p.where}: ${p.message}` });
  return out;
}
