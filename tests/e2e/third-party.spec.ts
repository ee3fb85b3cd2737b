import { test, expect } from '@playwright/test';
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '../../scripts/serve.js';
import { newProject, renderImage, saved, toneWav, trackRows } from './helpers';

let vendor: Server;
let vendorDir: string;
let pluginUrl: string;

test.beforeAll(async () => {
  // A plugin vendor on another origin, serving a copy of a built plugin folder.
  vendorDir = mkdtempSync(join(tmpdir(), 'lathe-vendor-'));
  cpSync('build/plugins', vendorDir, { recursive: true });
  vendor = (await serve({ root: vendorDir, port: 0, crossOrigin: true })) as Server;
  pluginUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}/lathe.compressor/index.js`;
});

test.afterAll(() => vendor.close());

const tryImport = (url: string) => import(/* @vite-ignore */ url).then(() => 'loaded', () => 'blocked');

test('a plugin from another origin loads only after the person confirms it, and a changed module is flagged', async ({ page }) => {
  await page.goto('/plugins');
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller, undefined, { timeout: 15_000 }).catch(async () => {
    await page.reload();
    await page.waitForFunction(() => !!navigator.serviceWorker?.controller);
  });
  // The app's policy allows scripts from itself only.
  expect(await page.evaluate(tryImport, pluginUrl)).toBe('blocked');

  // Declining adds nothing.
  await page.getByRole('textbox', { name: 'Plugin URL' }).fill(pluginUrl);
  await page.getByRole('button', { name: 'Add plugin…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add this plugin?' });
  await expect(dialog).toContainText(pluginUrl);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('No third-party plugins yet.')).toBeVisible();

  await page.getByRole('textbox', { name: 'Plugin URL' }).fill(pluginUrl);
  await page.getByRole('button', { name: 'Add plugin…' }).click();
  await dialog.getByRole('button', { name: 'Add plugin' }).click();
  const table = page.getByRole('region', { name: 'Third-party plugins' });
  const row = table.getByRole('row', { name: /Lathe Compressor/ });
  await expect(row).toContainText('Lathe', { timeout: 15_000 });
  await expect(row).toContainText('Unchanged');
  expect(await page.evaluate(tryImport, pluginUrl)).toBe('loaded');

  await page.getByRole('button', { name: 'Validate Lathe Compressor' }).last().click();
  await expect(page.getByRole('region', { name: 'Validation report' })).toContainText('PASS', { timeout: 60_000 });

  // The vendor ships a different module under the same URL.
  appendFileSync(join(vendorDir, 'lathe.compressor/index.js'), '\n// changed\n');
  await page.reload();
  await expect(table.getByRole('alert')).toHaveText('Module changed since you confirmed it');

  await page.getByRole('button', { name: 'Remove Lathe Compressor' }).click();
  await expect(page.getByText('No third-party plugins yet.')).toBeVisible();
});

test('a confirmed third-party plugin on the master chain is rendered into the CD', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/plugins');
  await page.getByRole('textbox', { name: 'Plugin URL' }).fill(pluginUrl);
  await page.getByRole('button', { name: 'Add plugin…' }).click();
  await page.getByRole('dialog', { name: 'Add this plugin?' }).getByRole('button', { name: 'Add plugin' }).click();
  await expect(page.getByRole('region', { name: 'Third-party plugins' }).getByRole('row', { name: /Lathe Compressor/ })).toContainText('Unchanged', { timeout: 15_000 });

  await newProject(page, 'Vendor Master');
  await page.getByLabel('Add audio files').setInputFiles([{ name: 'Tone.wav', mimeType: 'audio/wav', buffer: toneWav(8, 1000) }]);
  await expect(trackRows(page)).toHaveCount(1);
  await saved(page);
  const before = await renderImage(page, 'vendor-before');

  await page.getByRole('combobox', { name: 'Chain to edit' }).selectOption({ label: 'Master' });
  // Offered under "Third-party", by its URL (our own compressor has the same name).
  await page.getByRole('combobox', { name: 'Plugin to add to the master chain' }).selectOption(pluginUrl);
  await page.getByRole('button', { name: 'Add plugin' }).click();
  await expect(page.getByRole('list', { name: 'Plugins on the master chain' }).getByRole('listitem')).toHaveCount(1);
  await saved(page);

  const after = await renderImage(page, 'vendor-after');
  expect(after[0].length).toBe(before[0].length);
  // The tone sits at -8 dBFS, over the compressor's -18 dB threshold: the steady part comes out lower.
  const peak = (x: Float32Array) => x.subarray(4 * 44_100, 6 * 44_100).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  expect(20 * Math.log10(peak(after[0]))).toBeLessThan(20 * Math.log10(peak(before[0])) - 1);
});
