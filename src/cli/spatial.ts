/** `lathe spatial-check`: the fold-down checks of an immersive album. */
import { spatialCheck, type SpatialReport } from '../lib/core/spatial/checks';
import { assertSpatialLimits } from '../lib/core/spatial/model';
import { LatheError } from '../lib/core/errors';
import type { Clip } from '../lib/core/album/model';
import { openAlbum, type OpenedAlbum } from './analyze';
import { allChannelsReader, type SpatialSource } from '../lib/core/spatial/render';
import { parseCommand } from './args';
import { table } from './table';

export const SPATIAL_HELP = `lathe spatial-check <album.json> [--json]
  Renders an immersive album on its monitor layout and checks each fold-down (5.1, stereo Lo/Ro
  and Lt/Rt) per track and for the album: loudness against the immersive mix (flagged beyond
  +/-2 LU), true peak and overs after each matrix, the mono sum's loss, centre build-up, the LFE,
  and per object the energy each matrix loses and when. Exits 1 when something is flagged.`;

const num = (x: number | null, unit = '') => (x === null ? '–' : `${x.toFixed(1)}${unit}`);

/** Clips with all their channels, resampled as read to `rateHz` (one resampler per channel count). */
export function spatialSource(opened: OpenedAlbum, rateHz: number): SpatialSource {
  const read = allChannelsReader(opened.read, (id) => opened.formats.get(id)?.rateHz ?? rateHz, rateHz);
  return { read, channelsOf: (clip: Clip) => opened.infos.get(clip.assetId)?.channels ?? 2, maskOf: (c) => opened.infos.get(c.assetId)?.channelMask, nameOf: (c) => c.assetId };
}

export async function spatialCommand(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseCommand(args, { json: { type: 'boolean' } });
  if (positionals.length !== 1) {
    out(SPATIAL_HELP);
    return 64;
  }
  const path = positionals[0];
  const opened = await openAlbum(path);
  try {
    const { album } = opened;
    if (!album.immersive) throw new LatheError('bad-album', 'the album is not immersive (album.json has no "immersive").', { file: path });
    const source = spatialSource(opened, album.rateHz);
    assertSpatialLimits(album, source.channelsOf);
    const report = await spatialCheck(album, source);
    out(values.json ? JSON.stringify(report, null, 2) : text(report));
    return report.findings.length ? 1 : 0;
  } finally {
    await opened.close();
  }
}

function text(r: SpatialReport): string {
  const lines = [`Immersive mix on ${r.layout}; album ${num(r.album.integratedLufs, ' LUFS')}`, ''];
  const rows = r.tracks.flatMap((t) => [
    [`${t.track} ${t.title}`, 'immersive', num(t.integratedLufs, ' LUFS'), '', '', ''],
    ...t.foldDowns.map((f) => ['', f.label, num(f.integratedLufs, ' LUFS'), f.deltaLu === null ? '–' : `${f.deltaLu > 0 ? '+' : ''}${f.deltaLu.toFixed(1)} LU`, num(f.truePeakDbtp, ' dBTP'), String(f.oversSamples)])
  ]);
  lines.push(table(['Track', 'Render', 'Loudness', 'Against', 'True peak', 'Overs'], rows, ['left', 'left', 'right', 'right', 'right', 'right']));
  for (const t of r.tracks) {
    lines.push('', `${t.track} ${t.title}: mono sum ${num(t.monoSumDb, ' dB')}, centre build-up ${num(t.centreBuildUpDb, ' dB')}${t.lfe ? `, LFE ${num(t.lfe.levelDbfs, ' dBFS')} (above 150 Hz ${num(t.lfe.above150HzDb, ' dB')})` : ''}`);
    for (const o of t.objects) lines.push(`  ${o.name}: ${Object.entries(o.lossDb).map(([k, v]) => `${k} ${v.toFixed(1)} dB`).join(', ')}${o.worst ? `; loses most in ${o.worst.id} around ${o.worst.atSec.toFixed(2)} s` : ''}`);
  }
  lines.push('', r.findings.length ? `${r.findings.length} to look at:` : 'Every fold-down within its limits.');
  for (const f of r.findings) lines.push(`  ${f.track === null ? 'album' : `track ${f.track}`}: ${f.message}`);
  return lines.join('\n');
}
