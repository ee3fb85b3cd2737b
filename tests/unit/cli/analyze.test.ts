import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLathe } from '../../helpers/cli';
import { encodeWav } from '../../../src/lib/core/audio/wav';
import { programme } from '../../helpers/programme';
import { ffmpegEbur128 } from '../../helpers/ffmpeg';

let dir: string;
const R = 48_000;

const run = runLathe;

function sine(sec: number, dbfs: number, rate = R): Float32Array {
  const a = Math.pow(10, dbfs / 20);
  return new Float32Array(Math.round(sec * rate)).map((_, i) => a * Math.sin((2 * Math.PI * 1000 * i) / rate));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-analyze-'));
  mkdirSync(join(dir, 'audio'));
  const s = sine(20, -23);
  writeFileSync(join(dir, 'audio', 'tone.wav'), encodeWav([s, s], { rateHz: R, encoding: 's24le' }));
  const silent = new Float32Array(R * 5);
  writeFileSync(join(dir, 'audio', 'silence.wav'), encodeWav([silent, silent], { rateHz: R, encoding: 's16le' }));
  const loud = programme({ rateHz: R, seconds: 12, seed: 4, sectionsDb: [0, 0], width: 0.4 }).map((ch) => ch.map((x) => Math.max(-1, Math.min(1, x * 3))));
  writeFileSync(join(dir, 'audio', 'hot.wav'), encodeWav(loud, { rateHz: R, encoding: 's16le' }));
  writeFileSync(
    join(dir, 'album.json'),
    JSON.stringify({
      format: 'lathe-album', version: 1, rateHz: R,
      tracks: [
        { title: 'Tone', clips: [{ source: 'audio/tone.wav' }] },
        { title: 'Quieter', gapBeforeSec: 1, clips: [{ source: 'audio/tone.wav', gainDb: -6 }] }
      ]
    })
  );
});

describe('lathe analyze', () => {
  it('reports every documented field as JSON, with null loudness for digital silence', async () => {
    const r = await run('analyze', join(dir, 'audio', 'tone.wav'), join(dir, 'audio', 'silence.wav'), '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    const [tone, silence] = doc.tracks;
    for (const key of ['file', 'rateHz', 'channels', 'bitDepth', 'durationSec', 'integratedLufs', 'loudnessRangeLu', 'truePeakDbtp', 'samplePeakDbfs', 'maxMomentaryLufs', 'maxShortTermLufs', 'plrDb', 'checks']) {
      expect(tone).toHaveProperty(key);
    }
    expect(tone).toMatchObject({ rateHz: R, channels: 2, bitDepth: 24, durationSec: 20 });
    expect(Math.abs(tone.integratedLufs + 23)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(tone.truePeakDbtp + 23)).toBeLessThanOrEqual(0.2);
    expect(silence).toMatchObject({ integratedLufs: null, loudnessRangeLu: null, truePeakDbtp: null, samplePeakDbfs: null, maxMomentaryLufs: null, plrDb: null });
    expect(silence.checks.map((c: { id: string }) => c.id)).toEqual(['silent']);
    expect(r.out).not.toMatch(/Infinity|NaN/);
    expect(Object.keys(doc.album).sort()).toEqual(['integratedLufs', 'loudnessRangeLu', 'truePeakDbtp']);
    expect(Math.abs(doc.album.integratedLufs + 23)).toBeLessThanOrEqual(0.1);
  });

  it('flags a hot, clipped, limited 16-bit mix', async () => {
    const r = await run('analyze', join(dir, 'audio', 'hot.wav'), '--json');
    const ids = JSON.parse(r.out).tracks[0].checks.map((c: { id: string }) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['clipping', 'no-headroom', 'low-bit-depth', 'heavily-limited']));
  });

  it('analyzes an album.json track by track as it plays, and the album gated together', async () => {
    const r = await run('analyze', join(dir, 'album.json'), '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.tracks).toHaveLength(2);
    expect(Math.abs(doc.tracks[0].integratedLufs + 23)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(doc.tracks[1].integratedLufs + 29)).toBeLessThanOrEqual(0.1);
    // Track 1 runs to track 2's INDEX 01: 20 s of tone and 1 s of gap.
    expect(doc.tracks[0].durationSec).toBe(21);
    // Gated together: the -29 track sits within 10 LU, so the album is their energy mean.
    const expected = -0.691 + 10 * Math.log10((Math.pow(10, (-23 + 0.691) / 10) + Math.pow(10, (-29 + 0.691) / 10)) / 2);
    expect(Math.abs(doc.album.integratedLufs - expected)).toBeLessThanOrEqual(0.1);
  });

  it('prints a readable table and the checks', async () => {
    const r = await run('analyze', join(dir, 'audio', 'tone.wav'), join(dir, 'audio', 'hot.wav'));
    expect(r.out).toMatch(/I LUFS\s+LRA LU\s+TP dBTP/);
    expect(r.out).toMatch(/tone\.wav\s+48000\s+24\s+20\.0 s\s+-23\.0/);
    expect(r.out).toMatch(/^Album: /m);
    expect(r.out).toMatch(/error\s+.*hot\.wav: \d+ run\(s\) of clipped samples/);
  });

  it('refuses a file that is not audio, by name', async () => {
    writeFileSync(join(dir, 'notes.wav'), 'not audio');
    const r = await run('analyze', join(dir, 'notes.wav'));
    expect(r.code).toBe(1);
    expect(r.err).toBe(`lathe analyze: ${join(dir, 'notes.wav')}: this is not an audio file Lathe can read (WAV, BW64, RF64, AIFF, FLAC, MP3).`);
  });
});

describe('lathe analyze --master', () => {
  it('measures the master as the CD delivers it: through the chains, with the figures the render reports', async () => {
    const hot = programme({ rateHz: R, seconds: 14, seed: 9, sectionsDb: [-8, -4], width: 0.6 });
    writeFileSync(join(dir, 'audio', 'prog.wav'), encodeWav(hot, { rateHz: R, encoding: 's24le' }));
    const path = join(dir, 'mastered.json');
    writeFileSync(
      path,
      JSON.stringify({
        format: 'lathe-album', version: 1, rateHz: R,
        tracks: [
          { title: 'One', clips: [{ source: 'audio/prog.wav', lengthSec: 7 }] },
          { title: 'Two', gapBeforeSec: 1.5, clips: [{ source: 'audio/prog.wav', sourceOffsetSec: 7 }], chain: [{ plugin: 'lathe.eq', params: { band1Type: 'highShelf', band1FreqHz: 6000, band1GainDb: 3 } }] }
        ],
        masterChain: [{ plugin: 'lathe.limiter', params: { ceilingDbtp: -3, inputGainDb: 12 } }]
      })
    );
    const r = await run('analyze', path, '--master', '--json');
    expect(r.err).toBe('');
    const doc = JSON.parse(r.out);
    const mix = doc.tracks;
    const [master] = doc.master;
    expect(master.tracks).toHaveLength(2);
    // 12 dB into a -3 dBTP limiter: far louder than the mix, and under the ceiling.
    for (let i = 0; i < 2; i++) {
      expect(master.tracks[i].integratedLufs).toBeGreaterThan(mix[i].integratedLufs + 3);
      expect(master.tracks[i].truePeakDbtp).toBeLessThanOrEqual(-3);
      expect(master.tracks[i].rateHz).toBe(44_100);
    }
    expect(master.album.integratedLufs).toBeGreaterThan(doc.album.integratedLufs + 3);
    // The render writes a CD whose report gives the same figures.
    const out = join(dir, 'mastered-cd');
    expect((await run('render', path, '--out', out)).code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    report.tracks.forEach((t: { integratedLufs: number; truePeakDbtp: number }, i: number) => {
      expect(t.integratedLufs).toBe(master.tracks[i].integratedLufs);
      expect(t.truePeakDbtp).toBe(master.tracks[i].truePeakDbtp);
    });
    const text = await run('analyze', path, '--master');
    expect(text.out).toMatch(/Master as the CD delivers it/);
    expect(text.out).toMatch(/Master album: -?\d+\.\d LUFS integrated/);
  });

  it('refuses --master on a plain file', async () => {
    const r = await run('analyze', join(dir, 'audio', 'tone.wav'), '--master');
    expect(r.code).toBe(64);
    expect(r.err).toMatch(/--master measures album\.json files/);
  });

  it("previews the platforms' normalization: Spotify's own example, checked against ffmpeg's meter", async () => {
    // A tone at -20 LUFS with one spike that sets the true peak near -5 dBTP.
    const n = 20 * R;
    const tone = sine(20, -20);
    tone[n / 2] = Math.pow(10, -5 / 20);
    const file = join(dir, 'audio', 'spotify-example.wav');
    writeFileSync(file, encodeWav([tone, tone], { rateHz: R, encoding: 'f32le' }));
    const ref = ffmpegEbur128(file);
    expect(ref.integratedLufs).toBeCloseTo(-20, 0);
    expect(ref.truePeakDbtp).toBeCloseTo(-5, 0);
    const r = await run('analyze', file, join(dir, 'audio', 'tone.wav'), '--platforms', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    const spotify = doc.platforms[0].platforms.find((p: { platform: { id: string } }) => p.platform.id === 'spotify');
    const t = spotify.tracks[0];
    // Raised only until 1 dB of true-peak headroom is left: about +4 dB, to about -16 LUFS, not -14.
    expect(t.limitedBy).toBe('peak');
    expect(Math.abs(t.gainDb - (-1 - ref.truePeakDbtp))).toBeLessThan(0.15);
    expect(Math.abs(t.heardLufs - (ref.integratedLufs + t.gainDb))).toBeLessThan(0.15);
    expect(t.heardLufs).toBeCloseTo(-16, 0);
    // The -23 LUFS tone has headroom to spare: raised to -14 on Spotify, left alone by down-only YouTube.
    expect(spotify.tracks[1]).toMatchObject({ limitedBy: 'reference' });
    expect(spotify.tracks[1].heardLufs).toBeCloseTo(-14, 5);
    const youtube = doc.platforms[0].platforms.find((p: { platform: { id: string } }) => p.platform.id === 'youtube');
    expect(youtube.tracks[1]).toMatchObject({ gainDb: 0, limitedBy: 'down-only' });
    expect(spotify.platform).toMatchObject({ source: expect.stringContaining('spotify.com'), checkedOn: expect.stringMatching(/^\d{4}-/) });

    const text = await run('analyze', join(dir, 'album.json'), '--platforms');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/Platform loudness preview: .*album\.json as delivered/);
    expect(text.out).toMatch(/Spotify\s+-14\s+.*#1 Tone\s+\+9\.0\s+-14\.0/);
    expect(text.out).toMatch(/SoundCloud\s+none .* does not normalize/);
    expect(text.out).toMatch(/^  Spotify: https:\/\/support\.spotify\.com.*\(\d{4}-\d\d-\d\d\)$/m);
  });

  it('checks the consistency of an album: the track 4 dB louder and the darker one, each with a move to try', async () => {
    const album = join(dir, 'consistency');
    mkdirSync(join(album, 'audio'), { recursive: true });
    const a = Math.exp((-2 * Math.PI * 2000) / R);
    for (let i = 0; i < 5; i++) {
      let ch = programme({ rateHz: R, seconds: 10, seed: 30 + i, sectionsDb: [-2, 0], width: 0.4 });
      if (i === 1) ch = ch.map((x) => x.map((v) => v * 10 ** (4 / 20)));
      if (i === 3) ch = ch.map((x) => { let y = 0; return x.map((v) => (y = (1 - a) * v + a * y)); });
      writeFileSync(join(album, 'audio', `t${i}.wav`), encodeWav(ch, { rateHz: R, encoding: 's24le' }));
    }
    writeFileSync(join(album, 'album.json'), JSON.stringify({ format: 'lathe-album', version: 1, rateHz: R, tracks: Array.from({ length: 5 }, (_, i) => ({ title: `Song ${i + 1}`, clips: [{ source: `audio/t${i}.wav` }] })) }));
    const r = await run('analyze', join(album, 'album.json'), '--json');
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    const c = doc.consistency[0];
    expect(c.of).toBe(join(album, 'album.json'));
    expect(c.measured).toBe('mix');
    expect(c.tracks).toHaveLength(5);
    const loud = c.findings.filter((f: { id: string }) => f.id === 'loudness');
    expect(loud.map((f: { track: number }) => f.track)).toEqual([2]);
    expect(Math.abs(loud[0].gainDb + 4)).toBeLessThanOrEqual(0.5);
    const tone = c.findings.filter((f: { id: string }) => f.id === 'tone');
    expect(tone.map((f: { track: number }) => f.track)).toEqual([4]);
    expect(tone[0].eq).toMatchObject({ type: 'high-shelf', freqHz: 4000 });
    expect(doc.tracks[0]).not.toHaveProperty('spectrum');
    const text = await run('analyze', join(album, 'album.json'));
    expect(text.out).toMatch(/Album consistency: .*album\.json/);
    expect(text.out).toMatch(/^outlier 2 Song 2: \+4\.\d LU against the album's other tracks \(integrated\)\. Try: Gain -4\.0 dB/m);
    expect(text.out).toMatch(/^outlier 4 Song 4: Darker than the album: 4-16 kHz -\d+\.\d dB against the mids\. Try: High shelf \+\d\.\d dB at 4 kHz\./m);
  });
});
