import { test, expect } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { newProject, saved, toneWav, trackRows, trackTitles } from './helpers';
import { png } from '../helpers/png';

test('import two WAVs, reorder, edit a gap, reload: all still there; export a .lathe and import it back', async ({ page }) => {
  await newProject(page, 'E2E Album');
  await page.getByLabel('Add audio files').setInputFiles([
    { name: '01 Alpha.wav', mimeType: 'audio/wav', buffer: toneWav(6, 330) },
    { name: '02 Beta.wav', mimeType: 'audio/wav', buffer: toneWav(8, 440) }
  ]);
  await expect(trackRows(page)).toHaveCount(2);
  expect(await trackTitles(page)).toEqual(['Alpha', 'Beta']);
  await expect(page.getByLabel('Length of track 2')).toHaveText('00:08:00');

  // Reorder by keyboard on the move handle.
  await page.getByRole('button', { name: 'Move track 1, Alpha', exact: true }).press('ArrowDown');
  await expect.poll(() => trackTitles(page)).toEqual(['Beta', 'Alpha']);
  // ...and back by drag and drop.
  await page.getByRole('button', { name: 'Move track 2, Alpha', exact: true }).dragTo(page.getByRole('listitem', { name: 'Track 1: Beta' }));
  await expect.poll(() => trackTitles(page)).toEqual(['Alpha', 'Beta']);
  await page.getByRole('button', { name: 'Move track 2, Beta', exact: true }).press('Home');
  await expect.poll(() => trackTitles(page)).toEqual(['Beta', 'Alpha']);

  // Gap before track 2 (Alpha): 0.5 s is 37.5 CD frames; as written, the pause grows to 38 so the
  // track's audio starts on a frame, and the times shown are the written ones.
  const gap = page.getByRole('textbox', { name: 'Gap before track 2 in seconds' });
  await gap.fill('0.5');
  await gap.press('Enter');
  await expect(page.getByLabel('Gap before track 2 in CD frames')).toHaveText('38fr');
  await expect(page.getByLabel('Start of track 2')).toHaveText('00:10:38');
  await expect(page.getByLabel('Album running time')).toHaveText('00:16:38');

  // Undo and redo the gap.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByLabel('Gap before track 2 in CD frames')).toHaveText('150fr');
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(page.getByLabel('Gap before track 2 in CD frames')).toHaveText('38fr');
  await saved(page);

  await page.reload();
  await expect(trackRows(page)).toHaveCount(2);
  expect(await trackTitles(page)).toEqual(['Beta', 'Alpha']);
  await expect(page.getByRole('textbox', { name: 'Gap before track 2 in seconds' })).toHaveValue('0.5');
  await expect(page.getByLabel('Album running time')).toHaveText('00:16:38');

  // A cover, which travels in the archive beside the audio.
  const cover = Buffer.from(png(1400));
  await page.getByRole('tab', { name: 'Metadata' }).click();
  await page.getByLabel('Cover image').setInputFiles({ name: 'front.png', mimeType: 'image/png', buffer: cover });
  await expect(page.getByRole('img', { name: 'Cover' })).toBeVisible();
  await page.getByRole('tab', { name: 'Tracks' }).click();
  await saved(page);

  // Export, then import the archive as a new project.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export .lathe' }).click();
  const file = join(tmpdir(), `e2e-${Date.now()}.lathe`);
  await (await download).saveAs(file);
  expect((await readFile(file)).subarray(0, 2).toString()).toBe('PK');
  const entries = unzipSync(new Uint8Array(await readFile(file)));
  expect(Buffer.from(entries['artwork/cover.png']).equals(cover)).toBe(true);
  expect(JSON.parse(new TextDecoder().decode(entries['album.json'])).artwork).toBe('artwork/cover.png');

  await page.getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('link', { name: 'E2E Album' }).first()).toBeVisible();
  const before = await page.getByRole('row').count();
  await page.getByLabel('Import a .lathe archive').setInputFiles(file);
  await page.waitForURL(/\/projects\//);
  await expect(trackRows(page)).toHaveCount(2);
  expect(await trackTitles(page)).toEqual(['Beta', 'Alpha']);
  await expect(page.getByRole('textbox', { name: 'Gap before track 2 in seconds' })).toHaveValue('0.5');
  await expect(page.getByLabel('Album running time')).toHaveText('00:16:38');
  await page.getByRole('tab', { name: 'Metadata' }).click();
  await expect(page.getByRole('img', { name: 'Cover' })).toBeVisible();
  await page.getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('row')).toHaveCount(before + 1);
});

test('a malformed archive is refused with its reason, and nothing changes', async ({ page }) => {
  await newProject(page, 'Before bad archives');
  await page.getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('link', { name: 'Before bad archives' })).toBeVisible();
  const rows = await page.getByRole('row').count();
  const notZip = join(tmpdir(), 'bad.lathe');
  await writeFile(notZip, 'this is not a zip');
  await page.getByLabel('Import a .lathe archive').setInputFiles(notZip);
  await expect(page.getByRole('alert')).toContainText('bad.lathe: this is not a valid .lathe archive');
  await expect(page.getByRole('row')).toHaveCount(rows);
});

test('a project can be renamed, duplicated and deleted from the list', async ({ page }) => {
  await newProject(page, 'Listed');
  await page.getByRole('link', { name: 'Projects' }).click();
  await page.getByRole('button', { name: 'Rename Listed' }).click();
  await page.getByRole('textbox', { name: 'New name for Listed' }).fill('Listed Again');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('link', { name: 'Listed Again' })).toBeVisible();
  await page.getByRole('button', { name: 'Duplicate Listed Again' }).click();
  await expect(page.getByRole('link', { name: 'Listed Again (copy)' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete Listed Again (copy)' }).click();
  await page.getByRole('button', { name: 'Really delete Listed Again (copy)' }).click();
  await expect(page.getByRole('link', { name: 'Listed Again (copy)' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Listed Again', exact: true })).toBeVisible();
});

test('a file that is not audio is refused by name and adds no track', async ({ page }) => {
  await newProject(page, 'Bad import');
  // The hidden file input is no tab stop: Tab goes from "Add files…" to the next button.
  await page.getByRole('button', { name: 'Add files…' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Export .lathe' })).toBeFocused();
  await page.getByLabel('Add audio files').setInputFiles([{ name: 'notes.wav', mimeType: 'audio/wav', buffer: Buffer.from('plain text, not audio') }]);
  // The file is named once.
  await expect(page.getByRole('alert')).toHaveText('Could not import notes.wav: this is not an audio file Lathe can read (WAV, BW64, RF64, AIFF, FLAC, MP3).');
  await expect(trackRows(page)).toHaveText(/No tracks yet/);
});
