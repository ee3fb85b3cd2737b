import { test, expect } from '@playwright/test';
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '../../scripts/serve.js';
import { confirmPluginUrl, renderImage, saved, toneProject } from './helpers';

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
  const row = table.getByRole('row', { name: /^Lathe Compressor Lathe/ });
  await expect(row).toContainText('Lathe', { timeout: 15_000 });
  await expect(row).toContainText('Unchanged');
  expect(await page.evaluate(tryImport, pluginUrl)).toBe('loaded');

  await page.getByRole('button', { name: 'Validate Lathe Compressor' }).last().click();
  // The report sits under the plugin it belongs to, and is kept with it.
  const report = table.getByRole('region', { name: 'Validation report of Lathe Compressor' });
  await expect(report).toContainText('PASS', { timeout: 60_000 });
  await expect(report).toContainText(/all \d+ checks pass/);
  await page.reload();
  await expect(table.getByRole('region', { name: 'Validation report of Lathe Compressor' })).toContainText('PASS');

  // The vendor ships a different module under the same URL: it does not run until accepted.
  appendFileSync(join(vendorDir, 'lathe.compressor/index.js'), '\n// changed\n');
  await page.reload();
  await expect(table.getByRole('alert')).toHaveText('Module changed since you confirmed it: it does not run until you accept the change');
  // Not even a direct import runs it: the service worker serves a pinned module only with its pinned bytes.
  expect(await page.evaluate(tryImport, pluginUrl)).toBe('blocked');
  await page.getByRole('button', { name: 'Accept the change to Lathe Compressor' }).click();
  await expect(row).toContainText('Unchanged');

  await page.getByRole('button', { name: 'Remove Lathe Compressor' }).click();
  await expect(page.getByText('No third-party plugins yet.')).toBeVisible();
});

test('a confirmed plugin that does not load says why in the list', async ({ page }) => {
  const missing = pluginUrl.replace('lathe.compressor/index.js', 'gone/index.js');
  await confirmPluginUrl(page, missing);
  const table = page.getByRole('region', { name: 'Third-party plugins' });
  await expect(table.getByRole('alert')).toHaveText(`Does not load: ${missing} answered HTTP 404.`, { timeout: 15_000 });
  await page.getByRole('button', { name: `Remove ${missing}` }).click();
  await expect(page.getByText('No third-party plugins yet.')).toBeVisible();
});

test('the page runs no injected script: the policy admits only the app\'s own bootstrap, by hash', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/.test(m.text())) violations.push(m.text());
  });
  await page.goto('/plugins');
  // The app started, so its inline bootstrap ran under the policy.
  await expect(page.getByRole('heading', { name: 'Plugins', level: 1 })).toBeVisible();
  const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
  expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+' 'wasm-unsafe-eval' blob:/);
  expect(csp).not.toContain("'unsafe-inline' 'wasm");
  const ran = await page.evaluate(async () => {
    const w = window as unknown as Record<string, unknown>;
    const script = document.createElement('script');
    script.textContent = 'window.__injected = "inline"';
    document.body.append(script);
    const img = document.createElement('img');
    img.setAttribute('onerror', 'window.__handler = "attribute"');
    img.src = 'data:,not-an-image';
    document.body.append(img);
    await new Promise((r) => img.addEventListener('error', r));
    let evaluated = 'no';
    try {
      evaluated = String(new Function('return "eval"')());
    } catch {
      evaluated = 'blocked';
    }
    return { inline: w.__injected ?? null, handler: w.__handler ?? null, evaluated };
  });
  expect(ran).toEqual({ inline: null, handler: null, evaluated: 'blocked' });
  expect(violations.length).toBeGreaterThanOrEqual(2);
});

test('a confirmed third-party plugin on the master chain is rendered into the CD', async ({ page }) => {
  test.setTimeout(120_000);
  await confirmPluginUrl(page, pluginUrl);
  await expect(page.getByRole('region', { name: 'Third-party plugins' }).getByRole('row', { name: /Lathe Compressor/ })).toContainText('Unchanged', { timeout: 15_000 });

  await toneProject(page, 'Vendor Master', 8);
  const before = await renderImage(page, 'vendor-before');

  await page.getByRole('tab', { name: 'Processing' }).click();
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
