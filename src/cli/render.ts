import { basename } from 'node:path';
import { deliverCd } from '../lib/core/delivery/cd';
import { readFrames } from '../lib/core/audio/reader';
import type { SourceFormat } from '../lib/core/render/engine';
import { LatheError } from '../lib/core/errors';
import { loadAlbumFile } from './album-file';
import { fileSource } from './node-source';
import { writeWhole } from './node-folder';

export const RENDER_HELP = `lathe render <album.json> --variant cd --out DIR [--shaping none|lipshitz] [--seed N]

Renders the CD variant into DIR: DDP/ (DDPID, DDPMS, PQDESCR, CDTEXT.BIN, IMAGE.DAT,
CHECKSUM.MD5), <name>.cue with <name>.bin, pq-sheet.html and report.json. Untouched 16-bit audio
passes bit-exact; processed audio gets seeded TPDF dither. Nothing is written unless all of it is:
the folder appears only when the render is complete. Exit status: 0, 1 on a problem.`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function render(args: string[], out: (s: string) => void): Promise<number> {
  const albumPath = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const variant = option(args, '--variant') ?? 'cd';
  const target = option(args, '--out');
  if (!albumPath || !target) {
    out(RENDER_HELP);
    return 64;
  }
  if (variant !== 'cd') throw new LatheError('bad-variant', `the variant "${variant}" is not available yet; this version renders --variant cd.`);
  const shaping = option(args, '--shaping') ?? 'none';
  if (shaping !== 'none' && shaping !== 'lipshitz') throw new LatheError('bad-option', `--shaping must be none or lipshitz, not "${shaping}".`);
  const seed = Number(option(args, '--seed') ?? 1);
  const { album, sources } = await loadAlbumFile(albumPath);
  const formats = new Map<string, SourceFormat>();
  const opened = new Map<string, { src: Awaited<ReturnType<typeof fileSource>>; info: NonNullable<ReturnType<typeof sources.get>>['info'] }>();
  for (const s of sources.values()) {
    if (!s.info) throw new LatheError('unsupported', 'the renderer reads WAV, BW64, RF64 and AIFF sources.', { file: s.id });
    formats.set(s.id, { rateHz: s.info.rateHz, bitDepth: s.info.bitDepth, sampleFormat: s.info.sampleFormat });
    opened.set(s.id, { src: await fileSource(s.path, s.id), info: s.info });
  }
  const scratch = new Map<number, Float32Array[]>();
  let last = -1;
  try {
    const report = await writeWhole(target, (folder) =>
      deliverCd(
        album,
        formats,
        async (clip, start, n, dst) => {
          const o = opened.get(clip.assetId);
          if (!o?.info) return;
          const info = o.info;
          let buf = scratch.get(info.channels);
          if (!buf || buf[0].length < n) scratch.set(info.channels, (buf = Array.from({ length: info.channels }, () => new Float32Array(Math.max(n, 65_536)))));
          for (const b of buf) b.fill(0, 0, n);
          await readFrames(o.src, info, start, n, buf);
          for (let c = 0; c < dst.length; c++) dst[c].set(buf[Math.min(c, info.channels - 1)].subarray(0, n));
        },
        folder,
        { baseName: basename(albumPath).replace(/\.json$/i, '') || 'album', shaping, seed, createdIso: new Date().toISOString() },
        {
          onProgress: (f) => {
            const pct = Math.floor(f * 100);
            if (process.stderr.isTTY && pct !== last) process.stderr.write(`\rRendering ${pct}%`);
            last = pct;
          }
        }
      )
    );
    if (process.stderr.isTTY) process.stderr.write('\r');
    out(`Wrote ${target}: ${report.tracks.length} tracks, ${report.leadOutFrame} sectors, IMAGE.DAT MD5 ${report.imageMd5}`);
    return 0;
  } finally {
    for (const o of opened.values()) await o.src.close();
  }
}
