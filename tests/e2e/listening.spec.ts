import { test, expect, type Page } from '@playwright/test';
import { encodeWav } from '../../src/lib/core/audio/wav';
import { renderCd, saved, toneProject } from './helpers';

const num = async (page: Page, name: string) => Number(((await page.getByLabel(name, { exact: true }).textContent()) ?? '').replace('−', '-').replace(/[^\d.+-].*$/, ''));

/** A quieter, darker reference: 300 Hz at -24 dBFS, 30 s. */
function referenceWav(): Buffer {
  const R = 48_000;
  const n = 30 * R;
  const ch = new Float32Array(n).map((_, i) => 0.063 * Math.sin((2 * Math.PI * 300 * i) / R));
  return Buffer.from(encodeWav([ch, ch], { rateHz: R, encoding: 's24le' }));
}

test('a reference on the shelf, A/B loudness-matched, a playback simulation, and the render unchanged by them', async ({ page }) => {
  test.setTimeout(180_000);
  await toneProject(page, 'Listening', 20);
  const before = await renderCd(page, 'listening-before');

  await page.getByRole('tab', { name: 'Listen' }).click();
  await page.getByLabel('Reference files').setInputFiles([{ name: 'Genre reference.wav', mimeType: 'audio/wav', buffer: referenceWav() }]);
  const refs = page.getByRole('table', { name: 'Reference tracks' });
  await expect(refs.getByRole('cell', { name: 'Genre reference', exact: true })).toBeVisible();
  const refLufs = page.getByLabel('Genre reference integrated loudness');
  await expect(refLufs).toHaveText(/^-\d+\.\d$/, { timeout: 30_000 });
  const reference = Number(await refLufs.textContent());

  // The offset comes from the master as delivered against the reference, both measured.
  await page.getByRole('tab', { name: 'Analysis' }).click();
  const master = page.getByLabel('Master integrated loudness of track 1');
  await expect(master).toHaveText(/^-?\d+\.\d$/, { timeout: 60_000 });
  const masterLufs = Number(await master.textContent());
  await page.getByRole('tab', { name: 'Listen' }).click();
  const offset = page.getByLabel('Applied offset');
  await expect.poll(async () => Math.abs((await num(page, 'Applied offset')) - (masterLufs - reference)), { timeout: 15_000 }).toBeLessThan(0.06);
  await expect(offset).toContainText('dB');

  // Play the album, hear its level, then B: the reference at the album's loudness.
  await page.locator('body').press('Space');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  const momentary = () => num(page, 'Momentary loudness');
  await expect.poll(async () => Math.abs((await momentary()) - masterLufs), { timeout: 15_000 }).toBeLessThan(0.5);
  await page.locator('body').press('b');
  const ab = page.getByRole('button', { name: 'A/B switch' });
  await expect(ab).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('status', { name: 'Hearing' })).toContainText('Genre reference');
  await expect(page.getByRole('status', { name: 'A/B state' })).toContainText('B: Genre reference');
  // Unmatched, the reference would read about 9 LU lower; matched it reads the album's level.
  await expect.poll(async () => Math.abs((await momentary()) - masterLufs), { timeout: 15_000 }).toBeLessThan(0.5);
  await page.locator('body').press('b');
  await expect(ab).toHaveAttribute('aria-pressed', 'false');

  // A simulation by one key, shown in the transport; then the phone by name.
  const sim = page.getByRole('combobox', { name: 'Simulation', exact: true });
  await page.locator('body').press('v');
  await expect(sim).toHaveValue('mono');
  await sim.selectOption('phone');
  await expect(page.getByRole('combobox', { name: 'Playback simulation' })).toHaveValue('phone');
  await expect(page.getByText('nothing below 300 Hz')).toBeVisible();
  await page.locator('body').press('b');
  await page.locator('body').press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();

  // The album has no master chain: there is nothing to bypass, and B says so rather than playing A twice.
  await page.getByRole('combobox', { name: 'Compare with' }).selectOption('master-bypass');
  await expect(page.getByText('The master chain is empty: there is nothing to bypass.')).toBeVisible();
  await page.locator('body').press('b');
  await expect(ab).toHaveAttribute('aria-pressed', 'false');
  await page.getByRole('combobox', { name: 'Compare with' }).selectOption('reference');

  // The comparison view: spectra overlaid, figures side by side with units.
  await expect(page.getByRole('img', { name: /^Spectrum: Track 1, Genre reference/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Difference from the track: Genre reference − track/ })).toBeVisible();
  const figures = page.getByRole('table', { name: 'Comparison figures' });
  await expect(figures.getByRole('row', { name: /Integrated LUFS/ })).toContainText(reference.toFixed(1));

  // Nothing of it reaches a render: the CD is the same, byte for byte.
  await saved(page);
  const after = await renderCd(page, 'listening-after');
  expect(after.cue).toBe(before.cue);
  expect(after.image[0].length).toBe(before.image[0].length);
  for (const c of [0, 1]) expect(Buffer.from(after.image[c].buffer).equals(Buffer.from(before.image[c].buffer))).toBe(true);

  // The shelf is the project's: it is there after a reload, with its measurement, and not in the album.
  await page.reload();
  await page.getByRole('tab', { name: 'Listen' }).click();
  await expect(page.getByLabel('Genre reference integrated loudness')).toHaveText(reference.toFixed(1));
  await page.getByRole('tab', { name: 'Tracks' }).click();
  await expect(page.getByRole('list', { name: 'Tracks' }).getByRole('listitem')).toHaveCount(1);
});
