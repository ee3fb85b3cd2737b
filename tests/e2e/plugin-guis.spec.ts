import { test, expect, type Page } from '@playwright/test';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '../../scripts/serve.js';
import { prepareThirdPartyWam } from '../../scripts/third-party-wam.js';
import { confirmPluginUrl, newProject, renderImage, saved, toneProject, toneWav, trackRows } from './helpers';

const SHOTS = process.env.LATHE_SHOTS;

async function shoot(page: Page, name: string) {
  if (!SHOTS) return;
  for (const width of [1440, 800]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: false });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

test('the EQ is edited on its curve by mouse and keys, the limiter by its fields, as a mastering engineer would', async ({ page }) => {
  test.setTimeout(120_000);
  await newProject(page, 'GUI Album');
  await page.getByLabel('Add audio files').setInputFiles([{ name: 'Tone.wav', mimeType: 'audio/wav', buffer: toneWav(8, 1000) }]);
  await expect(trackRows(page)).toHaveCount(1);
  await page.getByRole('tab', { name: 'Processing' }).click();
  await page.getByRole('combobox', { name: 'Chain to edit' }).selectOption({ label: 'Master' });
  await page.getByRole('combobox', { name: 'Plugin to add to the master chain' }).selectOption({ label: 'Lathe EQ' });
  await page.getByRole('button', { name: 'Add plugin' }).click();
  const eq = page.getByRole('group', { name: 'Lathe EQ parameters' });
  await eq.getByRole('combobox', { name: 'Band 3 type' }).selectOption({ label: 'bell' });
  const node = eq.getByRole('slider', { name: 'Band 3' });
  await expect(node).toHaveAttribute('aria-valuetext', 'bell, 600 Hz, 0.0 dB, Q 0.71');

  // Drag the node up and to the right: more gain, higher frequency.
  await node.scrollIntoViewIfNeeded();
  const box = (await node.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 - 40, { steps: 5 });
  await page.mouse.up();
  const gain = eq.getByRole('spinbutton', { name: 'Band 3 gain (dB)' });
  const freq = eq.getByRole('spinbutton', { name: 'Band 3 frequency (Hz)' });
  await expect.poll(async () => Number(await gain.inputValue())).toBeGreaterThan(3);
  expect(Number(await freq.inputValue())).toBeGreaterThan(700);

  // Keys on the focused node: down 0.5 dB a step; Page Up narrows.
  const before = Number(await gain.inputValue());
  await node.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('PageUp');
  await expect.poll(async () => Number(await gain.inputValue())).toBeCloseTo(before - 1, 1);
  await expect(eq.getByRole('spinbutton', { name: 'Band 3 Q' })).toHaveValue('0.79');
  await saved(page);
  await shoot(page, 'eq');

  await page.getByRole('combobox', { name: 'Plugin to add to the master chain' }).selectOption({ label: 'Lathe Limiter' });
  await page.getByRole('button', { name: 'Add plugin' }).click();
  const limiter = page.getByRole('group', { name: 'Lathe Limiter parameters' });
  await limiter.getByRole('spinbutton', { name: 'Input gain (dB)' }).fill('6');
  await limiter.getByRole('spinbutton', { name: 'Input gain (dB)' }).press('Enter');
  await expect(limiter.getByRole('img', { name: 'Transfer curve: input gain 6.0 dB, ceiling -1.0 dBTP' })).toBeVisible();
  const meter = limiter.getByRole('meter', { name: 'Gain reduction' });
  await expect(meter).toHaveAttribute('aria-valuenow', '0.0');
  await saved(page);
  // Playing, the meter shows what the limiter does to what is heard: the -8 dBFS tone, +6 dB in,
  // against a -1 dBTP ceiling (+7.5 dB boost by the EQ's bell near 1 kHz adds to it).
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 15_000 }).toBeLessThan(-3);
  await shoot(page, 'limiter');
  // The EQ's GUI, open while playing, draws the spectrum of what it outputs.
  await page.getByRole('button', { name: 'Edit Lathe EQ (slot 1)' }).click();
  const spectrum = page.getByRole('group', { name: 'Lathe EQ parameters' }).locator('path.spectrum');
  await expect.poll(async () => Math.min(...[...((await spectrum.getAttribute('d')) ?? '').matchAll(/L[\d.]+,([\d.]+)/g)].map((m) => Number(m[1]))), { timeout: 15_000 }).toBeLessThan(60);
  await shoot(page, 'eq-playing');
  await page.getByRole('button', { name: 'Stop' }).click();

  // What the GUI set is what the project keeps.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Chain to edit' })).toContainText('Master (2)');
});

test.describe('a ParamMgr plugin that reports latency it does not have', () => {
  let vendor: Server;
  let url = '';
  test.beforeAll(async () => {
    const got = prepareThirdPartyWam();
    test.skip('reason' in got, 'reason' in got ? got.reason : '');
    if ('reason' in got) return;
    vendor = (await serve({ root: `${got.plugins}/wimmics`, port: 0, crossOrigin: true })) as Server;
    url = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}/OverdriveRix/index.js`;
  });
  test.afterAll(() => vendor?.close());

  test('is measured when added, and the slot compensates what was measured once the person chooses it', async ({ page }) => {
    test.setTimeout(180_000);
    await confirmPluginUrl(page, url);
    const row = page.getByRole('region', { name: 'Third-party plugins' }).getByRole('row', { name: /^Overdriverix/ });
    await expect(row).toContainText('Reports 128 samples of latency, measured 0 at 48 kHz', { timeout: 30_000 });
    // Its validation report, under it: warnings (WAM 1 apiVersion, FLT_MAX bypass range, latency), no FAIL.
    await row.getByRole('button', { name: 'Validate Overdriverix' }).click();
    const report = page.getByRole('region', { name: 'Validation report of Overdriverix' });
    await expect(report).toContainText('WARN', { timeout: 60_000 });
    await expect(report.getByRole('row', { name: /^warn Latency at 44100 Hz measured 0 samples/ })).toBeVisible();
    await shoot(page, 'plugins-page');

    await toneProject(page, 'Latency Album', 6);
    const dry = await renderImage(page, 'latency-dry');

    await page.getByRole('tab', { name: 'Processing' }).click();
    await page.getByRole('combobox', { name: 'Chain to edit' }).selectOption({ label: 'Master' });
    await page.getByRole('combobox', { name: 'Plugin to add to the master chain' }).selectOption(url);
    await page.getByRole('button', { name: 'Add plugin' }).click();
    const status = page.getByRole('status', { name: 'Latency of Overdriverix' });
    await expect(status).toContainText('reported 128 smp · measured 0 smp', { timeout: 30_000 });
    await expect(status.getByRole('alert')).toContainText('compensating the report shifts this slot by 128 samples');
    await shoot(page, 'latency');
    const reported = await renderImage(page, 'latency-reported');
    await status.getByRole('button', { name: 'Use measured (0 samples)' }).click();
    await expect(status).toContainText('compensating 0 smp (chosen)');
    await saved(page);
    const measured = await renderImage(page, 'latency-measured');

    // Where the tone starts: the first sample above -40 dBFS.
    const onset = (x: Float32Array) => x.findIndex((v) => Math.abs(v) > 0.01);
    expect(onset(measured[0])).toBe(onset(dry[0]));
    expect(onset(reported[0])).toBe(onset(dry[0]) - 128);
  });
});
