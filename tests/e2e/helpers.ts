import { expect, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../../src/lib/core/audio/wav';

export function toneWav(seconds: number, freqHz: number, rateHz = 44_100): Buffer {
  const n = Math.round(seconds * rateHz);
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    l[i] = 0.4 * Math.sin((2 * Math.PI * freqHz * i) / rateHz);
    r[i] = 0.4 * Math.sin((2 * Math.PI * freqHz * 1.5 * i) / rateHz);
  }
  return Buffer.from(encodeWav([l, r], { rateHz, encoding: 's16le' }));
}

export const trackRows = (page: Page) => page.getByRole('list', { name: 'Tracks' }).getByRole('listitem');

export async function trackTitles(page: Page): Promise<string[]> {
  const inputs = page.getByRole('textbox', { name: /^Title of track \d+$/ });
  const n = await inputs.count();
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await inputs.nth(i).inputValue());
  return out;
}

/** A new project from the project list, skipping the first-visit demo. */
export async function newProject(page: Page, name: string): Promise<void> {
  await page.goto('/');
  await page.waitForURL(/\/projects\//);
  await page.getByRole('link', { name: 'Projects' }).click();
  await page.getByLabel('New project').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.waitForURL(/\/projects\//);
  await expect(page.getByRole('textbox', { name: 'Album title' })).toHaveValue(name);
}

/** Adds a third-party plugin by URL on the Plugins page and confirms it in the dialog. */
export async function confirmPluginUrl(page: Page, url: string): Promise<void> {
  await page.goto('/plugins');
  await page.getByRole('textbox', { name: 'Plugin URL' }).fill(url);
  await page.getByRole('button', { name: 'Add plugin…' }).click();
  await page.getByRole('dialog', { name: 'Add this plugin?' }).getByRole('button', { name: 'Add plugin' }).click();
}

/** A new project holding one track: a tone of `seconds` at 1 kHz (left) and 1.5 kHz (right), saved. */
export async function toneProject(page: Page, name: string, seconds: number): Promise<void> {
  await newProject(page, name);
  await page.getByLabel('Add audio files').setInputFiles([{ name: 'Tone.wav', mimeType: 'audio/wav', buffer: toneWav(seconds, 1000) }]);
  await expect(trackRows(page)).toHaveCount(1);
  await saved(page);
}

export async function saved(page: Page): Promise<void> {
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('All changes saved');
}

/** Renders the CD in the app; returns IMAGE.DAT as planar floats and the CUE sheet. */
export async function renderCd(page: Page, name: string): Promise<{ image: Float32Array[]; cue: string }> {
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Render CD' }).click();
  const file = join(tmpdir(), `lathe-${name}-${Date.now()}.zip`);
  await (await download).saveAs(file);
  await dialog.getByRole('button', { name: 'Close' }).click();
  const entries = Object.entries(unzipSync(new Uint8Array(await readFile(file))));
  const bytes = entries.find(([n]) => n.endsWith('/DDP/IMAGE.DAT'))![1];
  const cue = new TextDecoder().decode(entries.find(([n]) => n.endsWith('.cue'))![1]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames = bytes.byteLength / 4;
  const image = [new Float32Array(frames), new Float32Array(frames)];
  for (let i = 0; i < frames; i++) {
    image[0][i] = view.getInt16(i * 4, true) / 32768;
    image[1][i] = view.getInt16(i * 4 + 2, true) / 32768;
  }
  return { image, cue };
}

export async function renderImage(page: Page, name: string): Promise<Float32Array[]> {
  return (await renderCd(page, name)).image;
}
