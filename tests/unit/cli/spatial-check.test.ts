/**
 * `lathe spatial-check`: an immersive album of generated beds and objects, its fold-downs checked;
 * the immersive loudness of a 5.1 bed against ffmpeg's ebur128 (surround weights) on the same file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLathe } from '../../helpers/cli';
import { encodeWav } from '../../../src/lib/core/audio/wav';
import { gridNoise } from '../../helpers/signals';
import { ffmpegEbur128, hasFfmpeg } from '../../helpers/ffmpeg';
import type { SpatialReport } from '../../../src/lib/core/spatial/checks';

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
