import { test, expect, type Locator, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { encodeWav } from '../../src/lib/core/audio/wav';
import { newProject, saved } from './helpers';

/**
 * A new 48 kHz project of one 6 s mono voice, made immersive (7.1.4) in the Clip tab with the
 * voice as an object at the front centre; returns the Immersive panel.
 */
async function voiceObject(page: Page, name: string): Promise<Locator> {
  const R = 48_000;
  const tone = new Float32Array(6 * R).map((_, i) => 0.1 * Math.sin((2 * Math.PI * 440 * i) / R));
  await newProject(page, name);
  await page.getByRole('combobox', { name: 'Album sample rate' }).selectOption('48000');
  await page.getByLabel('Add audio files').setInputFiles([{ name: 'Voice.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav([tone], { rateHz: R, encoding: 's24le' })) }]);
  await page.getByRole('button', { name: /^Clip 1 of 1 on track 1,/ }).click();
  await page.getByRole('tab', { name: 'Clip' }).click();
  const panel = page.getByRole('region', { name: 'Immersive' });
  await panel.getByRole('checkbox', { name: 'Immersive album' }).check();
  await expect(panel.getByRole('combobox', { name: 'Monitor layout' })).toHaveValue('7.1.4');
  await panel.getByRole('combobox', { name: 'Spatial role of the clip' }).selectOption('object');
  return panel;
}

test('an object placed and moved with keyframes in the app, checked, monitored and exported as ADM BWF (in the app and by lathe), read by mediainfo', async ({ page }) => {
  test.skip(spawnSync('mediainfo', ['--Version']).error !== undefined, 'mediainfo not installed (apt-get install mediainfo)');
  test.setTimeout(120_000);
  const panel = await voiceObject(page, 'Rooms');

  // Front centre to start; four steps left with the arrow keys, then a height typed.
  const top = panel.getByRole('slider', { name: 'Object position, top view' });
  await top.focus();
  for (let i = 0; i < 4; i++) await top.press('ArrowLeft');
  await expect(panel.getByLabel('Object x (-1 left to 1 right)')).toHaveValue('-0.20');
  await panel.getByLabel('Object height (0 ear level to 1 ceiling)').fill('0.5');
  await panel.getByLabel('Object height (0 ear level to 1 ceiling)').press('Enter');
  await expect(top).toHaveAttribute('aria-valuetext', /x -0\.20 .*y 1\.00 .*height 0\.50/);
  // The speakers it feeds, with their gains: the front pair, centre and the top front pair; never the LFE.
  const gains = panel.getByRole('table', { name: 'Speaker gains at the playhead' });
  await expect(gains.getByRole('row', { name: /^LFE/ })).toContainText('–∞');
  await expect(gains.getByRole('row', { name: /^Ltf/ })).not.toContainText('–∞');
  await expect(gains.getByRole('row', { name: /^Lrs/ })).toContainText('–∞');

  // A keyframe, moved to 3 s and to the right back corner; then a jump at 5 s.
  await panel.getByRole('button', { name: 'Add a keyframe at the playhead' }).click();
  await panel.getByLabel('Time of keyframe 1 in seconds from the clip start').fill('3');
  await panel.getByLabel('Time of keyframe 1 in seconds from the clip start').press('Enter');
  await expect(panel.getByRole('radio', { name: 'Edit keyframe 1' })).toBeChecked();
  await panel.getByLabel('Object x (-1 left to 1 right)').fill('1');
  await panel.getByLabel('Object x (-1 left to 1 right)').press('Enter');
  await panel.getByLabel('Object y (-1 back to 1 front)').fill('-1');
  await panel.getByLabel('Object y (-1 back to 1 front)').press('Enter');
  await expect(page.getByRole('img', { name: 'Keyframe 1 of clip 1 on track 1 at 3.00 s' })).toBeVisible();
  await saved(page);

  // Kept through a reload.
  await page.reload();
  await page.getByRole('button', { name: /^Clip 1 of 1 on track 1,/ }).click();
  await page.getByRole('tab', { name: 'Clip' }).click();
  await expect(page.getByRole('region', { name: 'Immersive' }).getByRole('combobox', { name: 'Spatial role of the clip' })).toHaveValue('object');
  await expect(page.getByRole('table', { name: 'Keyframes' }).getByRole('row')).toHaveCount(3);

  // The fold-down checks in the app, run in the analysis worker.
  await page.getByRole('tab', { name: 'Analysis' }).click();
  await page.getByRole('button', { name: 'Check the fold-downs' }).click();
  const folds = page.getByRole('table', { name: 'Fold-downs per track' });
  await expect(folds.getByRole('row', { name: /stereo Lo\/Ro/ })).toContainText('LU');
  await expect(folds.getByRole('row', { name: /immersive/ })).toContainText('LUFS');
  // Moving to the right back corner (and up), the voice loses energy in the stereo fold-down: named, with its time.
  await expect(page.getByRole('list', { name: 'Fold-down findings' })).toContainText(/track 1, clip 1 \(Voice\.wav\) loses [\d.]+ dB in stereo/);

  // The track's own analysis measures what is heard and delivered: the Lo/Ro fold-down.
  const loRoLufs = Number(((await folds.getByRole('row', { name: /stereo Lo\/Ro/ }).getByRole('cell').nth(2).textContent()) ?? '').replace('−', '-').replace(/[^\d.+-]/g, ''));
  await page.getByRole('button', { name: 'Analyze' }).click();
  await expect.poll(async () => Number(((await page.getByLabel('Integrated loudness of track 1', { exact: true }).textContent()) ?? '').replace('−', '-')), { timeout: 30_000 }).toBeCloseTo(loRoLufs, 0);
  expect(Math.abs(Number(((await page.getByLabel('Integrated loudness of track 1', { exact: true }).textContent()) ?? '').replace('−', '-')) - loRoLufs)).toBeLessThanOrEqual(0.11);

  // Monitoring: the Lo/Ro fold-down, loudness-matched to the immersive mix by the checks' figures.
  const loRoDelta = Number(((await folds.getByRole('row', { name: /stereo Lo\/Ro/ }).getByRole('cell').nth(3).textContent()) ?? '').replace('−', '-').replace(/[^\d.+-]/g, ''));
  await page.getByRole('combobox', { name: 'Immersive monitor' }).selectOption('LoRo');
  await page.getByRole('checkbox', { name: 'Loudness-matched fold-down' }).check();
  await expect(page.getByRole('status', { name: 'Monitor gain' })).toHaveText(`${-loRoDelta >= 0 ? '+' : ''}${(-loRoDelta).toFixed(1)} dB`);
  // The device has two channels: 7.1.4 speakers are refused, saying why, and the fold-down stays.
  await page.getByRole('combobox', { name: 'Immersive monitor' }).selectOption('speakers');
  await expect(page.getByRole('alert').filter({ hasText: 'needs 12' })).toContainText('Monitor a fold-down instead');
  await page.getByRole('combobox', { name: 'Immersive monitor' }).selectOption('LtRt');
  await expect(page.getByRole('alert').filter({ hasText: 'needs 12' })).toHaveCount(0);
  // Played, the immersive mix is heard through the fold-down once the pause is over: the object
  // starts left of centre.
  await page.locator('body').press('Space');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  const clock = page.getByLabel('Playhead position');
  const seconds = async () => Number(((await clock.textContent()) ?? '').split(':')[1]);
  await expect.poll(seconds, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  const peak = async (ch: string) => Number(((await page.getByLabel(`True peak hold ${ch}`, { exact: true }).textContent()) ?? '').replace('−', '-').replace(/[^\d.+-].*$/, ''));
  await expect.poll(() => peak('L'), { timeout: 15_000 }).toBeGreaterThan(-30);
  // While it plays the monitor switches by a crossfade, not a restart; the meters follow it: six
  // channels for the 5.1 fold-down (the object in L and C, nothing in the LFE), two for binaural.
  await page.getByRole('combobox', { name: 'Immersive monitor' }).selectOption('5.1');
  const six = page.getByRole('group', { name: 'True peak per channel, 6 channels' });
  await expect(six).toBeVisible();
  for (const ch of ['L', 'R', 'C', 'LFE', 'Ls', 'Rs']) await expect(six.getByLabel(`True peak hold ${ch}`, { exact: true })).toBeVisible();
  await expect.poll(() => peak('C'), { timeout: 15_000 }).toBeGreaterThan(-40);
  expect(await peak('L')).toBeGreaterThan(-30);
  await expect(six.getByLabel('True peak hold LFE', { exact: true })).toHaveText('–');
  expect(await seconds()).toBeGreaterThanOrEqual(2);
  const before = await clock.textContent();
  await page.getByRole('combobox', { name: 'Immersive monitor' }).selectOption('binaural');
  await expect(six).toHaveCount(0);
  await expect.poll(() => peak('R'), { timeout: 15_000 }).toBeGreaterThan(-40);
  await expect.poll(async () => (await clock.textContent()) !== before, { timeout: 15_000 }).toBe(true);
  await expect(page.getByRole('status', { name: 'Dropouts' })).toHaveText('0 dropouts');
  await page.locator('body').press('Space');

  // ADM BWF from the app's export dialog, rendered in the worker; mediainfo reads it.
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await dialog.getByRole('checkbox', { name: /^CD/ }).uncheck();
  await dialog.getByRole('checkbox', { name: /^ADM BWF/ }).check();
  const admDownload = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Render 1 variant' }).click();
  const zip = join(tmpdir(), `e2e-rooms-adm-${Date.now()}.zip`);
  await (await admDownload).saveAs(zip);
  await expect(dialog.getByRole('status', { name: 'Export result' })).toContainText(/ADM BWF: 1 channel \(1 object\)/);
  const zipped = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(await readFile(zip)))).map(([k, v]) => [k.replace(/^[^/]+\//, ''), v]));
  expect(Object.keys(zipped).filter((k) => k.startsWith('adm/')).sort()).toEqual(['adm/Rooms ADM.wav', 'adm/Rooms stereo.wav', 'adm/report.json']);
  const appAdm = join(mkdtempSync(join(tmpdir(), 'e2e-rooms-adm-')), 'Rooms ADM.wav');
  writeFileSync(appAdm, zipped['adm/Rooms ADM.wav']);
  const text = spawnSync('mediainfo', [appAdm], { encoding: 'utf8' }).stdout;
  expect(text).toMatch(/Metadata format\s+: ADM, Version 2/);
  expect(text).toMatch(/Voice\.wav/);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The project as a .lathe archive, checked and delivered by the command line.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export .lathe' }).click();
  const file = join(tmpdir(), `e2e-rooms-${Date.now()}.lathe`);
  await (await download).saveAs(file);
  const dir = mkdtempSync(join(tmpdir(), 'e2e-rooms-'));
  for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(await readFile(file))))) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  const doc = JSON.parse(readFileSync(join(dir, 'album.json'), 'utf8'));
  expect(doc.immersive).toEqual({ monitor: '7.1.4' });
  expect(doc.tracks[0].clips[0].object).toMatchObject({ x: -0.2, y: 1, z: 0.5, keyframes: [{ atSec: 3, x: 1, y: -1, z: 0.5, jump: false }] });
  const lathe = (...args: string[]) => spawnSync(process.execPath, ['bin/lathe.js', ...args], { encoding: 'utf8' });
  const check = lathe('spatial-check', join(dir, 'album.json'), '--json');
  expect(check.stderr).toBe('');
  const report = JSON.parse(check.stdout);
  expect(report.tracks[0].objects[0].name).toBe('track 1, clip 1 (audio/Voice.wav)');
  const out = join(dir, 'out');
  const render = lathe('render', join(dir, 'album.json'), '--variant', 'adm', '--out', out);
  expect(render.stderr).toBe('');
  const info = spawnSync('mediainfo', [join(out, 'adm', 'album ADM.wav')], { encoding: 'utf8' }).stdout;
  expect(info).toMatch(/Metadata format\s+: ADM, Version 2/);
  expect(info).toMatch(/Number of objects\s+: 1/);
  expect(info).toMatch(/T1 C1 audio\/Voice\.wav/);
});

test('binaural monitoring of 16 moving objects and a bed plays on two cores without a dropout', async ({ page }) => {
  test.setTimeout(120_000);
  const R = 48_000;
  const sec = 12;
  const noise = (seed: number, channels: number) => {
    let s = seed;
    const rand = () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    return Array.from({ length: channels }, () => new Float32Array(sec * R).map(() => 0.05 * rand()));
  };
  const dir = mkdtempSync(join(tmpdir(), 'e2e-busy-'));
  mkdirSync(join(dir, 'audio'));
  writeFileSync(join(dir, 'audio', 'bed.wav'), encodeWav(noise(1, 10), { rateHz: R, encoding: 's24le' }));
  for (let k = 0; k < 16; k++) writeFileSync(join(dir, 'audio', `o${k}.wav`), encodeWav(noise(k + 2, 1), { rateHz: R, encoding: 's24le' }));
  const objects = Array.from({ length: 16 }, (_, k) => ({
    source: `audio/o${k}.wav`,
    object: { x: Math.cos(k), y: Math.sin(k), z: (k % 4) / 4, keyframes: Array.from({ length: 5 }, (_, j) => ({ atSec: 2 * (j + 1), x: Math.cos(k + j), y: Math.sin(k + j), z: ((k + j) % 4) / 4 })) }
  }));
  writeFileSync(join(dir, 'album.json'), JSON.stringify({ format: 'lathe-album', version: 1, title: 'Busy', rateHz: R, immersive: { monitor: '7.1.4' }, tracks: [{ title: 'Busy', gapBeforeSec: 0, clips: [{ source: 'audio/bed.wav', bed: '7.1.2' }, ...objects] }] }));
  // The album comes in as a .lathe archive: album.json and its audio, zipped.
  const { zipSync } = await import('fflate');
  const files: Record<string, Uint8Array> = { 'album.json': readFileSync(join(dir, 'album.json')) };
  files['audio/bed.wav'] = readFileSync(join(dir, 'audio', 'bed.wav'));
  for (let k = 0; k < 16; k++) files[`audio/o${k}.wav`] = readFileSync(join(dir, 'audio', `o${k}.wav`));
  const archive = join(dir, 'busy.lathe');
  writeFileSync(archive, zipSync(files, { level: 0 }));
  await newProject(page, 'Before busy');
  await page.getByRole('link', { name: 'Projects' }).click();
  await page.getByLabel('Import a .lathe archive').setInputFiles(archive);
  await page.waitForURL(/\/projects\//);
  await expect(page.getByRole('combobox', { name: 'Immersive monitor' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Immersive monitor' }).selectOption('binaural');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.locator('body').press('Space');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  const peak = async (ch: string) => Number(((await page.getByLabel(`True peak hold ${ch}`).textContent()) ?? '').replace('−', '-').replace(/[^\d.+-].*$/, ''));
  await expect.poll(() => peak('L'), { timeout: 15_000 }).toBeGreaterThan(-40);
  // Ten seconds of playback, every window on time.
  await expect.poll(async () => Number((await page.getByLabel('Playhead position').textContent())?.split(':')[1]), { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
  await expect(page.getByRole('status', { name: 'Dropouts' })).toHaveText('0 dropouts');
  await page.locator('body').press('Space');
});

test('a chain on an object is heard in the immersive mix, before the object is placed', async ({ page }) => {
  test.setTimeout(90_000);
  await voiceObject(page, 'Processed rooms');
  const immersiveLufs = async () => {
    await page.getByRole('tab', { name: 'Analysis' }).click();
    await page.getByRole('button', { name: 'Check the fold-downs' }).click();
    const row = page.getByRole('table', { name: 'Fold-downs per track' }).getByRole('row', { name: /immersive/ });
    await expect(row).toContainText('LUFS');
    return Number(((await row.getByRole('cell').nth(1).textContent()) ?? '').replace('−', '-').replace(/[^\d.+-]/g, ''));
  };
  const before = await immersiveLufs();

  // The Processing tab says what runs where, and offers no track chain.
  await page.getByRole('tab', { name: 'Processing' }).click();
  await expect(page.getByText(/Immersive album: a chain runs on an object or a stereo bed before it is placed/)).toBeVisible();
  const chains = page.getByRole('combobox', { name: 'Chain to edit' });
  await expect(chains.getByRole('option', { name: /^Track 1/ })).toHaveCount(0);
  await chains.selectOption({ label: 'Clip 1 of track 1: Voice.wav' });
  await page.getByRole('combobox', { name: /^Plugin to add to/ }).selectOption({ label: 'Lathe EQ' });
  await page.getByRole('button', { name: 'Add plugin' }).click();
  const gain = page.getByRole('group', { name: 'Lathe EQ parameters' }).getByRole('spinbutton', { name: 'Output gain (dB)' });
  await gain.fill('-6');
  await gain.press('Enter');
  await saved(page);
  await expect.poll(immersiveLufs, { timeout: 30_000 }).toBeCloseTo(before - 6, 0);
  expect(Math.abs((await immersiveLufs()) - (before - 6))).toBeLessThanOrEqual(0.1);
});
