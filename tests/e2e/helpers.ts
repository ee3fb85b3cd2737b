import { expect, type Page } from '@playwright/test';
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

export async function saved(page: Page): Promise<void> {
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('All changes saved');
}
