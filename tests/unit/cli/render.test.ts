import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runLathe } from '../../helpers/cli';
import { encodeWav } from '../../../src/lib/core/audio/wav';
import { gridNoise, firstDifference } from '../../helpers/signals';
import { MemoryFolder } from '../../helpers/memory-folder';
import { loadAlbumFile } from '../../../src/cli/album-file';
import { fileSource } from '../../../src/cli/node-source';
import { readFrames } from '../../../src/lib/core/audio/reader';
import { deliverCd } from '../../../src/lib/core/delivery/cd';

const R = 44_100;
let dir: string;
const sources: Record<string, Float32Array[]> = {};

const has = (tool: string, arg = '--version') => {
  const ok = spawnSync(tool, [arg]).error === undefined;
  if (!ok) console.log(`render.test: ${tool} is not installed; its check is skipped (apt-get install ${tool === 'cd-info' ? 'libcdio-utils' : tool})`);
  return ok;
};

const run = runLathe;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-render-'));
  mkdirSync(join(dir, 'audio'));
  for (const [name, sec, seed] of [['a', 9.31, 1], ['b', 6.2, 3]] as const) {
    const n = Math.round(sec * R);
    sources[name] = [gridNoise(n, 15, seed).map((x) => x * 0.5 + 0), gridNoise(n, 15, seed + 1).map((x) => x * 0.5 + 0)];
    writeFileSync(join(dir, 'audio', `${name}.wav`), encodeWav(sources[name], { rateHz: R, encoding: 's16le' }));
  }
  writeFileSync(
    join(dir, 'disc.json'),
    JSON.stringify({
      format: 'lathe-album', version: 1, title: 'CLI Disc', artist: 'Lathe', composer: 'A. Composer', upc: '036000291452',
      tracks: [
        { title: 'First', isrc: 'GB-AYE-24-00001', flags: { copyPermitted: true }, clips: [{ source: 'audio/a.wav' }] },
        { title: 'Second', performer: 'Guest', songwriter: 'Someone', isrc: 'GB-AYE-24-00002', gapBeforeSec: 1.5, clips: [{ source: 'audio/b.wav' }] }
      ]
    })
  );
});

describe('lathe render --variant cd, ddp verify, ddp extract', () => {
  it('writes the DDP fileset, CUE/BIN, PQ sheet and report, which verify reads back', async () => {
    const out = join(dir, 'out');
    const r = await run('render', join(dir, 'disc.json'), '--variant', 'cd', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(join(out, 'DDP')).sort()).toEqual(['CDTEXT.BIN', 'CHECKSUM.MD5', 'DDPID', 'DDPMS', 'IMAGE.DAT', 'PQDESCR']);
    expect(readdirSync(out).sort()).toEqual(['DDP', 'disc.bin', 'disc.cue', 'pq-sheet.html', 'report.json']);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.upc).toBe('0036000291452');
    expect(report.tracks[0]).toMatchObject({ number: 1, index00Frame: 0, index01Frame: 150, isrc: 'GBAYE2400001' });
    // The pause runs from the first whole frame after track 1's audio to INDEX 01, 1.5 s after it.
    const audioEnd = 150 * 588 + Math.round(9.31 * R);
    expect(report.tracks[1].index00Frame).toBe(Math.ceil(audioEnd / 588));
    expect(report.tracks[1].index01Frame).toBe(Math.ceil((audioEnd + 1.5 * R) / 588));
    expect(typeof report.tracks[0].integratedLufs).toBe('number');
    expect(typeof report.tracks[0].truePeakDbtp).toBe('number');

    const v = await run('ddp', 'verify', join(out, 'DDP'));
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/01\s+01\s+00:02:00\s+\S+\s+GB-AYE-24-00001\s+DCP\s+First/);
    expect(v.out).toMatch(/No problems found/);

    const x = await run('ddp', 'extract', join(out, 'DDP'), '--out', join(dir, 'wavs'));
    expect(x.code).toBe(0);
    const wavs = readdirSync(join(dir, 'wavs')).sort();
    expect(wavs).toEqual(['01 First.wav', '02 Second.wav']);
    // Untouched 16-bit audio comes back bit for bit.
    const first = readFileSync(join(dir, 'wavs', wavs[0]));
    const expected = encodeWav(sources.a, { rateHz: R, encoding: 's16le' });
    expect(firstDifference(first.subarray(44, 44 + expected.length - 44), expected.subarray(44))).toBeNull();
  });

  it('reads and resamples in a second thread, giving the bytes an in-thread render gives', async () => {
    // 96 and 48 kHz sources, a clip that starts mid-file, two clips in one track.
    for (const [name, rate, sec] of [['hi', 96_000, 5.5], ['mid', 48_000, 4.5]] as const) {
      const n = Math.round(sec * rate);
      const ch = [0, 1].map((c) => new Float32Array(n).map((_, i) => 0.4 * Math.sin((2 * Math.PI * (440 + 200 * c) * i) / rate) + 0.05 * Math.sin(i / (9 + c))));
      writeFileSync(join(dir, 'audio', `${name}.wav`), encodeWav(ch, { rateHz: rate, encoding: 's24le' }));
    }
    const doc = {
      format: 'lathe-album', version: 1, title: 'Rates', rateHz: 96_000,
      tracks: [
        { title: 'One', clips: [{ source: 'audio/hi.wav', sourceOffsetSec: 0.7311, gainDb: -1 }] },
        { title: 'Two', clips: [{ source: 'audio/mid.wav', fadeInSec: 0.5 }, { source: 'audio/hi.wav', positionSec: 3, lengthSec: 2 }] }
      ]
    };
    writeFileSync(join(dir, 'rates.json'), JSON.stringify(doc));
    const out = join(dir, 'rates');
    const r = await run('render', join(dir, 'rates.json'), '--out', out, '--shaping', 'lipshitz');
    expect(r.err).toBe('');

    const { album, sources: files } = await loadAlbumFile(join(dir, 'rates.json'));
    const formats = new Map([...files.values()].map((f) => [f.id, { rateHz: f.info!.rateHz, bitDepth: f.info!.bitDepth, sampleFormat: f.info!.sampleFormat }]));
    const opened = new Map(await Promise.all([...files.values()].map(async (f) => [f.id, await fileSource(f.path, f.id)] as const)));
    const folder = new MemoryFolder();
    await deliverCd(
      album,
      formats,
      async (clip, start, n, dst) => {
        const f = files.get(clip.assetId)!;
        const planar = [new Float32Array(n), new Float32Array(n)];
        await readFrames(opened.get(clip.assetId)!, f.info!, start, n, planar);
        dst.forEach((d, c) => d.set(planar[c]));
      },
      folder,
      { baseName: 'rates', shaping: 'lipshitz', seed: 1, createdIso: '' }
    );
    for (const s of opened.values()) await s.close();
    const inThread = folder.files.get('DDP/IMAGE.DAT')!;
    const threaded = new Uint8Array(readFileSync(join(out, 'DDP', 'IMAGE.DAT')));
    expect(threaded.length).toBe(inThread.length);
    expect(firstDifference(threaded, inThread)).toBeNull();
  });

  it('fails verify on a corrupted IMAGE.DAT byte', async () => {
    const out = join(dir, 'corrupt');
    await run('render', join(dir, 'disc.json'), '--out', out);
    const image = join(out, 'DDP', 'IMAGE.DAT');
    const bytes = readFileSync(image);
    bytes[500_000] ^= 0x40;
    writeFileSync(image, bytes);
    const v = await run('ddp', 'verify', join(out, 'DDP'));
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/FAILED\s+MD5 IMAGE\.DAT/);
  });

  it('leaves nothing behind when it refuses, and never writes into a folder with files', async () => {
    writeFileSync(join(dir, 'short.json'), JSON.stringify({ format: 'lathe-album', version: 1, tracks: [{ clips: [{ source: 'audio/a.wav', lengthSec: 3 }] }] }));
    const r = await run('render', join(dir, 'short.json'), '--out', join(dir, 'never'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/a CD track must last at least 00:04:00/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
    expect(readdirSync(dir).some((n) => n.includes('partial'))).toBe(false);
    const busy = join(dir, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    const b = await run('render', join(dir, 'disc.json'), '--out', busy);
    expect(b.err).toMatch(/already holds files/);
    expect(readdirSync(busy)).toEqual(['keep.txt']);
  });

  describe('independent tools read what Lathe writes', () => {
    const out = () => join(dir, 'out');

    it.skipIf(!has('md5sum'))('md5sum -c accepts CHECKSUM.MD5', () => {
      const r = spawnSync('md5sum', ['-c', 'CHECKSUM.MD5'], { cwd: join(out(), 'DDP'), encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/IMAGE\.DAT: OK/);
    });

    it.skipIf(!has('cd-info'))('cd-info reads the CUE sheet: tracks, MCN, ISRC-free listing and CD-Text', () => {
      const r = spawnSync('cd-info', ['--no-device-info', '--no-cddb', '--cue-file', join(out(), 'disc.cue')], { encoding: 'utf8' });
      expect(r.stdout).toMatch(/1: 00:04:00\s+000150 audio/);
      expect(r.stdout).toMatch(/Media Catalog Number \(MCN\): 0036000291452/);
      expect(r.stdout).toMatch(/TITLE: CLI Disc/);
      expect(r.stdout).toMatch(/TITLE: Second/);
      // A track without a performer of its own gets the album's; one with its own keeps it.
      expect(r.stdout).toMatch(/CD-TEXT for Track {2}1:\s+TITLE: First\s+PERFORMER: Lathe/);
      expect(r.stdout).toMatch(/CD-TEXT for Track {2}2:\s+TITLE: Second\s+PERFORMER: Guest\s+SONGWRITER: Someone/);
    });

    it.skipIf(!has('cdrdao'))('cdrdao show-toc reads the CUE sheet: ISRCs, flags, pregaps', () => {
      // cdrdao opens the BIN relative to its working directory.
      const r = spawnSync('cdrdao', ['show-toc', 'disc.cue'], { cwd: out(), encoding: 'utf8' });
      const text = r.stdout + r.stderr;
      expect(text).toMatch(/CATALOG NUMBER: 0036000291452/);
      expect(text).toMatch(/ISRC GB AYE 24 00001/);
      expect(text).toMatch(/COPY PERMITTED/);
      expect(text).toMatch(/START\s+00:02:00\(\s*150\)/);
      expect(text).toMatch(/PREGAP 00:01:3\d\(\s*11[23]\)/);
    });

    it.skipIf(!has('bchunk', '-h'))('bchunk splits the BIN at the CUE indexes into the source audio', () => {
      const target = join(dir, 'bchunk');
      mkdirSync(target);
      const r = spawnSync('bchunk', ['-w', join(out(), 'disc.bin'), join(out(), 'disc.cue'), join(target, 'trk')], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      const t1 = readFileSync(join(target, 'trk01.wav'));
      const expected = encodeWav(sources.a, { rateHz: R, encoding: 's16le' });
      expect(firstDifference(t1.subarray(44, expected.length), expected.subarray(44))).toBeNull();
    });
  });
});
