import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLathe } from '../../helpers/cli';
import { encodeWav } from '../../../src/lib/core/audio/wav';
import { programme } from '../../helpers/programme';
import { ffmpegEbur128, hasFfmpeg } from '../../helpers/ffmpeg';
import { OCTAVE_HZ } from '../../../src/lib/core/analysis/spectrum';

const R = 48_000;
const hasSox = spawnSync('sox', ['--version']).status === 0;
if (!hasSox) console.log('compare.test: the sox cross-check is skipped, sox is not installed (apt-get install sox)');
if (!hasFfmpeg) console.log('compare.test: the ffmpeg cross-check is skipped, ffmpeg is not installed (apt-get install ffmpeg)');

let dir: string;
const file = (name: string) => join(dir, 'audio', name);

function lowpass(ch: Float32Array[], hz: number): Float32Array[] {
  const a = Math.exp((-2 * Math.PI * hz) / R);
  return ch.map((x) => {
    let y = 0;
    return x.map((v) => (y = (1 - a) * v + a * y));
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-compare-'));
  mkdirSync(join(dir, 'audio'));
  const track = programme({ rateHz: R, seconds: 15, seed: 21, sectionsDb: [-3, 0], width: 0.5 });
  const ref = lowpass(programme({ rateHz: R, seconds: 15, seed: 22, sectionsDb: [-3, 0], width: 0.1 }), 3000).map((x) => x.map((v) => v * 0.5));
  writeFileSync(file('track.wav'), encodeWav(track, { rateHz: R, encoding: 's24le' }));
  writeFileSync(file('ref.wav'), encodeWav(ref, { rateHz: R, encoding: 's24le' }));
});

describe('lathe compare', () => {
  it('gives the figures and loudness-normalised curves side by side, as JSON', async () => {
    const r = await runLathe('compare', file('track.wav'), file('ref.wav'), '--json');
    expect(r.code, r.err).toBe(0);
    const c = JSON.parse(r.out);
    expect(c.entries.map((e: { name: string }) => e.name)).toEqual([file('track.wav'), file('ref.wav')]);
    const [t, ref] = c.entries;
    for (const key of ['integratedLufs', 'maxShortTermLufs', 'loudnessRangeLu', 'truePeakDbtp', 'plrDb', 'crestDb', 'widthDb', 'curveDb', 'octaveDb', 'octaveWidthDb']) expect(t).toHaveProperty(key);
    expect(c.sixthOctaveHz).toHaveLength(61);
    expect(c.differenceDb[0].every((v: number | null) => v === null || v === 0)).toBe(true);
    // The reference is darker: after loudness normalisation its top octaves sit well under the track's.
    const i8k = OCTAVE_HZ.indexOf(8000);
    expect(ref.octaveDb[i8k] - t.octaveDb[i8k]).toBeLessThan(-4);
    const i8kSixth = c.sixthOctaveHz.findIndex((f: number) => Math.abs(f - 8000) < 1);
    expect(c.differenceDb[1][i8kSixth]).toBeLessThan(-4);
    // Narrower: width 0.1 against 0.5.
    expect(ref.widthDb).toBeLessThan(t.widthDb - 6);
    expect(r.out).not.toMatch(/NaN|Infinity/);
  });

  it('prints a table with units, and a 1/6-octave table on request', async () => {
    const r = await runLathe('compare', file('track.wav'), file('ref.wav'), '--sixth');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Integrated LUFS\s+-\d+\.\d\s+-\d+\.\d/);
    expect(r.out).toMatch(/Crest factor dB/);
    expect(r.out).toMatch(/Octave Hz\s+Track\s+Ref 1\s+Ref 1 - Track/);
    expect(r.out).toMatch(/Spectrum per 1\/6 octave/);
    expect(r.out.split('\n').filter((l) => /^\s*\d+(\.\d+)?k?\s+-?\d/.test(l)).length).toBeGreaterThanOrEqual(61 + 10);
  });

  it('refuses one file and names a missing one', async () => {
    expect((await runLathe('compare', file('track.wav'))).code).toBe(64);
    const r = await runLathe('compare', file('track.wav'), file('nope.wav'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nope\.wav/);
  });

  it.skipIf(!hasFfmpeg)('agrees with ffmpeg ebur128 on the loudness it normalises by', async () => {
    const c = JSON.parse((await runLathe('compare', file('track.wav'), file('ref.wav'), '--json')).out);
    for (const [i, f] of ['track.wav', 'ref.wav'].entries()) expect(Math.abs(c.entries[i].integratedLufs - ffmpegEbur128(file(f)).integratedLufs)).toBeLessThan(0.1);
  });

  it.skipIf(!hasSox)("agrees with sox's own FFT (stat -freq) on the octave-band shape of sox's pink noise", async () => {
    const pink = file('sox-pink.wav');
    expect(spawnSync('sox', ['-R', '-n', '-r', String(R), '-c', '2', '-b', '24', pink, 'synth', '20', 'pinknoise', 'vol', '0.3']).status).toBe(0);
    const mono = file('sox-pink-mono.wav');
    expect(spawnSync('sox', [pink, mono, 'remix', '1']).status).toBe(0);
    const stat = spawnSync('sox', [mono, '-n', 'stat', '-freq'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const power = new Map<number, number>();
    for (const line of stat.stderr.split('\n')) {
      const m = /^(\d+\.\d+)\s+(\d+\.\d+(?:e[-+]?\d+)?)$/.exec(line.trim());
      if (m) power.set(Number(m[1]), (power.get(Number(m[1])) ?? 0) + Number(m[2]));
    }
    expect(power.size).toBeGreaterThan(1000);
    // Each of sox's bins counts for the part of its width inside the band, as ours do.
    const df = R / 4096;
    const soxOctave = OCTAVE_HZ.map((fc) => {
      const [lo, hi] = [fc / Math.SQRT2, fc * Math.SQRT2];
      let sum = 0;
      for (const [hz, p] of power) sum += p * Math.max(0, Math.min(hi, hz + df / 2) - Math.max(lo, hz - df / 2)) / df;
      return 10 * Math.log10(sum);
    });
    // Ours measured on the same mono channel sox read (as a dual-mono pair, the reference unused).
    const c = JSON.parse((await runLathe('compare', mono, pink, '--json')).out);
    const ours = c.entries[0].octaveDb as number[];
    const i1k = OCTAVE_HZ.indexOf(1000);
    for (let b = 1; b < OCTAVE_HZ.length; b++) {
      expect(Math.abs(ours[b] - ours[i1k] - (soxOctave[b] - soxOctave[i1k])), `${OCTAVE_HZ[b]} Hz`).toBeLessThan(0.5);
    }
  });
});
