import { layoutAlbum, formatMsf, samplesToCdFrames } from '../lib/core/album/timeline';
import { checkRedBook } from '../lib/core/album/redbook';
import { loadAlbumFile } from './album-file';
import { table } from './table';
import { parseCommand } from './args';

export const INFO_HELP = `lathe info <album.json> [--json]

Lists the album's tracks with start and length in MM:SS:FF, the total time, and every Red Book
problem (tracks under 4 s, more than 99 tracks, track 1's gap under 2 s, over 79:57).
Exit status: 0, or 2 when a Red Book error was found (warnings alone exit 0).`;

export async function info(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals: files } = parseCommand(args, { json: { type: 'boolean' } });
  const json = values.json === true;
  if (files.length !== 1) {
    out(INFO_HELP);
    return 64;
  }
  const { album } = await loadAlbumFile(files[0]);
  const layout = layoutAlbum(album);
  const problems = checkRedBook(album);
  const rate = album.rateHz;
  if (json) {
    out(
      JSON.stringify(
        {
          title: album.title,
          artist: album.artist,
          rateHz: rate,
          totalMsf: formatMsf(layout.totalSamples, rate),
          totalSec: layout.totalSamples / rate,
          tracks: album.tracks.map((t, i) => {
            const p = layout.tracks[i];
            return {
              number: i + 1,
              title: t.title,
              performer: t.performer,
              isrc: t.isrc,
              index00Msf: formatMsf(p.index00Samples, rate),
              startMsf: formatMsf(p.index01Samples, rate),
              lengthMsf: formatMsf(p.lengthSamples, rate),
              startSec: p.index01Samples / rate,
              lengthSec: p.lengthSamples / rate,
              gapSec: p.gapSamples / rate
            };
          }),
          problems
        },
        null,
        2
      )
    );
  } else {
    out(`${album.title || '(untitled)'}${album.artist ? ` — ${album.artist}` : ''}`);
    out(`${album.tracks.length} tracks at ${rate} Hz\n`);
    out(
      table(
        ['#', 'Title', 'Start', 'Length', 'Gap'],
        album.tracks.map((t, i) => {
          const p = layout.tracks[i];
          return [String(i + 1), t.title, formatMsf(p.index01Samples, rate), formatMsf(p.lengthSamples, rate), `${(p.gapSamples / rate).toFixed(3)} s (${samplesToCdFrames(p.gapSamples, rate)} fr)`];
        }),
        ['right', 'left', 'right', 'right', 'right']
      )
    );
    out(`\nTotal ${formatMsf(layout.totalSamples, rate)}\n`);
    if (problems.length === 0) out('Red Book: no problems found.');
    else for (const p of problems) out(`${p.severity.padEnd(7)} ${p.message}`);
  }
  return problems.some((p) => p.severity === 'error') ? 2 : 0;
}
