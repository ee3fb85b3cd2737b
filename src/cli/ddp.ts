import { join } from 'node:path';
import { readDdp, readTrackPcm } from '../lib/core/delivery/ddp-reader';
import { msf } from '../lib/core/album/cd-layout';
import { wavHeader } from '../lib/core/audio/wav';
import { formatIsrc } from '../lib/core/metadata/isrc';
import { diskFileset, nativeMd5, writeWhole } from './node-folder';
import { table } from './table';
import { parseCommand, UsageError } from './args';

export const DDP_HELP = `lathe ddp verify <DIR> [--json]
lathe ddp extract <DIR> --out <DIR2>

verify reads a DDP 2.00 CD-DA fileset, prints its PQ listing, checks it against the Red Book,
checks CHECKSUM.MD5 and the CD-Text CRCs, and exits 1 on any problem (warnings alone exit 0).
extract writes one 16-bit 44.1 kHz WAV per track (INDEX 01 to where the next track begins).`;

export async function ddp(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseCommand(args, { json: { type: 'boolean' }, out: { type: 'string' } });
  const [sub, dir, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  if ((sub !== 'verify' && sub !== 'extract') || !dir) {
    out(DDP_HELP);
    return 64;
  }
  const src = diskFileset(dir);
  const report = await readDdp(src, nativeMd5);
  const f = report.fileset;
  if (sub === 'verify') {
    if (values.out !== undefined) throw new UsageError('--out belongs to ddp extract');
    if (values.json) {
      out(JSON.stringify({ ...report, fileset: { ...f, cdText: f.cdText ? { disc: f.cdText.disc, tracks: f.cdText.tracks } : null } }, null, 2));
    } else {
      out(`${f.level.trim()}  UPC ${f.upc || '-'}  ${f.tracks.length} tracks  lead-out ${msf(f.leadOut)}${f.title ? `  "${f.title}"` : ''}`);
      out('');
      out(
        table(
          ['Track', 'Index', 'Start', 'Length', 'ISRC', 'Flags', 'Title'],
          f.tracks.flatMap((t, i) => {
            const next = f.tracks[i + 1];
            const length = (next ? next.index01 : f.leadOut) - t.index01;
            const flags = [t.preEmphasis ? 'PRE' : '', t.copyPermitted ? 'DCP' : ''].filter(Boolean).join(' ') || '-';
            const rows: string[][] = [];
            if (t.index00 !== null && t.index00 < t.index01) rows.push([String(t.number).padStart(2, '0'), '00', msf(t.index00), '', '', '', '']);
            rows.push([String(t.number).padStart(2, '0'), '01', msf(t.index01), msf(length), t.isrc ? formatIsrc(t.isrc) : '-', flags, t.title]);
            t.indexes.forEach((x, k) => rows.push([String(t.number).padStart(2, '0'), String(k + 2).padStart(2, '0'), msf(x), '', '', '', '']));
            return rows;
          }).concat([['AA', '01', msf(f.leadOut), '', '', '', 'lead-out']]),
          ['left', 'left', 'right', 'right', 'left', 'left', 'left']
        )
      );
      out('');
      for (const c of report.checksums) out(`${c.ok ? 'ok     ' : 'FAILED '} MD5 ${c.name}`);
      if (report.problems.length === 0) out('No problems found.');
      for (const p of report.problems) out(`${p.severity.padEnd(7)} ${p.message}`);
    }
    return report.problems.some((p) => p.severity === 'error') ? 1 : 0;
  }
  const target = values.out;
  if (values.json) throw new UsageError('--json belongs to ddp verify');
  if (!target) {
    out(DDP_HELP);
    return 64;
  }
  await writeWhole(target, async (folder) => {
    for (let k = 0; k < f.tracks.length; k++) {
      const pcm = await readTrackPcm(src, report, k);
      const t = f.tracks[k];
      const name = `${String(t.number).padStart(2, '0')}${t.title ? ` ${t.title.replace(/[\\/:*?"<>|]+/g, '_')}` : ''}.wav`;
      const file = await folder.openFile(name);
      await file.write(wavHeader({ rateHz: 44_100, channels: 2, encoding: 's16le', frames: pcm.length / 4 }));
      await file.write(pcm);
      await file.close();
    }
  });
  out(`Wrote ${f.tracks.length} tracks to ${join(target)}`);
  return report.problems.some((p) => p.severity === 'error') ? 1 : 0;
}
