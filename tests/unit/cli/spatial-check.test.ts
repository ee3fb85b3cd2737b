/**
 * `lathe spatial-check`: an immersive album of generated beds and objects, its fold-downs checked;
 * the immersive loudness of a 5.1 bed against ffmpeg's ebur128 (surround weights) on the same file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { readAdm } from '../../../src/lib/core/spatial/adm';
import { mediainfoJs } from '../../helpers/mediainfo';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLathe } from '../../helpers/cli';
import { encodeWav } from '../../../src/lib/core/audio/wav';
import { gridNoise } from '../../helpers/signals';
import { ffmpegEbur128, hasFfmpeg } from '../../helpers/ffmpeg';
import type { SpatialReport } from '../../../src/lib/core/spatial/checks';

const missing = ['sox', 'soxi', 'mediainfo', 'ffmpeg'].filter((t) => spawnSync(t, ['--version']).error);
if (missing.length) console.log(`spatial-check.test: ${missing.join(', ')} not installed; the checks that read with them are skipped (apt-get install sox mediainfo ffmpeg)`);
const has = (tool: string) => !missing.includes(tool);

const R = 48_000;
const SEC = 6;
let dir: string;
const noise = (seed: number, amp = 0.1) => gridNoise(SEC * R, 24, seed).map((x) => x * amp);
const silence = () => new Float32Array(SEC * R);
const album = (name: string, tracks: unknown[], monitor = '7.1.4') => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ format: 'lathe-album', version: 1, title: 'Rooms', artist: 'Lathe', rateHz: R, immersive: { monitor }, tracks }));
  return path;
};
const check = async (path: string) => {
  const r = await runLathe('spatial-check', path, '--json');
  return { code: r.code, err: r.err, report: r.code <= 1 && !r.err ? (JSON.parse(r.out) as SpatialReport) : null };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-spatial-'));
  mkdirSync(join(dir, 'audio'));
  writeFileSync(join(dir, 'audio', 'vox.wav'), encodeWav([noise(1)], { rateHz: R, encoding: 's24le' }));
  // A 5.1 bed in WAVE_FORMAT_EXTENSIBLE order (FL FR FC LFE BL BR), front and surrounds alive.
  writeFileSync(join(dir, 'audio', 'bed51.wav'), encodeWav([noise(2), noise(3), noise(4), silence(), noise(5, 0.05), noise(6, 0.05)], { rateHz: R, encoding: 's24le', channelMask: 0x3f }));
  // The same bed with its surrounds in opposite phase and a 1 kHz tone in the LFE: the checks must catch both.
  const ls = noise(7, 0.3);
  const lfe = new Float32Array(SEC * R).map((_, i) => 0.2 * Math.sin((2 * Math.PI * 1000 * i) / R));
  writeFileSync(join(dir, 'audio', 'bad51.wav'), encodeWav([silence(), silence(), silence(), lfe, ls, ls.map((x) => -x)], { rateHz: R, encoding: 's24le', channelMask: 0x3f }));
  writeFileSync(join(dir, 'audio', 'stereo.wav'), encodeWav([noise(8), noise(9)], { rateHz: R, encoding: 's24le' }));
});

describe('lathe spatial-check', () => {
  it('measures a 5.1 bed as ffmpeg ebur128 does, and finds its Lo/Ro within 2 LU', async () => {
    const { code, report } = await check(album('bed.json', [{ title: 'Bed', clips: [{ source: 'audio/bed51.wav', bed: '5.1' }] }], '5.1'));
    expect(code).toBe(0);
    const t = report!.tracks[0];
    if (hasFfmpeg) expect(Math.abs((t.integratedLufs as number) - ffmpegEbur128(join(dir, 'audio', 'bed51.wav')).integratedLufs)).toBeLessThan(0.1);
    const loro = t.foldDowns.find((f) => f.id === 'LoRo')!;
    expect(Math.abs(loro.deltaLu as number)).toBeLessThan(2);
    expect(report!.findings).toEqual([]);
  });

  it('names the object a fold-down loses, the fold-down and the time: an object moving to the top back', async () => {
    const { code, report } = await check(album('object.json', [{ title: 'Flight', clips: [{ source: 'audio/vox.wav', object: { x: -1, y: 1, z: 0, keyframes: [{ atSec: 2, x: -1, y: 1, z: 0 }, { atSec: 4, x: 0, y: -1, z: 1 }] } }] }]));
    expect(code).toBe(1);
    const o = report!.tracks[0].objects[0];
    expect(o.name).toBe('track 1, clip 1 (audio/vox.wav)');
    // At the top back the object feeds Ltr and Rtr at 0.707 each: 5.1 keeps half its power in Ls/Rs, Lo/Ro a quarter.
    expect(o.worst?.id).toBe('LoRo');
    expect(o.worst!.lossDb).toBeCloseTo(-6.02, 1);
    expect(o.worst!.atSec).toBeGreaterThan(4);
    const finding = report!.findings.find((f) => f.object === o.name)!;
    expect(finding.track).toBe(1);
    expect(finding.message).toMatch(/loses [\d.]+ dB in stereo Lo\/Ro/);
    // Over the whole track, from the front left (nothing lost) to the top back: some loss, less than at worst.
    expect(o.lossDb.LoRo).toBeLessThan(-0.3);
    expect(o.lossDb.LoRo).toBeGreaterThan(o.worst!.lossDb);
  });

  it('flags surrounds that cancel in mono and an LFE carrying 1 kHz', async () => {
    const { report } = await check(album('bad.json', [{ title: 'Trouble', clips: [{ source: 'audio/bad51.wav', bed: '5.1' }] }], '5.1'));
    const messages = report!.findings.map((f) => f.message).join('\n');
    expect(report!.tracks[0].monoSumDb).toBeLessThan(-20);
    expect(messages).toMatch(/mono sum of Lo\/Ro loses/);
    expect(messages).toMatch(/LFE carries content above 150 Hz/);
  });

  it('takes a stereo clip with neither bed nor object as the front pair, and prints a table', async () => {
    const path = album('pair.json', [{ title: 'Pair', clips: [{ source: 'audio/stereo.wav' }] }]);
    const r = await runLathe('spatial-check', path);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/Immersive mix on 7\.1\.4/);
    expect(r.out).toMatch(/stereo Lo\/Ro/);
    const { report } = await check(path);
    // L and R feed L and R alone: every fold-down keeps the loudness.
    for (const f of report!.tracks[0].foldDowns) expect(Math.abs(f.deltaLu as number)).toBeLessThan(0.05);
  });

  it('refuses a bed of the wrong channel count, an object outside the room, and keyframes out of order, by name', async () => {
    let r = await runLathe('spatial-check', album('wrong.json', [{ title: 'W', clips: [{ source: 'audio/stereo.wav', bed: '5.1' }] }]));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/a clip of "W" is a 5\.1 bed of 6 channels, but its audio has 2/);
    r = await runLathe('spatial-check', album('out.json', [{ title: 'O', clips: [{ source: 'audio/vox.wav', object: { x: 2 } }] }]));
    expect(r.err).toMatch(/out\.json.*tracks\[0\]\.clips\[0\]\.object\.x.*-1 to 1/);
    r = await runLathe('spatial-check', album('order.json', [{ title: 'K', clips: [{ source: 'audio/vox.wav', object: { keyframes: [{ atSec: 3 }, { atSec: 1 }] } }] }]));
    expect(r.err).toMatch(/keyframes\[1\]: keyframes must be in time order/);
    writeFileSync(join(dir, 'flat.json'), JSON.stringify({ format: 'lathe-album', version: 1, title: 'F', rateHz: R, tracks: [{ title: 'F', clips: [{ source: 'audio/vox.wav', object: { x: 0 } }] }] }));
    r = await runLathe('spatial-check', join(dir, 'flat.json'));
    expect(r.err).toMatch(/a bed or an object needs an immersive album/);
  });
});

describe('lathe render --variant adm', () => {
  let out: string;
  let printed = '';
  let report: { channels: number; objects: number; bed: string; rateHz: number; integratedLkfs: number; apple: { ok: boolean }[]; stereoFile: string; file: string };
  beforeAll(async () => {
    // A 7.1.2 bed of ten channels and two objects, one mono (with keyframes and a jump), one stereo.
    const bed = Array.from({ length: 10 }, (_, c) => (c === 3 ? silence() : noise(20 + c, 0.03)));
    writeFileSync(join(dir, 'audio', 'bed712.wav'), encodeWav(bed, { rateHz: R, encoding: 's24le' }));
    const path = album('adm.json', [
      { title: 'Opening', clips: [
        { source: 'audio/bed712.wav', bed: '7.1.2' },
        { source: 'audio/vox.wav', object: { x: 0, y: 1, z: 0, gainDb: -3, keyframes: [{ atSec: 2, x: -1, y: 0, z: 1 }, { atSec: 4, x: 1, y: -1, z: 0, jump: true }] } },
        { source: 'audio/stereo.wav', positionSec: 1, lengthSec: 4, object: { x: 0, y: -1, z: 0.5, size: 0.4 } }
      ] }
    ]);
    out = join(dir, 'adm-out');
    const r = await runLathe('render', path, '--variant', 'adm', '--out', out);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/adm: 13 channels \(a 7\.1\.2 bed, 3 objects\) at 48 kHz/);
    printed = r.out;
    report = JSON.parse(readFileSync(join(out, 'adm', 'report.json'), 'utf8'));
  }, 120_000);

  it('writes a BW64 whose chna and axml Lathe reads back: the bed, the objects and their keyframes', () => {
    const back = readAdm(readFileSync(join(out, report.file)).subarray(0, 1 << 20));
    expect(back.rateHz).toBe(48_000);
    expect(back.channels).toBe(13);
    expect(back.programme).toBe('Atmos_Master');
    expect(back.bed).toEqual(['RC_L', 'RC_R', 'RC_C', 'RC_LFE', 'RC_Lss', 'RC_Rss', 'RC_Lrs', 'RC_Rrs', 'RC_Lts', 'RC_Rts']);
    expect(back.tracks.map((t) => t.index)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(back.objects.map((o) => o.name)).toEqual(['T1 C2 audio/vox.wav', 'T1 C3 audio/stereo.wav L', 'T1 C3 audio/stereo.wav R']);
    const vox = back.objects[0];
    // Held at the start, moved to the 2 s keyframe, held until the jump at 4 s, then at the jump's place to the end.
    // The clip starts at 2 s (track 1's pause); every object spans the programme, as the profile asks.
    expect(vox.blocks.map((b) => [b.rtimeSec, b.x, b.y, b.z, b.jump])).toEqual([[0, 0, 1, 0, true], [2.01, -1, 0, 1, false], [4, -1, 0, 1, true], [6, 1, -1, 0, true]]);
    expect(vox.blocks.at(-1)!.rtimeSec + vox.blocks.at(-1)!.durationSec).toBe(8);
    expect(vox.startSec).toBe(0);
    // Without keyframes, one block: where it stands, all through.
    expect(back.objects[1].blocks.map((b) => [b.rtimeSec, b.durationSec, b.jump])).toEqual([[0, 8, true]]);
    expect(back.objects[1].blocks[0].x).toBeCloseTo(-0.2, 6);
    expect(back.objects[2].blocks[0].x).toBeCloseTo(0.2, 6);
  });

  it.skipIf(!has('sox') || !has('soxi'))('carries each object\'s own audio on its channel, and the stereo master in sync with it', () => {
    // Channel 11 is the mono object: vox.wav under its clip gain (0 dB) from 2 s (the pause), silent before.
    const raw = spawnSync('sox', [join(out, report.file), '-t', 'raw', '-e', 'signed', '-b', '24', '-L', '-', 'remix', '11'], { maxBuffer: 1 << 28 });
    const src = noise(1);
    const got = raw.stdout as Buffer;
    let worst = 0;
    for (let i = 0; i < src.length; i += 101) worst = Math.max(worst, Math.abs(got.readIntLE((i + 2 * R) * 3, 3) / 2 ** 23 - src[i]));
    for (let i = 0; i < 2 * R; i += 97) expect(got.readIntLE(i * 3, 3)).toBe(0);
    // The bed in the same frames is processed, so those frames are dithered: within its 1 LSB.
    expect(worst).toBeLessThanOrEqual(1 / 2 ** 23);
    const len = (f: string) => Number(spawnSync('soxi', ['-s', join(out, f)], { encoding: 'utf8' }).stdout.trim());
    expect(len(report.stereoFile)).toBe(len(report.file));
  });

  it('is read by mediainfo.js as ADM in the Dolby Atmos Master profile, without conformance errors, its counts matching', async () => {
    const audio = (await mediainfoJs(join(out, report.file))).find((t) => t['@type'] === 'Audio')!;
    const extra = audio.extra as Record<string, unknown>;
    expect(audio.Channels).toBe('13');
    expect(extra.Metadata_Format).toBe('ADM, Version 2');
    // The profile as declared, and as mediainfo finds the file shaped.
    expect(extra.AdmProfile).toEqual([{ Format: 'Dolby Atmos Master', Version: '1', Level: '1' }, { Format: 'Dolby Atmos Master', Version: '1' }]);
    expect(extra.ConformanceErrors).toBeUndefined();
    expect(extra.ConformanceWarnings).toBeUndefined();
    // A bed object and three objects; a pack format each; ten bed channels and three object channels.
    expect([extra.NumberOfObjects, extra.NumberOfPackFormats, extra.NumberOfChannelFormats, extra.NumberOfTrackUIDs]).toEqual(['4', '4', '13', '13']);
    const packs = extra.PackFormat as { TypeDefinition: string; ChannelLayout?: string }[];
    expect(packs[0]).toMatchObject({ TypeDefinition: 'DirectSpeakers', ChannelLayout: 'L R C LFE Lss Rss Lb Rb Tsl Tsr' });
    expect(packs.slice(1).map((p) => p.TypeDefinition)).toEqual(['Objects', 'Objects', 'Objects']);
  });

  it.skipIf(!has('mediainfo'))('is read by Debian\'s mediainfo as ADM with the same counts', () => {
    const text = spawnSync('mediainfo', [join(out, report.file)], { encoding: 'utf8' }).stdout;
    expect(text).toMatch(/Metadata format\s+: ADM, Version 2/);
    expect(text).toMatch(/Number of objects\s+: 4/);
    expect(text).toMatch(/Number of channel formats\s+: 13/);
    expect(text).toMatch(/Programme #1\s+: Atmos_Master/);
  });

  it('checks Apple Music\'s limits on the immersive render and says which it misses', () => {
    // This mix is at about -17.3 LKFS: louder than Apple's -18; its peaks are far below -1 dBTP.
    expect(report.integratedLkfs).toBeGreaterThan(-18);
    expect(report.apple.map((a) => a.ok)).toEqual([false, true]);
    expect(printed).toMatch(/Apple Music: integrated loudness -17\.\d LKFS, at most -18 LKFS: NOT MET/);
  });
});

describe('ADM object channels', () => {
  it('carries clips that follow each other on one object, each block with its clip position, gain and size', async () => {
    const path = album('packed.json', [
      { title: 'One', clips: [{ source: 'audio/vox.wav', object: { x: -1, y: 1, z: 0, gainDb: -6 } }] },
      { title: 'Two', gapBeforeSec: 1, clips: [{ source: 'audio/vox.wav', object: { x: 1, y: -1, z: 1, size: 0.5 } }] }
    ]);
    const out = join(dir, 'packed-out');
    const r = await runLathe('render', path, '--variant', 'adm', '--out', out);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/adm: 1 channel \(1 object\)/);
    const back = readAdm(readFileSync(join(out, 'adm', 'packed ADM.wav')).subarray(0, 1 << 20));
    expect(back.objects.map((o) => o.name)).toEqual(['Object 1: T1 C1 audio/vox.wav, T2 C1 audio/vox.wav']);
    // Track 1 from 2 s to 8 s, track 2 from 9 s (after its 1 s pause) to 15 s.
    expect(back.objects[0].blocks.map((b) => [b.rtimeSec, b.durationSec, b.x, b.y, b.z, Math.round(b.gain * 1000) / 1000, b.size])).toEqual([
      [0, 8, -1, 1, 0, 0.501, 0],
      [8, 7, 1, -1, 1, 1, 0.5]
    ]);
  });
});

describe('the stereo variants of an immersive album', () => {
  it('are its Lo/Ro fold-down: the streaming master equals the ADM stereo master, and the CD measures as spatial-check\'s Lo/Ro', async () => {
    const path = join(dir, 'adm.json');
    const out = join(dir, 'stereo-out');
    const r = await runLathe('render', path, '--variant', 'cd,streaming,adm', '--out', out);
    expect(r.err).toBe('');
    const pcm = (f: string) => {
      const wav = readFileSync(f);
      const at = wav.indexOf('data') + 8;
      return wav.subarray(at, at + wav.readUInt32LE(at - 4));
    };
    const stream = pcm(join(out, 'streaming', '24-bit', '01 Opening.wav'));
    const adm = pcm(join(out, 'adm', 'adm stereo.wav')).subarray(2 * R * 6);
    // Both dithered at 24 bits from the same Lo/Ro mix (no master chain): within 2 LSB, frame for frame.
    let worst = 0;
    for (let i = 0; i < stream.length / 3; i += 7) worst = Math.max(worst, Math.abs(stream.readIntLE(i * 3, 3) - adm.readIntLE(i * 3, 3)));
    expect(worst).toBeLessThanOrEqual(2);
    // The CD is at 44.1 kHz, where this white noise loses its top 2 kHz (about 0.6 LU, K-weighted): measured against the mix at that rate.
    const at44 = join(dir, 'adm-44.json');
    writeFileSync(at44, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), rateHz: 44_100 }));
    const check = JSON.parse((await runLathe('spatial-check', at44, '--json')).out) as SpatialReport;
    const cd = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).cd.tracks[0].integratedLufs;
    expect(Math.abs(cd - (check.tracks[0].foldDowns.find((f) => f.id === 'LoRo')!.integratedLufs as number))).toBeLessThan(0.1);
  });
});
