import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runLathe } from '../../helpers/cli';
import { encodeWav } from '../../../src/lib/core/audio/wav';
import { sine } from '../../helpers/signals';

const R = 44_100;
let dir: string;

function wav(name: string, sec: number, rate = R) {
  const s = sine(Math.round(sec * rate), rate, 440, 0.25);
  writeFileSync(join(dir, 'audio', name), encodeWav([s, s], { rateHz: rate, encoding: 's24le' }));
}

function album(name: string, doc: unknown) {
  writeFileSync(join(dir, name), JSON.stringify(doc));
  return join(dir, name);
}

const run = runLathe;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lathe-cli-'));
  mkdirSync(join(dir, 'audio'));
  wav('a.wav', 30);
  wav('b.wav', 3);
  wav('c.wav', 20, 48_000);
});

describe('lathe info', () => {
  it('lists tracks with start and length in MM:SS:FF and the total', async () => {
    const path = album('ok.json', {
      format: 'lathe-album', version: 1, title: 'Ok', artist: 'Me',
      tracks: [
        { title: 'One', clips: [{ source: 'audio/a.wav' }] },
        { title: 'Two', gapBeforeSec: 1.5, clips: [{ source: 'audio/c.wav', sourceOffsetSec: 5 }] }
      ],
      masterChain: []
    });
    const r = await run('info', path);
    expect(r.code).toBe(0);
    // As the CD is written: track 1's audio ends on sector 2400; the 1.5 s pause (112.5 sectors)
    // grows to 113 so track 2's audio starts on a sector.
    expect(r.out).toMatch(/1\s+One\s+00:00:00\s+00:02:00\s+00:31:38/);
    expect(r.out).toMatch(/2\s+Two\s+00:32:00\s+00:33:38\s+00:15:00\s+1\.51 s \(113 fr\)/);
    expect(r.out).toMatch(/Total 00:48:38/);
    expect(r.out).toMatch(/Red Book: no problems found/);
    const j = JSON.parse((await run('info', path, '--json')).out);
    expect(j.tracks[1]).toMatchObject({ startMsf: '00:33:38', lengthMsf: '00:15:00', pauseFrames: 113, index00Frame: 2400, index01Frame: 2513 });
    expect(j).toMatchObject({ leadOutFrame: 3638, totalMsf: '00:48:38' });

    // The render writes what info shows.
    const out = join(dir, 'ok-cd');
    expect((await run('render', path, '--out', out)).code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.leadOutFrame).toBe(j.leadOutFrame);
    expect(report.tracks.map((t: { index00Frame: number; index01Frame: number; lengthFrames: number }) => [t.index00Frame, t.index01Frame, t.lengthFrames])).toEqual(
      j.tracks.map((t: { index00Frame: number; index01Frame: number; lengthFrames: number }) => [t.index00Frame, t.index01Frame, t.lengthFrames])
    );
  });

  it('reports every Red Book problem and exits 2', async () => {
    const path = album('bad.json', {
      format: 'lathe-album', version: 1,
      tracks: [{ title: 'A', gapBeforeSec: 1, clips: [{ source: 'audio/a.wav' }] }, { title: 'B', gapBeforeSec: 0, clips: [{ source: 'audio/b.wav' }] }]
    });
    const r = await run('info', path);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/error\s+Track 1 starts at 00:01:00; its INDEX 01 must be at 00:02:00 or later/);
    expect(r.out).toMatch(/error\s+Track 2 is 00:03:00 long; a CD track must last at least 00:04:00/);
  });

  it('finds more than 99 tracks and an album past 79:57', async () => {
    const many = album('many.json', { format: 'lathe-album', version: 1, tracks: Array.from({ length: 150 }, (_, i) => ({ title: `T${i}`, clips: [{ source: 'audio/a.wav' }] })) });
    const r = await run('info', many);
    expect(r.out).toMatch(/150 tracks; a CD holds at most 99/);
    expect(r.out).toMatch(/warning\s+The album runs 80:00:00, past 79:57:00/);
  });

  it('fails with one plain line naming the file and the problem', async () => {
    const missing = await run('info', join(dir, 'nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`lathe info: ${join(dir, 'nope.json')}: the file does not exist or cannot be read.`);
    const gone = album('gone.json', { format: 'lathe-album', version: 1, tracks: [{ clips: [{ source: 'audio/zzz.wav' }] }] });
    expect((await run('info', gone)).err).toMatch(/audio\/zzz\.wav: the file does not exist/);
    writeFileSync(join(dir, 'audio', 'text.wav'), 'hello, not audio');
    const text = album('text.json', { format: 'lathe-album', version: 1, tracks: [{ clips: [{ source: 'audio/text.wav' }] }] });
    expect((await run('info', text)).err).toMatch(/audio\/text\.wav: this is not an audio file/);
    expect((await run('frobnicate')).code).toBe(64);
  });

  it('runs as the lathe command, with no stack trace on error', () => {
    const ok = spawnSync(process.execPath, ['bin/lathe.js', 'info', join(dir, 'ok.json')], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/Total 00:48:38/);
    const bad = spawnSync(process.execPath, ['bin/lathe.js', 'info', join(dir, 'bad-path.json')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).not.toMatch(/\s+at\s/);
  });
});
