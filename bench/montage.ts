/**
 * The montage's speed in the built app (issue 14): an album of 20 tracks of 4 minutes opens to a
 * drawn timeline, timed from the project loaded (`lathe:project-loaded`) to the first drawn
 * timeline (`lathe:timeline-drawn`); then zoom (Ctrl+wheel) and scroll (wheel), one event a
 * display frame, in frames a second. There is no reference tool for a GUI: the targets are the
 * issue's, 1 s and 50 frames a second.
 */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { writeProgrammeWav } from './audio';
import { newAppProject } from './import';

export async function montageBench(): Promise<void> {
  const { serve } = await import('../scripts/serve.js');
  const { chromiumPath, chromiumArgs, hasChromium } = await import('../scripts/chromium.js');
  if (!hasChromium()) {
    console.log(`No Chromium at ${chromiumPath}: the montage bench is skipped.`);
    return;
  }
  const dir = resolve('bench-out/montage');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const one = join(dir, 'song.wav');
  await writeProgrammeWav(one, 240, 44_100, 's16le');
  const files = Array.from({ length: 20 }, (_, i) => {
    const f = join(dir, `${String(i + 1).padStart(2, '0')} Song.wav`);
    symlinkSync(one, f);
    return f;
  });
  const server = (await serve({ root: 'build', port: 0 })) as Server;
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { chromium } = await import('playwright');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await newAppProject(page, origin, 'Bench');
    await page.getByLabel('Add audio files').setInputFiles(files);
    await page.getByRole('button', { name: /^Clip 1 of 1 on track 20,/ }).waitFor({ timeout: 600_000 });
    await page.getByRole('status', { name: 'Save status' }).filter({ hasText: 'All changes saved' }).waitFor();
    const opens: number[] = [];
    for (let run = 0; run < 3; run++) {
      await page.reload();
      await page.getByRole('button', { name: /^Clip 1 of 1 on track 20,/ }).waitFor();
      opens.push(await page.evaluate(`performance.getEntriesByName('lathe:timeline-drawn')[0].startTime - performance.getEntriesByName('lathe:project-loaded')[0].startTime`));
    }
    // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
    const fps = (ctrl: boolean): Promise<number> =>
      page.evaluate(`(async () => {
        const el = document.querySelector('.timeline');
        const r = el.getBoundingClientRect();
        const frames = 180;
        let n = 0;
        const t0 = performance.now();
        await new Promise((done) => {
          const step = () => {
            const dir = Math.floor(n / 45) % 2 === 0 ? 1 : -1;
            el.dispatchEvent(new WheelEvent('wheel', { deltaY: dir * (${ctrl} ? 60 : 120), ctrlKey: ${ctrl}, clientX: r.left + r.width / 2, clientY: r.top + 80, bubbles: true, cancelable: true }));
            if (++n >= frames) done();
            else requestAnimationFrame(step);
          };
          requestAnimationFrame(step);
        });
        return (frames / (performance.now() - t0)) * 1000;
      })()`);
    await page.keyboard.press('0');
    const zoomFps = await fps(true);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    const scrollFps = await fps(false);
    const ms = opens.map((v) => v.toFixed(0)).join(', ');
    console.log(`montage: 20 tracks x 4 min, project loaded -> timeline drawn: ${ms} ms (target < 1000 ms)`);
    console.log(`montage: zoom ${zoomFps.toFixed(1)} frames/s, scroll ${scrollFps.toFixed(1)} frames/s (target > 50; display at 60)`);
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
