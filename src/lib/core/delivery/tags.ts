/**
 * The release tags every master file carries, from the album model, and their WAV forms: a
 * `LIST/INFO` chunk, a Broadcast Wave `bext` chunk and an `id3 ` chunk (ID3v2.3, written by
 * browser-id3-writer) that holds the ISRC as TSRC. FLAC gets the same tags as Vorbis comments.
 */
import { ID3Writer } from 'browser-id3-writer';
import type { Album } from '../album/model';
import type { Artwork } from '../metadata/artwork';

export interface TrackTags {
  title: string;
  artist: string;
  album: string;
  albumArtist: string;
  trackNumber: number;
  tracksTotal: number;
  discNumber: number;
  discsTotal: number;
  isrc: string;
  upc: string;
  year: string;
  copyright: string;
  artwork?: Artwork;
}

export function trackTags(album: Album, index: number, artwork?: Artwork): TrackTags {
  const t = album.tracks[index];
  return {
    title: t.title,
    artist: t.performer || album.artist,
    album: album.title,
    albumArtist: album.artist,
    trackNumber: index + 1,
    tracksTotal: album.tracks.length,
    discNumber: 1,
    discsTotal: 1,
    isrc: t.isrc,
    upc: album.upc,
    year: album.year ?? '',
    copyright: album.copyright ?? '',
    ...(artwork ? { artwork } : {})
  };
}

const utf8 = new TextEncoder();

/** RIFF text: UTF-8 (what current readers expect), NUL-terminated. */
function riffText(s: string): Uint8Array {
  const b = utf8.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

/** `LIST` chunk data: "INFO" and the text fields that are set. */
export function infoChunk(tags: TrackTags): Uint8Array {
  const fields: [string, string][] = [
    ['INAM', tags.title],
    ['IART', tags.artist],
    ['IPRD', tags.album],
    ['ITRK', `${tags.trackNumber}/${tags.tracksTotal}`],
    ['ICRD', tags.year],
    ['ICOP', tags.copyright],
    ['ISFT', 'Lathe']
  ];
  const parts = fields.filter(([, v]) => v).map(([id, v]) => [id, riffText(v)] as const);
  const size = 4 + parts.reduce((n, [, d]) => n + 8 + d.length + (d.length & 1), 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out.set(utf8.encode('INFO'), 0);
  let p = 4;
  for (const [id, d] of parts) {
    out.set(utf8.encode(id), p);
    v.setUint32(p + 4, d.length, true);
    out.set(d, p + 8);
    p += 8 + d.length + (d.length & 1);
  }
  return out;
}

function ascii(out: Uint8Array, at: number, length: number, s: string): void {
  for (let i = 0; i < Math.min(length, s.length); i++) {
    const c = s.charCodeAt(i);
    out[at + i] = c < 0x20 || c > 0x7e ? 0x3f : c;
  }
}

export interface BextInfo {
  /** When the file was made: "YYYY-MM-DD" and "HH:MM:SS". */
  date: string;
  time: string;
  /** Where the file's first sample sits in the album, in samples at its rate. */
  timeReferenceSamples: number;
  rateHz: number;
  bits: number;
}

/** A `bext` chunk (EBU Tech 3285 version 1): description, originator, time reference, coding history. */
export function bextChunk(tags: TrackTags, info: BextInfo): Uint8Array {
  const history = `A=PCM,F=${info.rateHz},W=${info.bits},M=stereo,T=Lathe\r\n`;
  const out = new Uint8Array(602 + history.length);
  const v = new DataView(out.buffer);
  ascii(out, 0, 256, `${tags.artist} - ${tags.title}${tags.isrc ? ` (ISRC ${tags.isrc})` : ''}`);
  ascii(out, 256, 32, 'Lathe');
  ascii(out, 288, 32, tags.isrc || tags.upc);
  ascii(out, 320, 10, info.date);
  ascii(out, 330, 8, info.time);
  v.setUint32(338, info.timeReferenceSamples % 2 ** 32, true);
  v.setUint32(342, Math.floor(info.timeReferenceSamples / 2 ** 32), true);
  v.setUint16(346, 1, true);
  ascii(out, 602, history.length, history);
  return out;
}

/** An `id3 ` chunk's data: an ID3v2.3 tag, without padding. */
export function id3Chunk(tags: TrackTags): Uint8Array {
  const w = new ID3Writer(new ArrayBuffer(0));
  (w as unknown as { padding: number }).padding = 0;
  if (tags.title) w.setFrame('TIT2', tags.title);
  if (tags.artist) w.setFrame('TPE1', [tags.artist]);
  if (tags.album) w.setFrame('TALB', tags.album);
  if (tags.albumArtist) w.setFrame('TPE2', tags.albumArtist);
  w.setFrame('TRCK', `${tags.trackNumber}/${tags.tracksTotal}`);
  w.setFrame('TPOS', `${tags.discNumber}/${tags.discsTotal}`);
  if (tags.isrc) w.setFrame('TSRC', tags.isrc);
  if (tags.year) w.setFrame('TYER', Number(tags.year));
  if (tags.copyright) w.setFrame('TCOP', tags.copyright);
  if (tags.upc) w.setFrame('TXXX', { description: 'BARCODE', value: tags.upc });
  if (tags.artwork) w.setFrame('APIC', { type: 3, data: tags.artwork.bytes.slice().buffer, description: 'Cover' });
  return new Uint8Array(w.addTag());
}

/** The same tags as FLAC Vorbis comments (names as metaflac and players read them). */
export function vorbisComments(tags: TrackTags): Record<string, string> {
  const all: Record<string, string> = {
    TITLE: tags.title,
    ARTIST: tags.artist,
    ALBUM: tags.album,
    ALBUMARTIST: tags.albumArtist,
    TRACKNUMBER: String(tags.trackNumber),
    TRACKTOTAL: String(tags.tracksTotal),
    DISCNUMBER: String(tags.discNumber),
    DISCTOTAL: String(tags.discsTotal),
    ISRC: tags.isrc,
    BARCODE: tags.upc,
    DATE: tags.year,
    COPYRIGHT: tags.copyright
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v));
}
