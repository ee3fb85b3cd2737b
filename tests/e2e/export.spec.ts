import { test, expect } from '@playwright/test';
import { unzipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { readDdp } from '../../src/lib/core/delivery/ddp-reader';
import { memorySource } from '../../src/lib/core/audio/source';
import { trackRows } from './helpers';
import { msf } from '../../src/lib/core/album/cd-layout';

test('release metadata, then the CD export: problems listed, DDP rendered in a worker, downloaded and valid', async ({ page }) => {
  await page.goto('/');
  await page.waitForURL(/\/projects\//);
  await expect(trackRows(page)).toHaveCount(3);
  await page.getByRole('tab', { name: 'Metadata' }).click();

  await page.getByRole('textbox', { name: 'UPC/EAN' }).fill('036000291452');
  await page.getByRole('textbox', { name: 'UPC/EAN' }).press('Enter');
  await expect(page.getByRole('textbox', { name: 'UPC/EAN' })).toHaveValue('0036000291452');
  await page.getByRole('textbox', { name: 'First ISRC' }).fill('gb-aye-26-00001');
  await page.getByRole('button', { name: 'Assign ISRCs in track order' }).click();
  await expect(page.getByRole('textbox', { name: 'ISRC of track 3' })).toHaveValue('GB-AYE-26-00003');
  await page.getByRole('textbox', { name: 'Songwriter of track 2' }).fill('Lathe & Co');
  await page.getByRole('textbox', { name: 'Songwriter of track 2' }).press('Tab');
  await page.getByRole('checkbox', { name: 'Digital copy permitted on track 1' }).check();

  // A bad ISRC is named beside its field, not taken, and the export refuses until it is reverted.
  const isrc2 = page.getByRole('textbox', { name: 'ISRC of track 2' });
  await isrc2.fill('GB-AYE-26-0002');
  await isrc2.press('Tab');
  await expect(isrc2).toHaveAttribute('aria-invalid', 'true');
  await expect(isrc2).toHaveAccessibleDescription(/Not applied: "GB-AYE-26-0002" is not an ISRC: it has 11 characters.*Kept: GB-AYE-26-00002/);

  // A gap that is not a number says why, beside the field.
  await page.getByRole('tab', { name: 'Tracks' }).click();
  const gap2 = page.getByRole('textbox', { name: 'Gap before track 2 in seconds' });
  await gap2.fill('abc');
  await gap2.press('Enter');
  await expect(gap2).toHaveAccessibleDescription(/Not applied: "abc" is not a number of seconds/);

  // A first pause under 2 s is refused by the export dialog, and so is each value not applied.
  const gap1 = page.getByRole('textbox', { name: 'Gap before track 1 in seconds' });
  await gap1.fill('1');
  await gap1.press('Enter');
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toContainText("Track 1 starts at 00:01:00; its INDEX 01 must be at 00:02:00 or later.");
  await expect(dialog).toContainText('ISRC of track 2: "GB-AYE-26-0002" was not applied');
  await expect(dialog).toContainText('Gap before track 2 in seconds: "abc" was not applied');
  await expect(dialog.getByRole('button', { name: 'Render CD' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await gap1.fill('2');
  await gap1.press('Enter');
  await page.getByRole('tab', { name: 'Metadata' }).click();
  await isrc2.press('Escape');
  await expect(isrc2).toHaveValue('GB-AYE-26-00002');
  await expect(isrc2).toHaveAttribute('aria-invalid', 'false');
  await page.getByRole('tab', { name: 'Tracks' }).click();
  await gap2.fill('2');
  await gap2.press('Enter');
  await expect(gap2).toHaveAttribute('aria-invalid', 'false');

  await page.getByRole('button', { name: 'Export…' }).click();
  await expect(dialog).toContainText('No Red Book or metadata problems.');
  await dialog.getByRole('radio', { name: 'TPDF with noise shaping (Lipshitz)' }).check();
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Render CD' }).click();
  const file = join(tmpdir(), `lathe-cd-${Date.now()}.zip`);
  await (await download).saveAs(file);
  await expect(dialog.getByRole('status', { name: 'Export result' })).toContainText('Written: 3 tracks');

  const entries = unzipSync(new Uint8Array(await readFile(file)));
  const names = Object.keys(entries).sort();
  expect(names).toEqual([
    'Demo_Album CD/DDP/CDTEXT.BIN', 'Demo_Album CD/DDP/CHECKSUM.MD5', 'Demo_Album CD/DDP/DDPID', 'Demo_Album CD/DDP/DDPMS',
    'Demo_Album CD/DDP/IMAGE.DAT', 'Demo_Album CD/DDP/PQDESCR', 'Demo_Album CD/Demo_Album.bin', 'Demo_Album CD/Demo_Album.cue',
    'Demo_Album CD/pq-sheet.html', 'Demo_Album CD/report.json'
  ]);
  const ddp = (name: string) => entries[`Demo_Album CD/DDP/${name}`];
  const report = await readDdp({
    names: async () => names.filter((n) => n.includes('/DDP/')).map((n) => n.split('/').pop() as string),
    read: async (n) => ddp(n),
    open: async (n) => memorySource(n, ddp(n))
  });
  expect(report.problems).toEqual([]);
  expect(report.fileset.upc).toBe('0036000291452');
  expect(report.fileset.tracks.map((t) => [t.title, t.isrc, t.copyPermitted])).toEqual([
    ['First Light', 'GBAYE2600001', true],
    ['Cutting Room', 'GBAYE2600002', false],
    ['Run-out Groove', 'GBAYE2600003', false]
  ]);
  expect(report.fileset.cdText?.tracks[1].songwriter).toBe('Lathe & Co');
  // The album view shows what was written: each INDEX 01, each length and pause, the total.
  await dialog.getByRole('button', { name: 'Close' }).click();
  const t = report.fileset.tracks;
  for (let i = 0; i < t.length; i++) {
    await expect(page.getByLabel(`Start of track ${i + 1}`)).toHaveText(msf(t[i].index01));
    await expect(page.getByLabel(`Length of track ${i + 1}`)).toHaveText(msf((t[i + 1]?.index01 ?? report.fileset.leadOut) - t[i].index01));
    await expect(page.getByLabel(`Gap before track ${i + 1} in CD frames`)).toHaveText(`${t[i].index01 - (t[i].index00 ?? t[i].index01)}fr`);
  }
  await expect(page.getByLabel('Album running time')).toHaveText(msf(report.fileset.leadOut));
  const md5 = createHash('md5').update(ddp('IMAGE.DAT')).digest('hex');
  expect(new TextDecoder().decode(ddp('CHECKSUM.MD5'))).toContain(`${md5} *IMAGE.DAT`);
});
