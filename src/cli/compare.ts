import { analyzeFile } from './analyze';
import { parseCommand, UsageError } from './args';
import { table } from './table';
import { compare, compareEntry, type Comparison } from '../lib/core/analysis/compare';
import { OCTAVE_LABELS, SIXTH_OCTAVE_HZ } from '../lib/core/analysis/spectrum';

export const COMPARE_HELP = `lathe compare <track> <reference>... [--sixth] [--json]

Compares a track with one or more references (WAV, BW64, RF64 or AIFF): integrated loudness,
loudest 3 s, loudness range, true peak, PLR, crest factor (sample peak over RMS) and width
(side-to-mid power) side by side, then the long-term average spectra (Hann, 50 % overlap, of the
mid and side of the front pair) as band power per octave, loudness-normalised (dB re the file's
integrated loudness, so levels compare by tone), each reference's difference from the track, and
the width per octave band. --sixth prints the 1/6-octave curve (61 bands, 20 Hz to 20 kHz) as
well; --json gives everything, 1/6-octave curves included. Band power reads like an RTA: pink
noise is flat. Decode FLAC or MP3 references first (flac -d, or ffmpeg -i ref.mp3 ref.wav).
Exit status: 0, 1 on bad input, 64 on bad usage.`;

const f1 = (x: number | null) => (x === null ? '-' : x.toFixed(1));
/** A null width of a signal that sounds is a mono one. */
const width = (x: number | null, sounds: boolean) => (x === null && sounds ? 'mono' : f1(x));
const s1 = (x: number | null) => (x === null ? '-' : `${x > 0 ? '+' : ''}${x.toFixed(1)}`);

function printComparison(out: (s: string) => void, c: Comparison, sixth: boolean): void {
  const e = c.entries;
  const names = e.map((x, i) => `${i === 0 ? 'Track' : `Ref ${i}`}`);
  e.forEach((x, i) => out(`${names[i].padEnd(6)} ${x.name}`));
  out('');
  const rows: [string, (x: (typeof e)[number]) => number | null][] = [
    ['Integrated LUFS', (x) => x.integratedLufs],
    ['Short-term max LUFS', (x) => x.maxShortTermLufs],
    ['Loudness range LU', (x) => x.loudnessRangeLu],
    ['True peak dBTP', (x) => x.truePeakDbtp],
    ['PLR dB', (x) => x.plrDb],
    ['Crest factor dB', (x) => x.crestDb]
  ];
  const body = rows.map(([label, get]) => [label, ...e.map((x) => f1(get(x)))]);
  body.push(['Width S/M dB', ...e.map((x) => width(x.widthDb, x.integratedLufs !== null))]);
  out(table(['', ...names], body, ['left', ...names.map(() => 'right' as const)]));
  out('\nSpectrum per octave, dB re integrated loudness (difference from the track), and width S/M dB');
  const diffNames = names.slice(1).map((n) => `${n} - Track`);
  out(
    table(
      ['Octave Hz', ...names, ...diffNames, ...names.map((n) => `${n} width`)],
      OCTAVE_LABELS.map((label, b) => [label, ...e.map((x) => f1(x.octaveDb[b])), ...e.slice(1).map((x) => s1(x.octaveDb[b] === null || e[0].octaveDb[b] === null ? null : (x.octaveDb[b] as number) - (e[0].octaveDb[b] as number))), ...e.map((x) => width(x.octaveWidthDb[b], x.octaveDb[b] !== null))]),
      ['right', ...names.map(() => 'right' as const), ...diffNames.map(() => 'right' as const), ...names.map(() => 'right' as const)]
    )
  );
  if (!sixth) return;
  out('\nSpectrum per 1/6 octave, dB re integrated loudness');
  out(
    table(
      ['Hz', ...names, ...diffNames],
      SIXTH_OCTAVE_HZ.map((hz, b) => [hz >= 1000 ? `${(hz / 1000).toFixed(2)}k` : hz.toFixed(1), ...e.map((x) => f1(x.curveDb[b])), ...c.differenceDb.slice(1).map((d) => s1(d[b]))]),
      ['right', ...names.map(() => 'right' as const), ...diffNames.map(() => 'right' as const)]
    )
  );
}

export async function compareCommand(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals: files } = parseCommand(args, { json: { type: 'boolean' }, sixth: { type: 'boolean' } });
  if (files.length === 0) {
    out(COMPARE_HELP);
    return 64;
  }
  if (files.length < 2) throw new UsageError('compare needs a track and at least one reference');
  const entries = [];
  for (const f of files) entries.push(compareEntry(f, (await analyzeFile(f, { spectrum: true })).analysis));
  const c = compare(entries);
  if (values.json === true) {
    out(JSON.stringify(c, null, 2));
    return 0;
  }
  printComparison(out, c, values.sixth === true);
  return 0;
}
