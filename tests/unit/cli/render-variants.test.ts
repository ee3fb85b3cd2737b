/**
 * `lathe render --variant ...`: streaming and hi-res masters read back by tools Lathe did not write
 * (flac, metaflac, sox, mediainfo, ffprobe, ffmpeg's ebur128), and the release report.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runLathe } from '../../helpers/cli';
import { encodeWav } from '../../../src/lib/core/audio/wav';
import { gridNoise } from '../../helpers/signals';
import { png } from '../../helpers/png';
import { fadeShape } from '../../../src/lib/core/dsp/fades';
import { ffmpegEbur128, hasFfmpeg } from '../../helpers/ffmpeg';

const TOOLS = ['flac', 'metaflac', 'sox', 'mediainfo', 'ffprobe'];
const missing = TOOLS.filter((t) => spawnSync(t, ['--version']).error);
if (missing.length) console.log(`render-variants.test: ${missing.join(', ')} not installed; the checks that read with them are skipped (apt-get install flac sox mediainfo ffmpeg)`);
const haveTools = missing.length === 0 && hasFfmpeg;

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
/** Interleaved little-endian PCM of any file sox reads, as sox decodes it. */
const soxRaw = (file: string, bits = 24) => spawnSync('sox', [file, '-t', 'raw', '-e', 'signed', '-b', String(bits), '-L', '-'], { maxBuffer: 1 << 30 }).stdout as Buffer;
const flacRaw = (file: string) => spawnSync('flac', ['-d', '-c', '--force-raw-format', '--endian=little', '--sign=signed', file], { maxBuffer: 1 << 30 }).stdout as Buffer;
const int24 = (b: Buffer, i: number) => b.readIntLE(i * 3, 3);

let dir: string;
const R = 48_000;
const A_SEC = 6;
const B_SEC = 5;
const XF_SEC = 1;
let a: Float32Array[];
let b: Float32Array[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-variants-'));
  mkdirSync(join(dir, 'audio'));
  // Noise on the 24-bit grid, so untouched samples can be checked bit for bit.
  a = [gridNoise(A_SEC * R, 24, 1).map((x) => x * 0.3), gridNoise(A_SEC * R, 24, 2).map((x) => x * 0.3)].map((c) => c.map((x) => Math.round(x * 2 ** 23) / 2 ** 23));
  b = [gridNoise(B_SEC * R, 24, 3).map((x) => x * 0.2), gridNoise(B_SEC * R, 24, 4).map((x) => x * 0.2)].map((c) => c.map((x) => Math.round(x * 2 ** 23) / 2 ** 23));
  writeFileSync(join(dir, 'audio', 'a.wav'), encodeWav(a, { rateHz: R, encoding: 's24le' }));
  writeFileSync(join(dir, 'audio', 'b.wav'), encodeWav(b, { rateHz: R, encoding: 's24le' }));
  writeFileSync(join(dir, 'cover.png'), png(1400));
  writeFileSync(
    join(dir, 'gapless.json'),
    JSON.stringify({
      format: 'lathe-album', version: 1, title: 'Gapless', artist: 'The Testers', upc: '0012345678905', year: '2026', copyright: '℗ 2026 Lathe Records',
      rateHz: R, artwork: 'cover.png',
      tracks: [
        { title: 'Opening', isrc: 'GB-AYE-26-00001', clips: [{ source: 'audio/a.wav', fadeOutSec: XF_SEC, fadeOutCurve: 'equalPower' }] },
        { title: 'Segue: Into / Out', performer: 'Guest', isrc: 'GBAYE2600002', gapBeforeSec: 0, overlapSec: XF_SEC, clips: [{ source: 'audio/b.wav', fadeInSec: XF_SEC, fadeInCurve: 'equalPower' }] }
      ]
    })
  );
});

describe('lathe render --variant streaming', () => {
  it.skipIf(!haveTools)('writes one tagged 24-bit WAV and FLAC per track that flac, metaflac, mediainfo and ffprobe read back; played in a row they are the album', async () => {
    const out = join(dir, 'gapless-out');
    const r = await runLathe('render', join(dir, 'gapless.json'), '--variant', 'streaming', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const folder = join(out, 'streaming', '24-bit');
    expect(readdirSync(folder).sort()).toEqual(['01 Opening.flac', '01 Opening.wav', '02 Segue_ Into _ Out.flac', '02 Segue_ Into _ Out.wav']);
    const files = ['01 Opening', '02 Segue_ Into _ Out'].map((n) => join(folder, n));

    for (const f of files) {
      // flac checks every frame and the MD5 of the decoded audio, which Lathe set from the same PCM.
      const t = run('flac', ['-t', `${f}.flac`]);
      expect(t.status).toBe(0);
      expect(t.stderr).toMatch(/ok/);
      expect(t.stderr).not.toMatch(/cannot check MD5/);
      // The FLAC decodes to exactly the WAV's samples.
      expect(flacRaw(`${f}.flac`).equals(soxRaw(`${f}.wav`))).toBe(true);
    }

    const tags = run('metaflac', ['--export-tags-to=-', `${files[1]}.flac`]).stdout.trim().split('\n');
    expect(tags).toEqual([
      'TITLE=Segue: Into / Out', 'ARTIST=Guest', 'ALBUM=Gapless', 'ALBUMARTIST=The Testers', 'TRACKNUMBER=2', 'TRACKTOTAL=2', 'DISCNUMBER=1', 'DISCTOTAL=1',
      'ISRC=GBAYE2600002', 'BARCODE=0012345678905', 'DATE=2026', 'COPYRIGHT=℗ 2026 Lathe Records'
    ]);
    const picture = join(dir, 'picture.png');
    expect(run('metaflac', [`--export-picture-to=${picture}`, `${files[0]}.flac`]).status).toBe(0);
    expect(Buffer.from(readFileSync(picture)).equals(readFileSync(join(dir, 'cover.png')))).toBe(true);

    // WAV: LIST/INFO and bext as ffprobe reads them, the id3 chunk's TSRC as mediainfo reads it.
    const probe = JSON.parse(run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', `${files[0]}.wav`]).stdout).format.tags;
    expect(probe).toMatchObject({ title: 'Opening', artist: 'The Testers', album: 'Gapless', track: '1/2', date: '2026', copyright: '℗ 2026 Lathe Records', encoded_by: 'Lathe', time_reference: String(2 * R) });
    expect(probe.comment).toMatch(/ISRC GBAYE2600001/);
    const info = run('mediainfo', ['--Output=JSON', `${files[1]}.wav`]).stdout;
    const general = JSON.parse(info).media.track[0];
    expect(general).toMatchObject({ ISRC: 'GBAYE2600002', Title: 'Segue: Into / Out', Album: 'Gapless', Performer: 'Guest', Track_Position: '2', Track_Position_Total: '2' });

    // Played in a row, the files are the album from INDEX 01: the untouched audio bit for bit, the
    // segue's crossfade as its curves make it (within the 24-bit dither), no sample lost or added.
    const row = Buffer.concat(files.map((f) => soxRaw(`${f}.wav`)));
    const aFrames = A_SEC * R;
    const xf = XF_SEC * R;
    const total = aFrames + (B_SEC - XF_SEC) * R;
    expect(row.length).toBe(total * 2 * 3);
    let worst = 0;
    for (let i = 0; i < total; i++) {
      for (let c = 0; c < 2; c++) {
        const got = int24(row, 2 * i + c);
        if (i < aFrames - xf) {
          if (got !== Math.round(a[c][i] * 2 ** 23)) throw new Error(`track 1 sample ${i} channel ${c} changed`);
        } else if (i < aFrames) {
          const k = i - (aFrames - xf);
          // The fade-out's last sample reaches 0 (core/dsp/fades), so it runs one sample behind the fade-in.
          const want = a[c][i] * fadeShape('equalPower', (xf - k - 1) / xf) + b[c][k] * fadeShape('equalPower', k / xf);
          worst = Math.max(worst, Math.abs(got - want * 2 ** 23));
        } else if (got !== Math.round(b[c][i - aFrames + xf] * 2 ** 23)) throw new Error(`track 2 sample ${i} channel ${c} changed`);
      }
    }
    expect(worst).toBeLessThanOrEqual(3);

    // The release report lists every file with its hash, format and figures.
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const wav = report.files.find((f: { path: string }) => f.path === 'streaming/24-bit/01 Opening.wav');
    const sha = spawnSync('sha256sum', [`${files[0]}.wav`], { encoding: 'utf8' }).stdout.split(' ')[0];
    expect(wav).toMatchObject({ format: 'wav', rateHz: R, bits: 24, sha256: sha });
    expect(wav.integratedLufs).toBeCloseTo(ffmpegEbur128(`${files[0]}.wav`).integratedLufs, 0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Segue: Into / Out');
  }, 120_000);

  it('gives the same bytes for the same project, every file of every variant', async () => {
    const one = join(dir, 'same-1');
    const two = join(dir, 'same-2');
    // The files' creation date (bext, PQ sheet) is the one thing a clock would change.
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    try {
      for (const o of [one, two]) expect((await runLathe('render', join(dir, 'gapless.json'), '--variant', 'cd,streaming', '--out', o)).code).toBe(0);
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
    const hashes = (o: string) => JSON.parse(readFileSync(join(o, 'report.json'), 'utf8')).files.map((f: { path: string; sha256: string }) => `${f.path} ${f.sha256}`);
    expect(hashes(one)).toHaveLength(15);
    expect(hashes(one)).toEqual(hashes(two));
    expect(readFileSync(join(one, 'report.json'), 'utf8')).toBe(readFileSync(join(two, 'report.json'), 'utf8'));
  }, 120_000);

  it('refuses artwork that is not square, and unknown variants, by name', async () => {
    writeFileSync(join(dir, 'wide.png'), png(8).map((x, i) => (i === 19 ? 16 : x)));
    const doc = JSON.parse(readFileSync(join(dir, 'gapless.json'), 'utf8'));
    writeFileSync(join(dir, 'wide.json'), JSON.stringify({ ...doc, artwork: 'wide.png' }));
    const r = await runLathe('render', join(dir, 'wide.json'), '--variant', 'streaming', '--out', join(dir, 'wide-out'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/wide\.png: the artwork is 16 x 8 px; covers must be square/);
    const v = await runLathe('render', join(dir, 'gapless.json'), '--variant', 'cd,tape', '--out', join(dir, 'tape-out'));
    expect(v.code).toBe(1);
    expect(v.err).toMatch(/there is no variant "tape"; choose from cd, streaming, hires, vinyl, adm or all/);
  });
});

describe('lathe render --variant all at 96 kHz', () => {
  const HI = 96_000;
  let out: string;
  beforeAll(async () => {
    // Track 1: a 1 kHz tone with a 30 kHz tone beside it, which no rate below 60 kHz may keep or fold
    // back; track 2: untouched 24-bit noise, which the hi-res master must keep bit for bit.
    const n = 6 * HI;
    const tone = new Float32Array(n).map((_, i) => Math.round((0.1 * Math.sin((2 * Math.PI * 1000 * i) / HI) + 0.4 * Math.sin((2 * Math.PI * 30_000 * i) / HI)) * 2 ** 23) / 2 ** 23);
    writeFileSync(join(dir, 'audio', 'ultra.wav'), encodeWav([tone, tone], { rateHz: HI, encoding: 's24le' }));
    const noise = [gridNoise(4 * HI, 24, 7).map((x) => x * 0.25), gridNoise(4 * HI, 24, 8).map((x) => x * 0.25)].map((c) => c.map((x) => Math.round(x * 2 ** 23) / 2 ** 23));
    writeFileSync(join(dir, 'audio', 'noise96.wav'), encodeWav(noise, { rateHz: HI, encoding: 's24le' }));
    writeFileSync(
      join(dir, 'hires.json'),
      JSON.stringify({
        format: 'lathe-album', version: 1, title: 'Hi', artist: 'Res', rateHz: HI,
        variants: { streaming: { formats: ['wav', 'flac'], cd16: true } },
        tracks: [{ title: 'Ultra', clips: [{ source: 'audio/ultra.wav' }] }, { title: 'Noise', clips: [{ source: 'audio/noise96.wav' }] }]
      })
    );
    out = join(dir, 'hires-out');
    const r = await runLathe('render', join(dir, 'hires.json'), '--variant', 'all', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  }, 240_000);

  it('writes DIR/cd, DIR/streaming (48 kHz 24-bit, 44.1 kHz 16-bit), DIR/hires at 96 kHz and DIR/vinyl, every FLAC sound', () => {
    expect(readdirSync(out).sort()).toEqual(['cd', 'hires', 'report.html', 'report.json', 'streaming', 'vinyl']);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.streaming.map((s: { rateHz: number }) => s.rateHz)).toEqual([48_000, 44_100]);
    expect(report.hires.rateHz).toBe(HI);
    const flacs = report.files.filter((f: { format?: string }) => f.format === 'flac');
    expect(flacs.map((f: { path: string; bits: number; rateHz: number }) => `${f.path} ${f.bits} ${f.rateHz}`)).toEqual([
      'hires/01 Ultra.flac 24 96000', 'hires/02 Noise.flac 24 96000',
      'streaming/16-bit/01 Ultra.flac 16 44100', 'streaming/16-bit/02 Noise.flac 16 44100',
      'streaming/24-bit/01 Ultra.flac 24 48000', 'streaming/24-bit/02 Noise.flac 24 48000'
    ]);
    if (!haveTools) return;
    for (const f of flacs) {
      const t = run('flac', ['-t', join(out, f.path)]);
      expect(t.status, f.path).toBe(0);
      expect(t.stderr).not.toMatch(/cannot check MD5/);
      const meta = run('metaflac', ['--show-sample-rate', '--show-bps', join(out, f.path)]).stdout.trim().split('\n');
      expect(meta).toEqual([String(f.rateHz), String(f.bits)]);
    }
  });

  it.skipIf(!haveTools)('keeps untouched 24-bit audio bit for bit in the hi-res master, never upsampled', () => {
    const src = soxRaw(join(dir, 'audio', 'noise96.wav'));
    expect(soxRaw(join(out, 'hires', '02 Noise.wav')).equals(src)).toBe(true);
    expect(flacRaw(join(out, 'hires', '02 Noise.flac')).equals(src)).toBe(true);
  });

  it.skipIf(!haveTools)('leaves nothing of a 30 kHz tone at any lower rate: no alias, measured by sox', () => {
    // Band energy where 30 kHz would fold to: 18 kHz at 48 kHz, 14.1 kHz at 44.1 kHz; the tone's
    // steady middle only (its start and end are clicks with energy everywhere).
    const band = (file: string, lo: number, hi: number, type: string[] = []) => {
      const r = run('sox', [...type, file, '-n', 'trim', '1', '4', 'sinc', `${lo}-${hi}`, 'stats']);
      return Number(/RMS lev dB\s+(-?[\d.]+)/.exec(r.stderr)?.[1]);
    };
    const ultra24 = join(out, 'streaming', '24-bit', '01 Ultra.wav');
    expect(band(ultra24, 500, 1500)).toBeCloseTo(-23, 0);
    // At 96 kHz the 30 kHz tone is there, and leaks into sox's filter at about -85 dB: the control.
    expect(band(join(out, 'hires', '01 Ultra.wav'), 13_100, 15_100)).toBeGreaterThan(-95);
    expect(band(ultra24, 17_000, 19_000)).toBeLessThan(-105);
    expect(band(ultra24, 13_100, 15_100)).toBeLessThan(-105);
    // 16 bits: the dither's floor in a 2 kHz band is about -105 dBFS.
    expect(band(join(out, 'streaming', '16-bit', '01 Ultra.wav'), 13_100, 15_100)).toBeLessThan(-100);
    const image = ['-t', 'raw', '-r', '44100', '-e', 'signed', '-b', '16', '-c', '2', '-L'];
    // IMAGE.DAT starts with the 2 s pause: its tone is at 2..8 s.
    const r = run('sox', [...image, join(out, 'cd', 'DDP', 'IMAGE.DAT'), '-n', 'trim', '3', '4', 'sinc', '13100-15100', 'stats']);
    expect(Number(/RMS lev dB\s+(-?[\d.]+)/.exec(r.stderr)?.[1])).toBeLessThan(-100);
  });

  it('mixes once per rate: the 16/44.1 streaming set is the CD audio bit for bit, hi-res and vinyl share the 96 kHz mix', () => {
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.renders).toEqual([{ rateHz: 44_100, variants: 2 }, { rateHz: 48_000, variants: 1 }, { rateHz: HI, variants: 2 }]);
    // IMAGE.DAT from track 1's INDEX 01 (after the 2 s pause) is the two 16-bit files in a row.
    const image = readFileSync(join(out, 'cd', 'DDP', 'IMAGE.DAT'));
    const pcm = (f: string) => {
      const wav = readFileSync(join(out, 'streaming', '16-bit', f));
      const at = wav.indexOf('data') + 8;
      return wav.subarray(at, at + wav.readUInt32LE(at - 4));
    };
    const files = Buffer.concat([pcm('01 Ultra.wav'), pcm('02 Noise.wav')]);
    const start = report.cd.tracks[0].index01Frame * 588 * 4;
    expect(image.subarray(start, start + files.length).equals(files)).toBe(true);
    // The vinyl side, mixed with the hi-res master (same rate, same chain), holds its samples.
    const side = readFileSync(join(out, report.vinyl.sides.at(-1).file));
    const hires = readFileSync(join(out, 'hires', '02 Noise.wav'));
    const noise = hires.subarray(hires.indexOf('data') + 8);
    expect(side.indexOf(noise.subarray(0, 3 * 4096))).toBeGreaterThan(0);
  });

  it('refuses to make a hi-res master from a 44.1 kHz album, saying why', async () => {
    const r = await runLathe('render', join(dir, 'gapless.json'), '--variant', 'hires', '--out', join(dir, 'no-hires'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/hires: the album is at 48 kHz; a hi-res master needs 88\.2 kHz or above and is never upsampled/);
  });
});

describe('a streaming target loudness', () => {
  it.skipIf(!haveTools)('is reached by one linear gain into the master limiter, which holds its ceiling', async () => {
    const doc = JSON.parse(readFileSync(join(dir, 'gapless.json'), 'utf8'));
    writeFileSync(join(dir, 'target.json'), JSON.stringify({ ...doc, artwork: undefined, variants: { streaming: { formats: ['wav'], targetLufs: -16 } }, masterChain: [{ plugin: 'lathe.limiter', params: { ceilingDbtp: -1 } }] }));
    const out = join(dir, 'target-out');
    const r = await runLathe('render', join(dir, 'target.json'), '--variant', 'streaming', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/gain [+-]?\d+\.\d+ dB into the master limiter/);
    const files = readdirSync(join(out, 'streaming', '24-bit')).map((f) => join(out, 'streaming', '24-bit', f)).sort();
    const whole = join(dir, 'target-whole.wav');
    expect(run('sox', [...files, whole]).status).toBe(0);
    const m = ffmpegEbur128(whole);
    expect(Math.abs(m.integratedLufs - -16)).toBeLessThan(0.3);
    expect(m.truePeakDbtp).toBeLessThanOrEqual(-0.9);
  }, 120_000);
});

describe('the codec round trip', () => {
  it('flags a hot master that goes over full scale once encoded, as afclip lists it, and the gain it names clears it', async () => {
    // Smoothed noise peaking at -0.5 dBFS, its true peak under 0 dBTP: loud, but no over until lossy-coded.
    const n = 5 * R;
    const hot = [gridNoise(n, 24, 21), gridNoise(n, 24, 22)].map((c) => {
      const s = c.map((_, i) => (c[i] + c[Math.max(0, i - 1)] + c[Math.max(0, i - 2)] + c[Math.max(0, i - 3)]) / 4);
      const peak = s.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      return s.map((x) => (x / peak) * 0.944);
    });
    writeFileSync(join(dir, 'audio', 'hot.wav'), encodeWav(hot, { rateHz: R, encoding: 's24le' }));
    const album = (gainDb: number) => ({
      format: 'lathe-album', version: 1, title: 'Hot', rateHz: R, variants: { streaming: { formats: ['wav'] } },
      tracks: [{ title: 'Hot', clips: [{ source: 'audio/hot.wav', gainDb }] }]
    });
    writeFileSync(join(dir, 'hot.json'), JSON.stringify(album(0)));
    const r = await runLathe('render', join(dir, 'hot.json'), '--variant', 'streaming', '--out', join(dir, 'hot-out'));
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'hot-out', 'report.json'), 'utf8'));
    const checks = report.streaming[0].codecCheck as { codec: string; decodedTruePeakDbtp: number; masterTruePeakDbtp: number; clearingGainDb: number | null; overs: { totals: { onSample: number; interSample: number }[] }; loudnessChangeLu: number }[];
    expect(checks.map((c) => c.codec)).toEqual(['vorbis', 'mp3']);
    // MP3 at 320 kbit/s takes this master over full scale; whichever codec overs is flagged with its gain.
    expect(checks[1].decodedTruePeakDbtp).toBeGreaterThan(0);
    for (const c of checks) {
      expect(c.masterTruePeakDbtp).toBeLessThan(0);
      const overs = c.overs.totals.reduce((s, t) => s + t.onSample + t.interSample, 0);
      if (c.decodedTruePeakDbtp > 0) {
        expect(overs).toBeGreaterThan(0);
        expect(c.clearingGainDb).toBeLessThanOrEqual(-(c.decodedTruePeakDbtp + 0.1) + 1e-9);
      } else expect([overs, c.clearingGainDb]).toEqual([0, null]);
      expect(Math.abs(c.loudnessChangeLu)).toBeLessThan(0.5);
    }
    expect(r.out).toMatch(/codec check, track 1, MP3 320 kbit\/s \(LAME\), decoded by mpg123: decoded \+?\d+\.\d dBTP .* overs: -\d+\.\d dB would clear them/);
    const text = readFileSync(join(dir, 'hot-out', 'streaming', 'codec-check.txt'), 'utf8');
    expect(text).toMatch(/CLIPPED SAMPLES:\n {3}SECONDS {8}SAMPLE {2}CHAN {5}VALUE {2}DECIBELS\n/);
    expect(text).toMatch(/channel 1: on-sample: \d+ {2}inter-sample: \d+/);
    expect(readFileSync(join(dir, 'hot-out', 'report.html'), 'utf8')).toMatch(/overs after encoding: -\d+\.\d dB would clear them/);

    // Take the larger of the gains it names: the master re-encoded has no overs.
    const gain = Math.min(...checks.map((c) => c.clearingGainDb ?? 0));
    writeFileSync(join(dir, 'cool.json'), JSON.stringify(album(gain)));
    expect((await runLathe('render', join(dir, 'cool.json'), '--variant', 'streaming', '--out', join(dir, 'cool-out'))).code).toBe(0);
    const cool = JSON.parse(readFileSync(join(dir, 'cool-out', 'report.json'), 'utf8')).streaming[0].codecCheck;
    for (const c of cool) expect(c.clearingGainDb, c.codec).toBeNull();
  }, 120_000);
});

describe('lathe render --variant vinyl', () => {
  it.skipIf(!haveTools)('writes one WAV a side with its pauses and a cue point a track, which ffprobe reads; checks each side; prints a cut sheet', async () => {
    const sec = 20;
    const tone = (f: number, side: number) => {
      const l = new Float32Array(sec * R);
      const r = new Float32Array(sec * R);
      for (let i = 0; i < l.length; i++) {
        // A bass line in the Mid, a tone above it, and bass in the Side: what an elliptical EQ is for.
        const m = 0.2 * Math.sin((2 * Math.PI * f * i) / R) + 0.15 * Math.sin((2 * Math.PI * 45 * i) / R);
        const s = side * Math.sin((2 * Math.PI * 60 * i) / R);
        l[i] = m + s;
        r[i] = m - s;
      }
      return [l, r];
    };
    writeFileSync(join(dir, 'audio', 'v1.wav'), encodeWav(tone(440, 0.2), { rateHz: R, encoding: 's24le' }));
    writeFileSync(join(dir, 'audio', 'v2.wav'), encodeWav(tone(660, 0), { rateHz: R, encoding: 's24le' }));
    const doc = (ellipticalHz: number) => ({
      format: 'lathe-album', version: 1, title: 'Wax <script>alert(1)</script>', artist: 'Cutter & Sons', catalog: 'LTH-001', rateHz: R,
      variants: { vinyl: { format: '12-33', sides: [[1, 2], [3]], ellipticalHz, limiter: false } },
      tracks: [
        { title: 'One', clips: [{ source: 'audio/v1.wav' }] },
        { title: 'Two', gapBeforeSec: 2, clips: [{ source: 'audio/v2.wav' }] },
        { title: 'Three', gapBeforeSec: 3, clips: [{ source: 'audio/v2.wav' }] }
      ],
      masterChain: [{ plugin: 'lathe.limiter', params: { ceilingDbtp: -1, inputGainDb: 6 } }]
    });
    writeFileSync(join(dir, 'wax.json'), JSON.stringify(doc(0)));
    const out = join(dir, 'wax-out');
    const r = await runLathe('render', join(dir, 'wax.json'), '--variant', 'vinyl', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/vinyl side A: 0:42\.00 .*A1 A2; check: .*Side against Mid below 150 Hz/);
    expect(r.out).toMatch(/vinyl side B: 0:20\.00 .*B1; checks passed/);
    const folder = join(out, 'vinyl');
    expect(readdirSync(folder).sort()).toEqual(['LTH-001 Side A 48k 24-bit.wav', 'LTH-001 Side B 48k 24-bit.wav', 'cut-sheet.html', 'report.json']);
    const sideA = join(folder, 'LTH-001 Side A 48k 24-bit.wav');
    // One continuous file: track 1, the 2 s pause, track 2; the cue points at each start, named.
    expect(run('soxi', ['-s', sideA]).stdout.trim()).toBe(String(42 * R));
    expect(run('soxi', ['-b', sideA]).stdout.trim()).toBe('24');
    const chapters = JSON.parse(run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_chapters', sideA]).stdout).chapters;
    expect(chapters.map((c: { start_time: string; tags: { title: string } }) => [Number(c.start_time), c.tags.title])).toEqual([[0, 'A1 One'], [22, 'A2 Two']]);
    // Without the final limiter the cut gets the unlimited master: neither its +6 dB drive nor its ceiling.
    const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
    expect(report.chain).toContain('master chain without its final limiter');
    expect(report.sides[0].truePeakDbtp).toBeGreaterThan(-6);
    expect(report.sides[0].truePeakDbtp).toBeLessThan(-2);
    expect(report.sides[0].tracks).toEqual([
      { code: 'A1', title: 'One', startSec: 0, endSec: 20, durationSec: 20 },
      { code: 'A2', title: 'Two', startSec: 22, endSec: 42, durationSec: 20 }
    ]);
    expect(report.sides[0].levelDb).toBe(4);
    const sheet = readFileSync(join(folder, 'cut-sheet.html'), 'utf8');
    expect(sheet).toContain('Wax &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(sheet).not.toContain('<script>');
    expect(sheet).toContain('Cutter &amp; Sons');
    expect(sheet).toMatch(/@media print/);
    expect(sheet).toMatch(/A2<\/td><td>Two<\/td><td class="n">0:22\.00<\/td><td class="n">0:42\.00<\/td><td class="n">0:20\.00/);

    // With the elliptical EQ at 150 Hz the Side's bass is gone, and the check passes.
    writeFileSync(join(dir, 'wax-e.json'), JSON.stringify(doc(150)));
    const e = await runLathe('render', join(dir, 'wax-e.json'), '--variant', 'vinyl', '--out', join(dir, 'wax-e-out'));
    expect(e.code).toBe(0);
    const eReport = JSON.parse(readFileSync(join(dir, 'wax-e-out', 'vinyl', 'report.json'), 'utf8'));
    const side = (rep: { sides: { checks: { id: string; value: number; ok: boolean }[] }[] }) => rep.sides[0].checks.find((c) => c.id === 'low-side')!;
    expect(side(report).ok).toBe(false);
    expect(side(eReport).ok).toBe(true);
    expect(side(eReport).value).toBeLessThan(side(report).value - 10);
  }, 120_000);

  it('refuses sides that leave out a track, by number', async () => {
    const docs = JSON.parse(readFileSync(join(dir, 'wax.json'), 'utf8'));
    writeFileSync(join(dir, 'wax-bad.json'), JSON.stringify({ ...docs, variants: { vinyl: { sides: [[1], [3]] } } }));
    const r = await runLathe('render', join(dir, 'wax-bad.json'), '--variant', 'vinyl', '--out', join(dir, 'wax-bad-out'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/wax-bad\.json: variants\.vinyl\.sides: every track must be on a side; 2 is not/);
  });
});
