/** Reads a DDP 2.00 CD-DA fileset back and checks everything a plant would. */
import { LatheError } from '../errors';
import type { ByteSource } from '../audio/source';
import type { Problem } from '../problems';
import { md5Stream, type HashFactory } from '../hash';
import { decodeCdText, type DecodedCdText } from '../metadata/cdtext';
import { isValidIsrc } from '../metadata/isrc';
import { eanCheckDigit } from '../metadata/upc';
import { getNumber, getText } from './fixed';
import { BYTES_PER_FRAME, CD_RATE_HZ, msf, type CdTrack } from '../album/cd-layout';
import { checkCdTracks } from '../album/redbook';

/** A folder of files, wherever it lives (disk, zip, memory). Names match case-insensitively. */
export interface FilesetSource {
  names(): Promise<string[]>;
  read(name: string): Promise<Uint8Array>;
  open(name: string): Promise<ByteSource>;
}

export interface MsPacket {
  type: string;
  length: number;
  sub: string;
  cdMode: string;
  pregap2: number | null;
  track: string;
  name: string;
}

export interface ReadPqEntry {
  track: string;
  index: number;
  frame: number;
  control: number;
  isrc: string;
  upc: string;
}

/** A track as the fileset describes it: the layout fields, plus its CD-Text. */
export interface ReadTrack extends CdTrack {
  title: string;
  performer: string;
}

export interface DdpFileset {
  level: string;
  upc: string;
  masterId: string;
  packets: MsPacket[];
  pq: ReadPqEntry[];
  tracks: ReadTrack[];
  leadOut: number;
  imageName: string;
  imageBytes: number;
  cdText: DecodedCdText | null;
  title: string;
  performer: string;
}

export interface DdpReport {
  fileset: DdpFileset;
  problems: Problem[];
  checksums: { name: string; ok: boolean }[];
}

async function find(src: FilesetSource, name: string): Promise<string | null> {
  const all = await src.names();
  return all.find((n) => n.toUpperCase() === name.toUpperCase()) ?? null;
}

function parsePackets(bytes: Uint8Array): MsPacket[] {
  if (bytes.length % 128 !== 0) throw new LatheError('bad-ddp', `DDPMS is ${bytes.length} bytes, not a whole number of 128-byte packets.`);
  const out: MsPacket[] = [];
  for (let at = 0; at < bytes.length; at += 128) {
    const p = bytes.subarray(at, at + 128);
    if (getText(p, 0, 4) !== 'VVVM') throw new LatheError('bad-ddp', `DDPMS packet ${at / 128 + 1} does not start with VVVM.`);
    out.push({
      type: getText(p, 4, 2).trim(),
      length: getNumber(p, 14, 8) ?? 0,
      sub: getText(p, 30, 8).trim(),
      cdMode: getText(p, 38, 2).trim(),
      pregap2: getNumber(p, 46, 4),
      track: getText(p, 55, 2).trim(),
      name: getText(p, 74, 17).trim()
    });
  }
  return out;
}

function parsePq(bytes: Uint8Array): ReadPqEntry[] {
  if (bytes.length % 64 !== 0) throw new LatheError('bad-ddp', `the PQ descriptor is ${bytes.length} bytes, not a whole number of 64-byte entries.`);
  const out: ReadPqEntry[] = [];
  for (let at = 0; at < bytes.length; at += 64) {
    const e = bytes.subarray(at, at + 64);
    if (getText(e, 0, 4) !== 'VVVS') throw new LatheError('bad-ddp', `PQ entry ${at / 64 + 1} does not start with VVVS.`);
    const min = getNumber(e, 10, 2) ?? 0;
    const sec = getNumber(e, 12, 2) ?? 0;
    const frm = getNumber(e, 14, 2) ?? 0;
    const c1 = getText(e, 16, 2).trim();
    out.push({
      track: getText(e, 4, 2).trim(),
      index: getNumber(e, 6, 2) ?? 0,
      frame: (min * 60 + sec) * 75 + frm,
      control: c1 ? parseInt(c1[0], 16) : 0,
      isrc: getText(e, 20, 12).trim(),
      upc: getText(e, 32, 13).trim()
    });
  }
  return out;
}

function tracksFrom(pq: ReadPqEntry[], leadOut: number, cdText: DecodedCdText | null): ReadTrack[] {
  const byTrack = new Map<number, ReadPqEntry[]>();
  for (const e of pq) {
    if (!/^\d\d$/.test(e.track) || e.track === '00') continue;
    const n = Number(e.track);
    byTrack.set(n, [...(byTrack.get(n) ?? []), e]);
  }
  const numbers = [...byTrack.keys()].sort((a, b) => a - b);
  const tracks = numbers.map((n): ReadTrack => {
    const entries = byTrack.get(n) as ReadPqEntry[];
    const i1 = entries.find((e) => e.index === 1);
    const i0 = entries.find((e) => e.index === 0);
    if (!i1) throw new LatheError('bad-ddp', `track ${n} has no INDEX 01 in the PQ descriptor.`);
    const text = cdText?.tracks[n - 1] ?? {};
    return {
      number: n,
      index00: i0 ? i0.frame : null,
      index01: i1.frame,
      indexes: entries.filter((e) => e.index > 1).sort((a, b) => a.index - b.index).map((e) => e.frame),
      end: leadOut,
      isrc: i1.isrc || i0?.isrc || '',
      preEmphasis: (i1.control & 1) !== 0,
      copyPermitted: (i1.control & 2) !== 0,
      title: text.title ?? '',
      performer: text.performer ?? ''
    };
  });
  tracks.forEach((t, i) => {
    const next = tracks[i + 1];
    if (next) t.end = next.index00 ?? next.index01;
  });
  return tracks;
}

/**
 * Parses the fileset and checks it; IMAGE.DAT and the checksums are read in pieces, hashed by
 * `md5` (hash-wasm's unless the platform has a faster one).
 */
export async function readDdp(src: FilesetSource, md5: HashFactory = md5Stream): Promise<DdpReport> {
  const problems: Problem[] = [];
  const need = async (name: string) => {
    const found = await find(src, name);
    if (!found) throw new LatheError('bad-ddp', `the fileset has no ${name}.`);
    return src.read(found);
  };
  const id = await need('DDPID');
  if (id.length < 128) throw new LatheError('bad-ddp', `DDPID is ${id.length} bytes; it must be 128.`);
  const level = getText(id, 0, 8);
  if (!level.startsWith('DDP 2.0')) problems.push({ code: 'ddp-level', severity: 'warning', message: `DDPID says "${level.trim()}"; this reader is for DDP 2.00.` });
  const packets = parsePackets(await need('DDPMS'));
  const d0 = packets.find((p) => p.type === 'D0' && p.cdMode === 'DA');
  if (!d0) throw new LatheError('bad-ddp', 'DDPMS has no D0 CD-DA stream.');
  const pqPacket = packets.find((p) => p.type === 'S0' && p.sub === 'PQ DESCR');
  if (!pqPacket) throw new LatheError('bad-ddp', 'DDPMS has no PQ DESCR stream.');
  const pqBytes = await need(pqPacket.name);
  const pq = parsePq(pqBytes);
  let cdText: DecodedCdText | null = null;
  const textPacket = packets.find((p) => p.type === 'S0' && p.sub === 'CDTEXT');
  if (textPacket) {
    cdText = decodeCdText(await need(textPacket.name));
    for (const i of cdText.badCrcPacks) problems.push({ code: 'cdtext-crc', severity: 'error', message: `CD-Text pack ${i + 1} fails its CRC.` });
  }
  const imageName = (await find(src, d0.name)) ?? d0.name;
  const image = await src.open(imageName).catch(() => {
    throw new LatheError('bad-ddp', `the fileset has no ${d0.name}.`);
  });
  const leadOutEntry = pq.find((e) => e.track === 'AA');
  const leadOut = leadOutEntry?.frame ?? d0.length;
  if (!leadOutEntry) problems.push({ code: 'no-lead-out', severity: 'error', message: 'The PQ descriptor has no lead-out (AA) entry.' });
  if (image.size !== d0.length * BYTES_PER_FRAME) {
    problems.push({ code: 'image-size', severity: 'error', message: `${imageName} is ${image.size} bytes; DDPMS says ${d0.length} sectors (${d0.length * BYTES_PER_FRAME} bytes).` });
  }
  if (leadOut !== d0.length) problems.push({ code: 'lead-out-mismatch', severity: 'error', message: `The lead-out is at sector ${leadOut} but the audio stream has ${d0.length} sectors.` });
  for (let i = 1; i < pq.length; i++) {
    if (pq[i].frame < pq[i - 1].frame) problems.push({ code: 'pq-order', severity: 'error', message: `PQ entry ${i + 1} (${pq[i].track}/${String(pq[i].index).padStart(2, '0')}) goes back in time.` });
  }
  const upc = getText(id, 8, 13).trim() || pq.find((e) => e.track === '00')?.upc || '';
  if (upc && (!/^\d{13}$/.test(upc) || eanCheckDigit(upc) !== Number(upc[12]))) problems.push({ code: 'bad-upc', severity: 'error', message: `The UPC/EAN ${upc} is not a valid EAN-13.` });
  const tracks = tracksFrom(pq, leadOut, cdText);
  problems.push(...checkCdTracks(tracks, leadOut), ...trackCodeProblems(tracks));
  if (image.size >= leadOut * BYTES_PER_FRAME) problems.push(...(await marksAfterAudio(image, tracks)));
  await image.close?.();
  const checksums = await verifyChecksums(src, md5);
  for (const c of checksums) if (!c.ok) problems.push({ code: 'checksum', severity: 'error', message: `${c.name} does not match its MD5 in CHECKSUM.MD5.` });
  return {
    fileset: {
      level,
      upc,
      masterId: getText(id, 38, 48).trim(),
      packets,
      pq,
      tracks,
      leadOut,
      imageName,
      imageBytes: image.size,
      cdText,
      title: cdText?.disc.title ?? '',
      performer: cdText?.disc.performer ?? ''
    },
    problems,
    checksums
  };
}

function trackCodeProblems(tracks: ReadTrack[]): Problem[] {
  const out: Problem[] = [];
  tracks.forEach((t, i) => {
    if (t.isrc && !isValidIsrc(t.isrc)) out.push({ code: 'bad-isrc', severity: 'error', trackIndex: i, message: `Track ${t.number}'s ISRC "${t.isrc}" is not valid.` });
  });
  return out;
}

/** Digital silence this long, in both channels, is taken for the quiet before a track's audio. */
const SILENCE_RUN = 32;
/** How far before a mark to look for the audio's start (1 s): audio further back is pregap audio by design. */
const ONSET_SEARCH_FRAMES = 75;

/**
 * Audio that starts after silence but before its track's INDEX 01 means the mark sits after the
 * attack (it was rounded to the nearest frame, or placed late): a player starting there skips it.
 * Segues have no silence before the mark, so nothing is said of them.
 */
async function marksAfterAudio(image: ByteSource, tracks: ReadTrack[]): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const [i, t] of tracks.entries()) {
    const from = Math.max(t.index00 ?? 0, t.index01 - ONSET_SEARCH_FRAMES, i === 0 ? 0 : tracks[i - 1].index01);
    if (from >= t.index01) continue;
    const bytes = await image.read(from * BYTES_PER_FRAME, (t.index01 - from) * BYTES_PER_FRAME);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const frames = bytes.byteLength / 4;
    // Walk back from the mark over sound until a run of silence.
    let k = frames - 1;
    let quiet = 0;
    let onset = frames;
    for (; k >= 0; k--) {
      const silent = view.getInt16(k * 4, true) === 0 && view.getInt16(k * 4 + 2, true) === 0;
      if (silent) {
        if (++quiet >= SILENCE_RUN) break;
      } else {
        quiet = 0;
        onset = k;
      }
    }
    if (k < 0 || onset >= frames) continue;
    const early = frames - onset;
    out.push({ code: 'mark-after-audio', severity: 'warning', trackIndex: i, message: `Track ${t.number}'s audio starts ${early} samples (${((early * 1000) / CD_RATE_HZ).toFixed(1)} ms) before its INDEX 01 at ${msf(t.index01)}: a player starting the track skips them.` });
  }
  return out;
}

async function verifyChecksums(src: FilesetSource, md5Of: HashFactory): Promise<{ name: string; ok: boolean }[]> {
  const file = await find(src, 'CHECKSUM.MD5');
  if (!file) return [];
  const text = new TextDecoder().decode(await src.read(file));
  const out: { name: string; ok: boolean }[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{32}) [ *](.+)$/.exec(line.trim());
    if (!m) continue;
    const name = (await find(src, m[2])) ?? m[2];
    let ok = false;
    try {
      const s = await src.open(name);
      const md5 = await md5Of();
      for (let p = 0; p < s.size; p += 4 << 20) md5.update(await s.read(p, Math.min(4 << 20, s.size - p)));
      ok = md5.hex() === m[1].toLowerCase();
      await s.close?.();
    } catch {
      ok = false;
    }
    out.push({ name: m[2], ok });
  }
  return out;
}

/** A track's audio, INDEX 01 to where the next track begins, as 16-bit little-endian stereo bytes. */
export async function readTrackPcm(src: FilesetSource, report: DdpReport, trackIndex: number): Promise<Uint8Array> {
  const t = report.fileset.tracks[trackIndex];
  const image = await src.open(report.fileset.imageName);
  try {
    return await image.read(t.index01 * BYTES_PER_FRAME, (t.end - t.index01) * BYTES_PER_FRAME);
  } finally {
    await image.close?.();
  }
}
