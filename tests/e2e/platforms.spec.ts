import { test, expect, type Page } from '@playwright/test';
import { toneProject } from './helpers';

const num = async (page: Page, name: string) => Number(((await page.getByLabel(name, { exact: true }).textContent()) ?? '').replace('−', '-').replace(/[^\d.+-].*$/, ''));

test('the album previewed and heard as each platform plays it, loudness matched, nothing rendered', async ({ page }) => {
  test.setTimeout(120_000);
  await toneProject(page, 'Platforms', 20);
  await page.getByRole('tab', { name: 'Analysis' }).click();
  const table = page.getByRole('table', { name: 'Platform loudness preview' });
  await expect(table).toContainText('of the master as delivered', { timeout: 60_000 });
  const masterLufs = Number(await page.getByLabel('Master integrated loudness of track 1').textContent());
  expect(masterLufs).toBeGreaterThan(-14);

  // A master louder than -14 LUFS is turned down to -14 on Spotify, to -16 on Apple Music, left on SoundCloud.
  const cell = (name: string) => table.getByLabel(`${name}, track 1`);
  await expect(cell('Spotify')).toHaveText(new RegExp(`^−${(masterLufs + 14).toFixed(1)} dB -14\\.0$`));
  await expect(cell('Apple Music')).toHaveText(new RegExp(`^−${(masterLufs + 16).toFixed(1)} dB -16\\.0$`));
  await expect(cell('SoundCloud')).toHaveText(new RegExp(`^±0\\.0 dB ${masterLufs.toFixed(1)}$`));

  // Heard as on Spotify: the monitor takes the gain, and the live meter reads the platform's level.
  const playAs = page.getByRole('combobox', { name: 'Play as' });
  await playAs.selectOption('spotify');
  await expect(page.getByRole('status', { name: 'Monitor gain' })).toHaveText(`${(-14 - masterLufs).toFixed(1)} dB`);
  await page.locator('body').press('Space');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  const momentary = () => num(page, 'Momentary loudness');
  await expect.poll(momentary, { timeout: 15_000 }).toBeGreaterThan(-14.3);
  await expect.poll(momentary).toBeLessThan(-13.7);
  // P cycles to the next platform while playing: Apple Music's -16.
  await page.locator('body').press('p');
  await expect(playAs).toHaveValue('apple');
  await expect.poll(momentary, { timeout: 15_000 }).toBeLessThan(-15.7);
  await expect.poll(momentary).toBeGreaterThan(-16.3);
  // As delivered again: the master's own level.
  await playAs.selectOption('');
  await expect.poll(async () => Math.abs((await momentary()) - masterLufs), { timeout: 15_000 }).toBeLessThan(0.3);
  await page.locator('body').press('Space');
});
