import { cdLayout, cdPauseFrames, cdTrackFrames, framesToSec, msf } from '../lib/core/album/cd-layout';
import { checkRedBook } from '../lib/core/album/redbook';
import { loadAlbumFile } from './album-file';
import { table } from './table';
import { parseCommand } from './args';

export const INFO_HELP = `lathe info <album.json> [--json]

Lists the album's tracks as the CD is written (INDEX 00 and 01, length and pause in MM:SS:FF and
CD frames), the total time, and every Red Book problem (tracks under 4 s, more than 99 tracks,
track 1's gap under 2 s, over 79:57, a mark after the audio it marks).
Exit status: 0, or 2 when a Red Book error was found (warnings alone exit 0).`;

export async function info(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals: files } = parseCommand(args, { json: { type: 'boolean' } });
  const json = values.json === true;
  if (files.length !== 1) {
    out(INFO_HELP);
    return 64;
  }
  const { album } = await loadAlbumFile(files[0]);
  // The times are the CD's, from the layout the render writes.
  const cd = cdLayout(album);
  const problems = checkRedBook(album);
  const rate = album.rateHz;
  if (json) {
    out(
      JSON.stringify(
        {
          title: album.title,
          artist: album.artist,
          rateHz: rate,
          markLeadFrames: album.markLeadFrames,
          leadOutFrame: cd.leadOut,
          totalMsf: msf(cd.leadOut),
          totalSec: framesToSec(cd.leadOut),
          tracks: album.tracks.map((t, i) => {
            const c = cd.tracks[i];
            const length = cdTrackFrames(cd.tracks, i, cd.leadOut);
            return {
              number: i + 1,
              title: t.title,
              performer: t.performer,
              isrc: t.isrc,
              index00Frame: c.index00,
              index01Frame: c.index01,
              indexFrames: c.indexes,
              lengthFrames: length,
              pauseFrames: cdPauseFrames(c),
              index00Msf: c.index00 === null ? null : msf(c.index00),
              startMsf: msf(c.index01),
              lengthMsf: msf(length),
              startSec: framesToSec(c.index01),
              lengthSec: framesToSec(length),
              gapSec: framesToSec(cdPauseFrames(c))
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
    out(`${album.tracks.length} tracks at ${rate} Hz; times as written to the CD (75 frames a second)\n`);
    out(
      table(
        ['#', 'Title', 'INDEX 00', 'INDEX 01', 'Length', 'Pause'],
        album.tracks.map((t, i) => {
          const c = cd.tracks[i];
          const pause = cdPauseFrames(c);
          return [String(i + 1), t.title, c.index00 === null ? '-' : msf(c.index00), msf(c.index01), msf(cdTrackFrames(cd.tracks, i, cd.leadOut)), `${framesToSec(pause).toFixed(2)} s (${pause} fr)`];
        }),
        ['right', 'left', 'right', 'right', 'right', 'right']
      )
    );
    out(`\nTotal ${msf(cd.leadOut)} (lead-out at sector ${cd.leadOut})\n`);
    if (problems.length === 0) out('Red Book: no problems found.');
    else for (const p of problems) out(`${p.severity.padEnd(7)} ${p.message}`);
  }
  return problems.some((p) => p.severity === 'error') ? 2 : 0;
}
