/** DDP 2.00 for CD-DA: DDPID, DDPMS, the PQ descriptor, CDTEXT.BIN and CHECKSUM.MD5. */
import { putNumber, putText, record } from './fixed';
import type { CdLayout } from '../album/cd-layout';

export const DDP_FILES = { id: 'DDPID', ms: 'DDPMS', pq: 'PQDESCR', cdText: 'CDTEXT.BIN', image: 'IMAGE.DAT', md5: 'CHECKSUM.MD5' } as const;

export function ddpId(upc: string, masterId: string): Uint8Array {
  const r = record(128);
  putText(r, 0, 8, 'DDP 2.00');
  putText(r, 8, 13, upc);
  putText(r, 38, 48, masterId.replace(/[^\x20-\x7e]/g, '?'));
  putText(r, 87, 2, 'CD');
  return r;
}

interface StreamPacket {
  type: 'D0' | 'S0';
  length: number;
  sub?: string;
  name: string;
  pregap2?: number;
  track?: string;
}

function msPacket(p: StreamPacket): Uint8Array {
  const r = record(128);
  putText(r, 0, 4, 'VVVM');
  putText(r, 4, 2, p.type);
  putNumber(r, 14, 8, p.length);
  if (p.sub) putText(r, 30, 8, p.sub);
  if (p.type === 'D0') {
    putText(r, 38, 2, 'DA');
    putText(r, 40, 1, '7');
    putText(r, 41, 1, '0');
    putNumber(r, 46, 4, p.pregap2 ?? 150);
  }
  if (p.track) putText(r, 55, 2, p.track);
  putText(r, 71, 3, ' 17');
  putText(r, 74, 17, p.name);
  return r;
}

/** Packets in the order plants expect: CD-Text, then the PQ descriptor, then the audio. */
export function ddpMs(layout: CdLayout, pqBytes: number, cdTextBytes: number): Uint8Array {
  const packets: StreamPacket[] = [];
  if (cdTextBytes > 0) packets.push({ type: 'S0', length: cdTextBytes, sub: 'CDTEXT', name: 'CDTEXT.BIN', track: '00' });
  packets.push({ type: 'S0', length: pqBytes, sub: 'PQ DESCR', name: 'PQDESCR' });
  packets.push({ type: 'D0', length: layout.leadOut, name: 'IMAGE.DAT', pregap2: layout.tracks[0]?.index01 ?? 150 });
  const out = new Uint8Array(packets.length * 128);
  packets.forEach((p, i) => out.set(msPacket(p), i * 128));
  return out;
}

export interface PqEntry {
  track: string;
  index: string;
  frame: number;
  control: number;
  isrc: string;
  upc: string;
}

function controlOf(t: { preEmphasis: boolean; copyPermitted: boolean }): number {
  return (t.preEmphasis ? 1 : 0) | (t.copyPermitted ? 2 : 0);
}

const two = (n: number) => String(n).padStart(2, '0');

/** The PQ entries: 00/00 with the UPC, each track's indexes, and the lead-out (twice, as writers do). */
export function pqEntries(layout: CdLayout, upc: string): PqEntry[] {
  const first = layout.tracks[0];
  const entries: PqEntry[] = [{ track: '00', index: '00', frame: 0, control: first ? controlOf(first) : 0, isrc: '', upc }];
  for (const t of layout.tracks) {
    const c = controlOf(t);
    if (t.index00 !== null) entries.push({ track: two(t.number), index: '00', frame: t.index00, control: c, isrc: t.isrc, upc: '' });
    entries.push({ track: two(t.number), index: '01', frame: t.index01, control: c, isrc: t.isrc, upc: '' });
    t.indexes.forEach((f, k) => entries.push({ track: two(t.number), index: two(k + 2), frame: f, control: c, isrc: '', upc: '' }));
  }
  const last = layout.tracks.at(-1);
  const lc = last ? controlOf(last) : 0;
  entries.push({ track: 'AA', index: '01', frame: layout.leadOut, control: lc, isrc: '', upc: '' });
  entries.push({ track: 'AA', index: '01', frame: layout.leadOut, control: lc, isrc: '', upc: '' });
  return entries;
}

export function encodePq(entries: PqEntry[]): Uint8Array {
  const out = new Uint8Array(entries.length * 64);
  entries.forEach((e, i) => {
    const r = record(64);
    putText(r, 0, 4, 'VVVS');
    putText(r, 4, 2, e.track);
    putText(r, 6, 2, e.index);
    const ff = e.frame % 75;
    const totalSec = Math.floor(e.frame / 75);
    putNumber(r, 10, 2, Math.floor(totalSec / 60), '0');
    putNumber(r, 12, 2, totalSec % 60, '0');
    putNumber(r, 14, 2, ff, '0');
    putText(r, 16, 2, `${e.control.toString(16)}1`);
    putText(r, 20, 12, e.isrc);
    putText(r, 32, 13, e.upc);
    out.set(r, i * 64);
  });
  return out;
}

/** md5sum format, so `md5sum -c CHECKSUM.MD5` checks the fileset. */
export function checksumFile(sums: [name: string, md5: string][]): string {
  return sums.map(([name, md5]) => `${md5} *${name}\n`).join('');
}
