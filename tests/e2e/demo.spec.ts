import { test, expect } from '@playwright/test';
import { trackRows } from './helpers';

test('a first visit opens on the demo album, which plays from any point', async ({ page }) => {
  await page.goto('/');
  await page.waitForURL(/\/projects\//);
  await expect(trackRows(page)).toHaveCount(3);
  await expect(page.getByRole('textbox', { name: 'Title of track 1' })).toHaveValue('First Light');
  await expect(page.getByLabel('Album running time')).toHaveText('00:42:00');
  await expect(page.getByLabel('Start of track 2')).toHaveText('00:16:00');
  await expect(page.getByRole('button', { name: /^Clip 1 of 1 on track 1, 00:02:00 to / })).toBeVisible();

  const position = page.getByLabel('Playhead position');
  await expect(position).toHaveText('00:00:00');
  // Space plays and stops.
  await page.locator('body').press('Space');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect(position).not.toHaveText('00:00:00');
  // Live meters follow the playback.
  await expect(page.getByRole('status', { name: 'Momentary loudness', exact: true })).toHaveText(/^-\d+\.\dLUFS$/);
  await expect(page.getByRole('status', { name: 'True peak hold L', exact: true })).toHaveText(/^-\d+\.\ddBTP$/);
  await page.locator('body').press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  const stoppedAt = await position.textContent();
  // Ten display frames on (the playhead is drawn every frame): a stopped playhead has not moved.
  await page.evaluate(() => new Promise<void>((done) => {
    let n = 0;
    const next = () => (++n >= 10 ? done() : requestAnimationFrame(next));
    requestAnimationFrame(next);
  }));
  await expect(position).toHaveText(stoppedAt ?? '');
  // After a click on a button, Space still plays and stops; it does not press the button again.
  await page.getByRole('button', { name: 'Zoom in' }).click();
  const zoom = await page.getByLabel('Zoom', { exact: true }).textContent();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(page.getByLabel('Zoom', { exact: true })).toHaveText(zoom ?? '');

  // Play from a point: move the playhead into track 3, then play.
  await page.getByRole('slider', { name: 'Playhead' }).fill(String(30 * 44_100));
  await expect(position).toHaveText('00:30:00');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => (await position.textContent()) ?? '').not.toBe('00:30:00');
  await page.getByRole('button', { name: 'Stop' }).click();
  expect((await position.textContent())! >= '00:30:00').toBe(true);
  // The analysis panel measures the album on open: every track, and the album gated together.
  await page.getByRole('tab', { name: 'Analysis' }).click();
  await expect(page.getByLabel('Album integrated loudness', { exact: true })).toHaveText(/^-\d+\.\d$/);
  await expect(page.getByLabel('Integrated loudness of track 3', { exact: true })).toHaveText(/^-\d+\.\d$/);
  // And the master as delivered, beside the mix.
  await expect(page.getByLabel('Master album integrated loudness')).toHaveText(/^-\d+\.\d$/);
  await expect(page.getByLabel('Master true peak of track 3')).toHaveText(/^-?\d+\.\d$/);
  await page.getByRole('button', { name: 'Show analysis of track 2, Cutting Room' }).click();
  await expect(page.getByRole('img', { name: /^Short-term loudness of track 2: from -\d+\.\d to -\d+\.\d LUFS/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Checks for track 2' })).toContainText('16-bit');
});
