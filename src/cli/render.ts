import { basename } from 'node:path';
import { deliverCd } from '../lib/core/delivery/cd';
import type { PcmInfo } from '../lib/core/audio/wav';
import { CD_RATE_HZ } from '../lib/core/album/cd-layout';
import { BLOCK_FRAMES, type SourceFormat } from '../lib/core/render/engine';
import { LatheError } from '../lib/core/errors';
import { loadAlbumFile } from './album-file';
import { threadedClipReader } from './threaded-reader';
import { parseCommand, UsageError } from './args';
import { nativeMd5, writeWhole } from './node-folder';

export const RENDER_HELP = `lathe render <album.json> --variant cd --out DIR [--shaping none|lipshitz] [--seed N]

Renders the CD variant into DIR: DDP/ (DDPID, DDPMS, PQDESCR, CDTEXT.BIN, IMAGE.DAT,
CHECKSUM.MD5), <name>.cue with <name>.bin, pq-sheet.html and report.json. Untouched 16-bit audio
passes bit-exact; processed audio gets seeded TPDF dither. Nothing is written unless all of it is:
the folder appears only when the render is complete. Exit status: 0, 1 on a problem.`;

export async function render(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseCommand(args, { variant: { type: 'string' }, out: { type: 'string' }, shaping: { type: 'string' }, seed: { type: 'string' } });
  const [albumPath, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}; render takes one album.json`);
  const variant = values.variant ?? 'cd';
  const target = values.out;
  if (!albumPath || !target) {
    out(RENDER_HELP);
    return 64;
  }
  if (variant !== 'cd') throw new LatheError('bad-variant', `the variant "${variant}" is not available yet; this version renders --variant cd.`);
  const shaping = values.shaping ?? 'none';
  if (shaping !== 'none' && shaping !== 'lipshitz') throw new UsageError(`--shaping must be none or lipshitz, not "${shaping}"`);
  const seed = Number(values.seed ?? 1);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, not "${values.seed}"`);
  const { album, sources } = await loadAlbumFile(albumPath);
  const formats = new Map<string, SourceFormat>();
  const files: { id: string; path: string; info: PcmInfo }[] = [];
  for (const s of sources.values()) {
    if (!s.info) throw new LatheError('unsupported', 'the renderer reads WAV, BW64, RF64 and AIFF sources.', { file: s.id });
    formats.set(s.id, { rateHz: s.info.rateHz, bitDepth: s.info.bitDepth, sampleFormat: s.info.sampleFormat });
    files.push({ id: s.id, path: s.path, info: s.info });
  }
  // Sources are read, decoded and resampled in a second thread, up to four blocks ahead of the mixer.
  const reader = threadedClipReader({ sources: files, renderRateHz: CD_RATE_HZ, channels: 2, aheadFrames: 4 * BLOCK_FRAMES });
  let last = -1;
  try {
    const report = await writeWhole(target, (folder) =>
      deliverCd(
        album,
        formats,
        reader.read,
        folder,
        { baseName: basename(albumPath).replace(/\.json$/i, '') || 'album', shaping, seed, createdIso: new Date().toISOString(), readsAtRenderRate: true, md5: nativeMd5 },
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
    await reader.close();
  }
}
