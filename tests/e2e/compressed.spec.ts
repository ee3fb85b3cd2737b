import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newProject, trackRows, trackTitles } from './helpers';

const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;
if (!hasFfmpeg) console.log('compressed.spec: skipped, ffmpeg is not installed (apt-get install ffmpeg)');

test('FLAC and MP3 import at their own rate, never resampled', async ({ page }) => {
  test.skip(!hasFfmpeg, 'ffmpeg is not installed');
  const flac = join(tmpdir(), 'e2e-tone.flac');
  const mp3 = join(tmpdir(), 'e2e-tone.mp3');
  const gen = (out: string, rate: number, extra: string[]) =>
    spawnSync('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}:duration=5`, '-ac', '2', ...extra, out]);
  expect(gen(flac, 48_000, ['-sample_fmt', 's32', '-c:a', 'flac']).status).toBe(0);
  expect(gen(mp3, 32_000, ['-c:a', 'libmp3lame', '-b:a', '128k']).status).toBe(0);

  await newProject(page, 'Compressed');
  await page.getByLabel('Add audio files').setInputFiles([
    { name: 'Tone.flac', mimeType: 'audio/flac', buffer: await readFile(flac) },
    { name: 'Tone mp3.mp3', mimeType: 'audio/mpeg', buffer: await readFile(mp3) }
  ]);
  await expect(trackRows(page)).toHaveCount(2);
  expect(await trackTitles(page)).toEqual(['Tone', 'Tone mp3']);
  await expect(page.getByLabel('Length of track 1')).toHaveText('00:07:00');
  const assets = await page.evaluate(
    () =>
      new Promise<{ name: string; rateHz: number; frames: number; bitDepth: number }[]>((resolve, reject) => {
        const req = indexedDB.open('lathe');
        req.onsuccess = () => {
          const all = req.result.transaction('assets').objectStore('assets').getAll();
          all.onsuccess = () => resolve(all.result);
          all.onerror = () => reject(all.error);
        };
        req.onerror = () => reject(req.error);
      })
  );
  const flacAsset = assets.find((a) => a.name === 'Tone.flac');
  const mp3Asset = assets.find((a) => a.name === 'Tone mp3.mp3');
  expect(flacAsset).toMatchObject({ rateHz: 48_000, frames: 240_000, bitDepth: 24 });
  expect(mp3Asset?.rateHz).toBe(32_000);
});
