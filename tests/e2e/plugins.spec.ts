import { test, expect } from '@playwright/test';
import { TruePeakMeter } from '../../src/lib/core/analysis/truepeak';
import { designBiquad, responseDb } from '../../src/lib/core/dsp/biquad';
import { newProject, renderImage, saved, toneWav, trackRows } from './helpers';

const RATE = 44_100;

/** Peak of a channel over the steady middle of the tone (the 2 s pause comes first). */
function steadyPeak(x: Float32Array): number {
  let peak = 0;
  for (let i = 3 * RATE; i < 6 * RATE; i++) peak = Math.max(peak, Math.abs(x[i]));
  return peak;
}

const db = (x: number) => 20 * Math.log10(x);

test('an EQ on a clip and a limiter on the master change the rendered CD as set', async ({ page }) => {
  test.setTimeout(120_000);
  await newProject(page, 'Plugin Album');
  // 1 kHz on the left, 1.5 kHz on the right, both at 0.4 (-8 dBFS).
  await page.getByLabel('Add audio files').setInputFiles([{ name: 'Tone.wav', mimeType: 'audio/wav', buffer: toneWav(8, 1000) }]);
  await expect(trackRows(page)).toHaveCount(1);
  await saved(page);
  const before = await renderImage(page, 'before');
  expect(db(steadyPeak(before[0]))).toBeCloseTo(db(0.4), 1);

  await page.getByRole('tab', { name: 'Processing' }).click();
  const chain = page.getByRole('combobox', { name: 'Chain to edit' });
  await chain.selectOption({ label: 'Clip 1 of track 1: Tone.wav' });
  await page.getByRole('combobox', { name: 'Plugin to add to clip 1 of track 1' }).selectOption({ label: 'Lathe EQ' });
  await page.getByRole('button', { name: 'Add plugin' }).click();
  const eq = page.getByRole('group', { name: 'Lathe EQ parameters' });
  await eq.getByRole('combobox', { name: 'Band 1 type' }).selectOption({ label: 'bell' });
  await eq.getByRole('spinbutton', { name: 'Band 1 frequency (Hz)' }).fill('1000');
  await eq.getByRole('spinbutton', { name: 'Band 1 frequency (Hz)' }).press('Enter');
  await eq.getByRole('spinbutton', { name: 'Band 1 gain (dB)' }).fill('-12');
  await eq.getByRole('spinbutton', { name: 'Band 1 gain (dB)' }).press('Enter');
  await expect(page.getByRole('list', { name: 'Plugins on clip 1 of track 1' }).getByRole('listitem')).toHaveCount(1);

  await chain.selectOption({ label: 'Master' });
  await page.getByRole('combobox', { name: 'Plugin to add to the master chain' }).selectOption({ label: 'Lathe Limiter' });
  await page.getByRole('button', { name: 'Add plugin' }).click();
  const limiter = page.getByRole('group', { name: 'Lathe Limiter parameters' });
  await limiter.getByRole('spinbutton', { name: 'Ceiling (dBTP)' }).fill('-12');
  await limiter.getByRole('spinbutton', { name: 'Ceiling (dBTP)' }).press('Enter');
  await limiter.getByRole('spinbutton', { name: 'Input gain (dB)' }).fill('6');
  await limiter.getByRole('spinbutton', { name: 'Input gain (dB)' }).press('Enter');
  await saved(page);

  // The chains survive a reload: they are saved with the project.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Chain to edit' })).toContainText('Master (1)');

  const after = await renderImage(page, 'after');
  expect(after[0].length).toBe(before[0].length);
  // The limiter is stereo-linked, so the EQ shows as the change in balance: left (1 kHz) against
  // right (1.5 kHz) moves by the bell's analytic response at the two frequencies.
  const bell = designBiquad('bell', 1000, -12, 0.707, RATE);
  const expectedBalanceDb = responseDb(bell, 1000, RATE) - responseDb(bell, 1500, RATE);
  const balanceDb = (x: Float32Array[]) => db(steadyPeak(x[0])) - db(steadyPeak(x[1]));
  expect(Math.abs(balanceDb(after) - balanceDb(before) - expectedBalanceDb)).toBeLessThan(0.2);
  // The right channel would pass the ceiling after +6 dB: the limiter holds everything at -12 dBTP.
  const meter = new TruePeakMeter(2, RATE);
  meter.process(after, after[0].length);
  expect(db(meter.maxPeak())).toBeLessThanOrEqual(-12 + 0.05);
  expect(db(meter.maxPeak())).toBeGreaterThan(-12.5);
});
