import { test, expect, type Page } from '@playwright/test';
import { encodeWav } from '../../src/lib/core/audio/wav';
import { fadeShape } from '../../src/lib/core/dsp/fades';
import { newProject, renderCd, saved, toneWav } from './helpers';
import { ffmpegEbur128 } from '../helpers/ffmpeg';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const R = 44_100;

/** Seeded noise, so every rendered sample can be traced to its source sample. */
function noise(seconds: number, seed: number): Float32Array[] {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const n = seconds * R;
  const ch = [new Float32Array(n), new Float32Array(n)];
  for (let i = 0; i < n; i++) {
    // As the 16-bit file will hold them.
    ch[0][i] = Math.round(0.3 * next() * 32767) / 32768;
    ch[1][i] = Math.round(0.3 * next() * 32767) / 32768;
  }
  return ch;
}

const samplesOf = async (page: Page, label: string) => Number((await page.getByLabel(label).textContent())!.replace(/.*?(\d+) smp.*/s, '$1').replace(/\D/g, ''));
const msfToSamples = (t: string) => {
  const [m, s, f] = t.split(':').map(Number);
  return ((m * 60 + s) * 75 + f) * 588;
};

test('a montage edited as a person works it, saved, reloaded and rendered to the CD sample for sample', async ({ page }) => {
  test.setTimeout(180_000);
  const one = noise(10, 1);
  const two = noise(10, 2);
  await newProject(page, 'Montage');
  await page.getByLabel('Add audio files').setInputFiles([
    { name: '01 One.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav(one, { rateHz: R, encoding: 's16le' })) },
    { name: '02 Two.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav(two, { rateHz: R, encoding: 's16le' })) }
  ]);
  const clip = (track: number, of: number, n = 1) => page.getByRole('button', { name: new RegExp(`^Clip ${n} of ${of} on track ${track},`) });
  await expect(clip(2, 1)).toBeVisible();
  await page.keyboard.press('0');

  // Trim the head of track 1's clip by dragging its start edge; INDEX 01 stays on the first audio.
  const box = (await clip(1, 1).boundingBox())!;
  await page.mouse.move(box.x + 1, box.y + box.height - 8);
  await page.mouse.down();
  await page.mouse.move(box.x + 40, box.y + box.height - 8, { steps: 5 });
  await page.mouse.up();
  await clip(1, 1).click({ position: { x: box.width / 2, y: box.height - 10 } });
  await page.getByRole('tab', { name: 'Clip' }).click();
  const trimmed = await samplesOf(page, 'Clip start in its source');
  expect(trimmed).toBeGreaterThan(0);
  expect(trimmed % 588).toBe(0);

  // Split track 2 at the playhead with S, then fade its second half out with an S-curve.
  const track2Start = await page.getByRole('button', { name: /^INDEX 01 of track 2 at / }).getAttribute('aria-label');
  const t2 = msfToSamples(track2Start!.replace(/.* at /, ''));
  await page.getByLabel('Playhead', { exact: true }).fill(String(t2 + 5 * R));
  await clip(2, 1).click();
  await page.keyboard.press('s');
  await expect(clip(2, 2, 2)).toBeVisible();
  await clip(2, 2, 2).click();
  const tailLength = await samplesOf(page, 'Clip length');
  await page.getByLabel('Fade-out length in seconds').fill(String(tailLength / R));
  await page.getByLabel('Fade-out length in seconds').press('Enter');
  await page.getByLabel('Fade-out curve').selectOption('sCurve');

  // Move track 2's first clip by keyboard: five seconds earlier runs 3 s into track 1, a segue.
  await clip(2, 2, 1).focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowRight'.replace('Right', 'Left'));
  const segue = page.getByRole('button', { name: /^Segue between track 1 and track 2, 3\.00 s, equal power$/ });
  await expect(segue).toBeVisible();

  // INDEX 01 of track 2 one second into the segue, by its flag.
  await page.getByRole('button', { name: /^INDEX 01 of track 2 at / }).focus();
  await page.keyboard.press('Shift+ArrowRight');
  const flag = (await page.getByRole('button', { name: /^INDEX 01 of track 2 at / }).getAttribute('aria-label'))!.replace(/.* at /, '');

  // An index mark at the playhead, 7 s after track 2's audio begins; undo takes it away, redo brings it back.
  const audio2 = await (async () => {
    await clip(2, 2, 1).click();
    return samplesOf(page, 'Clip start in samples');
  })();
  await page.getByLabel('Playhead', { exact: true }).fill(String(audio2 + 7 * R));
  await page.getByRole('button', { name: 'Zoom to selection' }).focus();
  await page.keyboard.press('m');
  const mark = page.getByRole('button', { name: /^INDEX 02 of track 2 at / });
  await page.keyboard.press('0');
  await expect(mark).toHaveCount(1);
  const markAt = (await mark.getAttribute('aria-label'))!.replace(/.* at /, '');
  await page.keyboard.press('Control+z');
  await expect(mark).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(mark).toHaveCount(1);

  // Every action is in the Edit menu too, walked with the arrow keys.
  await page.getByRole('button', { name: 'Edit ▾' }).click();
  await expect(page.getByRole('menuitem', { name: /^Split at playhead/ })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByRole('menuitem', { name: /^Zoom to the album/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menu', { name: 'Edit' })).toHaveCount(0);

  await saved(page);
  await page.reload();
  await expect(segue).toBeVisible();
  await expect(mark).toHaveAttribute('aria-label', new RegExp(`at ${markAt}`));
  await expect(page.getByRole('button', { name: /^INDEX 01 of track 2 at / })).toHaveAttribute('aria-label', new RegExp(`at ${flag}`));

  const { image, cue } = await renderCd(page, 'montage');
  const pregap = 2 * R;
  // The trimmed head is gone: track 1 plays from the trimmed point of its source.
  for (let k = 0; k < 1000; k++) expect(Math.abs(image[0][pregap + k] - one[0][trimmed + k])).toBeLessThan(3 / 32768);
  const end1 = pregap + 10 * R - trimmed;
  const start2 = end1 - 3 * R;
  expect(audio2).toBe(start2);
  // The segue crossfades as equal power: least-squares gains of each source sum to unit power.
  for (const at of [0.25, 0.5, 0.75]) {
    const c = start2 + Math.round(at * 3 * R);
    let aa = 0, bb = 0, ab = 0, ay = 0, by = 0;
    for (let i = c - 200; i < c + 200; i++) {
      const a = one[0][i - pregap + trimmed];
      const b = two[0][i - start2];
      const y = image[0][i];
      aa += a * a; bb += b * b; ab += a * b; ay += a * y; by += b * y;
    }
    const det = aa * bb - ab * ab;
    const ga = (ay * bb - by * ab) / det;
    const gb = (by * aa - ay * ab) / det;
    expect(10 * Math.log10(ga * ga + gb * gb)).toBeCloseTo(0, 0);
    expect(Math.abs(10 * Math.log10(ga * ga + gb * gb))).toBeLessThan(0.1);
  }
  // The second half of track 2 fades out on its S-curve, within 0.1 dB.
  const tailStart = start2 + 5 * R;
  let checked = 0;
  for (let k = 0; k < tailLength; k += 97) {
    const expected = fadeShape('sCurve', (tailLength - 1 - k) / tailLength);
    const src = two[0][5 * R + k];
    if (expected < 0.1 || Math.abs(src) < 0.2) continue;
    const got = image[0][tailStart + k] / src;
    expect(Math.abs(20 * Math.log10(got / expected))).toBeLessThan(0.1);
    checked++;
  }
  expect(checked).toBeGreaterThan(200);
  // The marks are where the timeline showed them.
  expect(cue).toMatch(new RegExp(`TRACK 02 AUDIO[\\s\\S]*INDEX 01 ${flag}[\\s\\S]*INDEX 02 ${markAt}`));
  expect(msfToSamples(flag)).toBeGreaterThan(start2);
  expect(msfToSamples(flag)).toBeLessThan(end1);
});

test("a clip's own loudness shows on hover and selection, equal to ffmpeg's ebur128, and follows its gain", async ({ page }) => {
  const wav = toneWav(8, 1000);
  const file = join(tmpdir(), `lathe-clip-loudness-${process.pid}.wav`);
  writeFileSync(file, wav);
  const reference = ffmpegEbur128(file);
  rmSync(file);
  await newProject(page, 'Clip loudness');
  await page.getByLabel('Add audio files').setInputFiles([{ name: 'Tone.wav', mimeType: 'audio/wav', buffer: wav }]);
  const clip = page.getByRole('button', { name: /^Clip 1 of 1 on track 1,/ });
  await expect(clip).toBeVisible();
  await page.keyboard.press('0');
  await saved(page);

  // Hovering shows it on the clip, measured in the analysis worker.
  await clip.hover();
  const onClip = page.getByRole('status', { name: 'Loudness of clip 1 on track 1' });
  await expect(onClip).toHaveText(/LUFS · .* dBTP/);
  const lufs = (t: string | null) => Number(/(-?[\d.]+) LUFS/.exec(t ?? '')?.[1] ?? NaN);
  expect(Math.abs(lufs(await onClip.textContent()) - reference.integratedLufs)).toBeLessThanOrEqual(0.1);

  // Selected, the Clip panel gives it in full; a gain change is measured again.
  await clip.click();
  await page.getByRole('tab', { name: 'Clip' }).click();
  const panel = page.getByLabel('Loudness of the clip alone');
  await expect(panel).toHaveText(/LUFS/);
  const before = lufs(await panel.textContent());
  await page.getByLabel('Clip gain in dB').fill('-6');
  await page.getByLabel('Clip gain in dB').press('Enter');
  await expect.poll(async () => lufs(await panel.textContent())).toBeCloseTo(before - 6, 1);
});
