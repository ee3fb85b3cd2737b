/**
 * CD-Text: 18-byte packs (type, track, sequence, block/position, 12 bytes of text, CRC), one
 * block in ISO-8859-1 with English as its language, and the three size-information packs.
 */
import { LatheError } from '../errors';

export const PACK_BYTES = 18;
export const MAX_PACKS_PER_BLOCK = 256;
/** A practical limit plants and players honour for one item. */
export const MAX_FIELD_CHARS = 160;

/** The text fields of CD-Text, in pack-type order: the one list the model, album.json and the UI use. */
export const CD_TEXT_FIELDS = ['title', 'performer', 'songwriter', 'composer', 'arranger', 'message'] as const;
export type CdTextField = (typeof CD_TEXT_FIELDS)[number];

export const CD_TEXT_LABELS: Record<CdTextField, string> = {
  title: 'Title',
  performer: 'Performer',
  songwriter: 'Songwriter',
  composer: 'Composer',
  arranger: 'Arranger',
  message: 'Message'
};

/** Fields a track takes from the album when it has none of its own, as authoring tools do. */
export const INHERITED_FIELDS: readonly CdTextField[] = ['performer', 'songwriter', 'composer', 'arranger'];

export const FIELD_TYPES: Record<CdTextField, number> = {
  title: 0x80,
  performer: 0x81,
  songwriter: 0x82,
  composer: 0x83,
  arranger: 0x84,
  message: 0x85
};
const TYPE_CODES = 0x8e;
const TYPE_SIZE = 0x8f;

export type CdTextItem = Partial<Record<CdTextField, string>>;

export interface CdText {
  disc: CdTextItem & { upc?: string };
  tracks: (CdTextItem & { isrc?: string })[];
}

export interface CdTextProblem {
  where: string;
  message: string;
}

/** CRC-16/CCITT, polynomial 0x1021, initial 0, over bytes 0-15; stored inverted. */
export function cdTextCrc(pack: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < 16; i++) {
    crc ^= pack[i] << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return ~crc & 0xffff;
}

function latin1(text: string): number[] | null {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c > 0xff || c === 0 || (c < 0x20 && c !== 0x09)) return null;
    out.push(c);
  }
  return out;
}

/** Everything that would stop the CD-Text from being written, each with where it is. */
export function checkCdText(text: CdText): CdTextProblem[] {
  const problems: CdTextProblem[] = [];
  const items: [string, CdTextItem][] = [['Album', text.disc], ...text.tracks.map((t, i): [string, CdTextItem] => [`Track ${i + 1}`, t])];
  for (const [where, item] of items) {
    for (const field of CD_TEXT_FIELDS) {
      const v = item[field];
      if (!v) continue;
      if (latin1(v) === null) problems.push({ where, message: `the ${CD_TEXT_LABELS[field].toLowerCase()} "${v}" has characters outside ISO-8859-1 (Latin-1), which CD-Text cannot hold.` });
      if ([...v].length > MAX_FIELD_CHARS) problems.push({ where, message: `the ${CD_TEXT_LABELS[field].toLowerCase()} is ${[...v].length} characters; CD-Text allows ${MAX_FIELD_CHARS}.` });
    }
  }
  if (problems.length === 0) {
    const packs = packCount(text);
    if (packs > MAX_PACKS_PER_BLOCK) problems.push({ where: 'Album', message: `the CD-Text needs ${packs} packs; one block holds ${MAX_PACKS_PER_BLOCK}. Shorten titles or messages.` });
  }
  return problems;
}

function streams(text: CdText): { type: number; strings: number[][] }[] {
  const out: { type: number; strings: number[][] }[] = [];
  for (const [field, type] of Object.entries(FIELD_TYPES) as [CdTextField, number][]) {
    const all = [text.disc[field] ?? '', ...text.tracks.map((t) => t[field] ?? '')];
    if (all.every((s) => !s)) continue;
    out.push({ type, strings: all.map((s) => latin1(s) ?? []) });
  }
  const codes = [text.disc.upc ?? '', ...text.tracks.map((t) => t.isrc ?? '')];
  if (codes.some((s) => s)) out.push({ type: TYPE_CODES, strings: codes.map((s) => latin1(s) ?? []) });
  return out;
}

function packsFor(strings: number[][]): number {
  const bytes = strings.reduce((n, s) => n + s.length + 1, 0);
  return Math.ceil(bytes / 12);
}

function packCount(text: CdText): number {
  return streams(text).reduce((n, s) => n + packsFor(s.strings), 0) + 3;
}

/** Encodes CDTEXT.BIN: the packs of one block, then its three size-information packs. */
export function encodeCdText(text: CdText): Uint8Array {
  const problems = checkCdText(text);
  if (problems.length) throw new LatheError('bad-cdtext', problems.map((p) => `${p.where}: ${p.message}`).join(' '));
  const packs: Uint8Array[] = [];
  const counts = new Array(16).fill(0);
  for (const { type, strings } of streams(text)) {
    // One stream of NUL-terminated strings, cut into 12-byte payloads; each pack records which
    // string its first byte belongs to and how far into that string it starts.
    const bytes: number[] = [];
    const owner: number[] = [];
    const position: number[] = [];
    strings.forEach((s, track) => {
      for (let k = 0; k <= s.length; k++) {
        bytes.push(k < s.length ? s[k] : 0);
        owner.push(track);
        position.push(k);
      }
    });
    for (let at = 0; at < bytes.length; at += 12) {
      const p = new Uint8Array(PACK_BYTES);
      p[0] = type;
      p[1] = owner[at];
      p[2] = packs.length;
      p[3] = Math.min(15, position[at]);
      for (let k = 0; k < 12; k++) p[4 + k] = bytes[at + k] ?? 0;
      packs.push(p);
      counts[type - 0x80]++;
    }
  }
  counts[TYPE_SIZE - 0x80] = 3;
  const lastSequence = packs.length + 2;
  const size = new Uint8Array(36);
  size[0] = 0x00; // ISO-8859-1
  size[1] = 1;
  size[2] = text.tracks.length;
  size[3] = 0;
  counts.forEach((c, i) => (size[4 + i] = c));
  size[20] = lastSequence;
  size[28] = 0x09; // English
  for (let k = 0; k < 3; k++) {
    const p = new Uint8Array(PACK_BYTES);
    p[0] = TYPE_SIZE;
    p[1] = k;
    p[2] = packs.length;
    p[3] = 0;
    p.set(size.subarray(k * 12, k * 12 + 12), 4);
    packs.push(p);
  }
  const out = new Uint8Array(packs.length * PACK_BYTES);
  packs.forEach((p, i) => {
    const crc = cdTextCrc(p);
    p[16] = crc >> 8;
    p[17] = crc & 0xff;
    out.set(p, i * PACK_BYTES);
  });
  return out;
}

export interface DecodedCdText extends CdText {
  badCrcPacks: number[];
  language: number;
  charset: number;
}

/** Reads CDTEXT.BIN back (block 0), checking every pack's CRC. */
export function decodeCdText(bin: Uint8Array): DecodedCdText {
  if (bin.length % PACK_BYTES !== 0) throw new LatheError('bad-cdtext', `CDTEXT.BIN is ${bin.length} bytes, not a whole number of 18-byte packs.`);
  const badCrcPacks: number[] = [];
  const byType = new Map<number, number[]>();
  let size: number[] = [];
  for (let i = 0; i < bin.length / PACK_BYTES; i++) {
    const p = bin.subarray(i * PACK_BYTES, (i + 1) * PACK_BYTES);
    if (cdTextCrc(p) !== ((p[16] << 8) | p[17])) badCrcPacks.push(i);
    if (((p[3] >> 4) & 7) !== 0) continue;
    if (p[0] === TYPE_SIZE) size = size.concat([...p.subarray(4, 16)]);
    else byType.set(p[0], [...(byType.get(p[0]) ?? []), ...p.subarray(4, 16)]);
  }
  const lastTrack = size[2] ?? 0;
  const split = (bytes: number[]) => {
    const out: string[] = [];
    let cur = '';
    for (const b of bytes) {
      if (b === 0) {
        out.push(cur === '\t' ? (out.at(-1) ?? '') : cur);
        cur = '';
      } else cur += String.fromCharCode(b);
    }
    return out;
  };
  const text: CdText = { disc: {}, tracks: Array.from({ length: lastTrack }, () => ({})) };
  for (const [field, type] of Object.entries(FIELD_TYPES) as [CdTextField, number][]) {
    const strings = split(byType.get(type) ?? []);
    if (strings[0]) text.disc[field] = strings[0];
    for (let t = 0; t < lastTrack; t++) if (strings[t + 1]) text.tracks[t][field] = strings[t + 1];
  }
  const codes = split(byType.get(TYPE_CODES) ?? []);
  if (codes[0]) text.disc.upc = codes[0];
  for (let t = 0; t < lastTrack; t++) if (codes[t + 1]) text.tracks[t].isrc = codes[t + 1];
  return { ...text, badCrcPacks, language: size[28] ?? 0, charset: size[0] ?? 0 };
}
