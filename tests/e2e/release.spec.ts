import { test, expect } from '@playwright/test';
import { unzipSync } from 'fflate';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { encodeWav } from '../../src/lib/core/audio/wav';
import { newProject, saved } from './helpers';
import { png } from '../helpers/png';

const missing = ['flac', 'metaflac', 'sox'].filter((t) => spawnSync(t, ['--version']).error);

test('the CD, streaming and hi-res masters rendered in the app, in one zip that flac and metaflac accept', async ({ page }) => {
  test.skip(missing.length > 0, `${missing.join(', ')} not installed (apt-get install flac sox)`);
  test.setTimeout(180_000);
  const R = 96_000;
  const n = 6 * R;
  const tone = (f: number) => new Float32Array(n).map((_, i) => Math.round(0.3 * Math.sin((2 * Math.PI * f * i) / R) * 2 ** 23) / 2 ** 23);
  const wav = Buffer.from(encodeWav([tone(440), tone(550)], { rateHz: R, encoding: 's24le' }));
  await newProject(page, 'Release');
  await page.getByLabel('Add audio files').setInputFiles([{ name: 'First Song.wav', mimeType: 'audio/wav', buffer: wav }]);
  await expect(page.getByRole('button', { name: /^Clip 1 of 1 on track 1,/ })).toBeVisible();
  await page.getByRole('combobox', { name: 'Album sample rate' }).selectOption('96000');
  // Release metadata for the tags: year, copyright and a cover (a wide one is refused, by name).
  await page.getByRole('tab', { name: 'Metadata' }).click();
  await page.getByLabel('Release year').fill('2026');
  await page.getByLabel('Release year').press('Enter');
  await page.getByLabel('Copyright line').fill('℗ 2026 Lathe');
  await page.getByLabel('Copyright line').press('Enter');
  const wide = Buffer.from(png(8)).map((x, i) => (i === 19 ? 16 : x));
  await page.getByLabel('Cover image').setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: Buffer.from(wide) });
  await expect(page.getByText('wide.png: the artwork is 16 x 8 px; covers must be square.')).toBeVisible();
  const cover = Buffer.from(png(1400));
  await page.getByLabel('Cover image').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: cover });
  await expect(page.getByText(/Apple Music asks for 3000 x 3000 px/)).toBeVisible();
  await expect(page.getByRole('img', { name: 'Cover' })).toBeVisible();
  await saved(page);

  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByRole('checkbox', { name: /^Streaming/ }).check();
  await dialog.getByRole('checkbox', { name: /^Hi-res/ }).check();
  await dialog.getByRole('checkbox', { name: 'Also 16-bit 44.1 kHz' }).check();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Render 3 variants' }).click();
  const file = join(tmpdir(), `lathe-release-${Date.now()}.zip`);
  await (await download).saveAs(file);
  await expect(dialog.getByRole('status', { name: 'Export result' })).toContainText('Release written');
  await expect(dialog.getByRole('status', { name: 'Export result' })).toContainText('Hi-res 96 kHz');

  const entries = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(await readFile(file)))).map(([k, v]) => [k.replace(/^[^/]+\//, ''), v]));
  expect(Object.keys(entries).filter((k) => !k.startsWith('cd/')).sort()).toEqual([
    'hires/01 First Song.flac', 'hires/01 First Song.wav', 'report.html', 'report.json',
    'streaming/16-bit/01 First Song.flac', 'streaming/16-bit/01 First Song.wav', 'streaming/24-bit/01 First Song.flac', 'streaming/24-bit/01 First Song.wav',
    'streaming/codec-check.txt'
  ]);
  expect(entries['cd/DDP/IMAGE.DAT']).toBeDefined();
  const dir = mkdtempSync(join(tmpdir(), 'lathe-release-'));
  const report = JSON.parse(new TextDecoder().decode(entries['report.json']));
  // The codec round trip ran in the worker too: Vorbis and MP3, and Opus through the browser's WebCodecs at 48 kHz; no overs for this -10 dBTP master.
  expect(report.streaming[0].codecCheck.map((c: { codec: string; clearingGainDb: null }) => [c.codec, c.clearingGainDb])).toEqual([['vorbis', null], ['mp3', null], ['opus', null]]);
  expect(new TextDecoder().decode(entries['streaming/codec-check.txt'])).toContain('-- no samples clipped --');
  // Each codec leaves the level where it was: a pure tone loses nothing audible.
  for (const c of report.streaming[0].codecCheck) {
    expect(Math.abs(c.loudnessChangeLu), c.codec).toBeLessThan(0.2);
    expect(Math.abs(c.decodedTruePeakDbtp - c.masterTruePeakDbtp), c.codec).toBeLessThan(0.3);
  }
  for (const [path, want] of [['hires/01 First Song', [R, 24]], ['streaming/24-bit/01 First Song', [48_000, 24]], ['streaming/16-bit/01 First Song', [44_100, 16]]] as const) {
    const flac = join(dir, `${path.replace(/\//g, '_')}.flac`);
    const wavOut = join(dir, `${path.replace(/\//g, '_')}.wav`);
    writeFileSync(flac, entries[`${path}.flac`]);
    writeFileSync(wavOut, entries[`${path}.wav`]);
    const t = spawnSync('flac', ['-t', flac], { encoding: 'utf8' });
    expect(t.status, t.stderr).toBe(0);
    expect(t.stderr).not.toMatch(/cannot check MD5/);
    expect(spawnSync('metaflac', ['--show-sample-rate', '--show-bps', '--show-tag=TITLE', '--show-tag=TRACKNUMBER', '--show-tag=DATE', '--show-tag=COPYRIGHT', flac], { encoding: 'utf8' }).stdout.trim().split('\n')).toEqual([String(want[0]), String(want[1]), 'TITLE=First Song', 'TRACKNUMBER=1', 'DATE=2026', 'COPYRIGHT=℗ 2026 Lathe']);
    const picture = join(dir, 'picture.png');
    expect(spawnSync('metaflac', [`--export-picture-to=${picture}`, flac]).status).toBe(0);
    expect(readFileSync(picture).equals(cover)).toBe(true);
    const pcm = (args: string[]) => spawnSync(args[0], args.slice(1), { maxBuffer: 1 << 28 }).stdout as Buffer;
    expect(pcm(['flac', '-d', '-c', '--force-raw-format', '--endian=little', '--sign=signed', flac]).equals(pcm(['sox', wavOut, '-t', 'raw', '-e', 'signed', '-b', String(want[1]), '-L', '-']))).toBe(true);
    const sha = spawnSync('sha256sum', [flac], { encoding: 'utf8' }).stdout.split(' ')[0];
    expect(report.files.find((f: { path: string }) => f.path === `${path}.flac`).sha256).toBe(sha);
  }
  // Untouched 24-bit 96 kHz audio: the hi-res master is the source, sample for sample.
  const src = join(dir, 'source.wav');
  writeFileSync(src, wav);
  const raw = (f: string) => spawnSync('sox', [f, '-t', 'raw', '-'], { maxBuffer: 1 << 28 }).stdout as Buffer;
  expect(raw(join(dir, 'hires_01 First Song.wav')).equals(raw(src))).toBe(true);
  expect(readFileSync(join(dir, 'hires_01 First Song.wav')).length).toBeGreaterThan(n * 6);
});

test('vinyl sides set by dragging tracks, rendered in the app as one WAV a side that ffprobe reads with its cue points', async ({ page }) => {
  test.skip(spawnSync('ffprobe', ['-version']).error !== undefined, 'ffprobe not installed (apt-get install ffmpeg)');
  test.setTimeout(120_000);
  const R = 44_100;
  const tone = (f: number, sec: number) => new Float32Array(sec * R).map((_, i) => 0.2 * Math.sin((2 * Math.PI * f * i) / R));
  await newProject(page, 'Vinyl');
  await page.getByLabel('Add audio files').setInputFiles(
    ['One', 'Two', 'Three'].map((name, k) => ({ name: `${name}.wav`, mimeType: 'audio/wav', buffer: Buffer.from(encodeWav([tone(220 * (k + 1), 3), tone(220 * (k + 1), 3)], { rateHz: R, encoding: 's16le' })) }))
  );
  await expect(page.getByRole('button', { name: /^Clip 1 of 1 on track 3,/ })).toBeVisible();
  await saved(page);
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByRole('checkbox', { name: /^CD/ }).uncheck();
  await dialog.getByRole('checkbox', { name: /^Vinyl/ }).check();
  // An LP has two sides: the automatic split shares the three tracks between A and B.
  const sideA = dialog.getByRole('region', { name: 'Side A', exact: true });
  const sideB = dialog.getByRole('region', { name: 'Side B', exact: true });
  await expect(dialog.getByRole('region', { name: /^Side [AB]$/ }).getByRole('listitem')).toHaveCount(3);
  await expect(sideA.getByRole('listitem').first()).toHaveAccessibleName('Track 1 One');
  // Every track dragged onto side A; side B is gone, a new side offered.
  await dialog.getByRole('listitem', { name: 'Track 3 Three' }).dragTo(sideA);
  await dialog.getByRole('listitem', { name: 'Track 2 Two' }).dragTo(sideA);
  await expect(sideA.getByRole('listitem')).toHaveText([/One/, /Two/, /Three/]);
  await expect(sideB).toHaveCount(0);
  await dialog.getByRole('listitem', { name: 'Track 3 Three' }).dragTo(dialog.getByRole('region', { name: 'New side B' }));
  await expect(sideB.getByRole('listitem')).toHaveText([/Three/]);
  await expect(sideB).toContainText('0:03');
  // The keyboard path: a side select per track; track 3 stays after track 2.
  await sideA.getByRole('combobox', { name: 'Side of track 2' }).selectOption('B');
  await expect(sideA.getByRole('listitem')).toHaveText([/One/]);
  await expect(sideB.getByRole('listitem')).toHaveText([/Two/, /Three/]);
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Render 1 variant' }).click();
  const file = join(tmpdir(), `lathe-vinyl-${Date.now()}.zip`);
  await (await download).saveAs(file);
  const entries = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(await readFile(file)))).map(([k, v]) => [k.replace(/^[^/]+\//, ''), v]));
  const sides = Object.keys(entries).filter((k) => k.endsWith('.wav')).sort();
  expect(sides.map((k) => k.replace(/^vinyl\/.* (Side [A-Z]).*$/, '$1'))).toEqual(['Side A', 'Side B']);
  const dir = mkdtempSync(join(tmpdir(), 'lathe-vinyl-'));
  const chapters = (entry: string) => {
    const f = join(dir, 'side.wav');
    writeFileSync(f, entries[entry]);
    return JSON.parse(spawnSync('ffprobe', ['-v', 'error', '-show_chapters', '-of', 'json', f], { encoding: 'utf8' }).stdout).chapters as { start_time: string; tags: { title: string } }[];
  };
  expect(chapters(sides[0]).map((c) => c.tags.title)).toEqual(['A1 One']);
  const probe = { chapters: chapters(sides[1]) };
  expect(probe.chapters.map((c) => c.tags.title)).toEqual(['B1 Two', 'B2 Three']);
  // Track two's 3 s and the 2 s pause before track three.
  expect(Number(probe.chapters[1].start_time)).toBeCloseTo(5, 2);
  expect(entries['vinyl/cut-sheet.html']).toBeDefined();
});
