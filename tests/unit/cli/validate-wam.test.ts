import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLathe } from '../../helpers/cli';
import { brokenWamSource, type BrokenKind } from '../../helpers/broken-wams';
import { hasChromium, chromiumPath } from '../../../scripts/chromium.js';

const chromium = hasChromium();
if (!chromium) console.log(`validate-wam.test: no Chromium at ${chromiumPath}; skipped (apt-get install chromium)`);

describe.skipIf(!chromium)('lathe validate-wam', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lathe-wam-'));
    for (const kind of ['throws', 'hangs', 'nan'] as BrokenKind[]) {
      mkdirSync(join(dir, kind));
      writeFileSync(join(dir, kind, 'index.js'), brokenWamSource(kind));
    }
  });

  it('passes a first-party plugin from its built folder, with a JSON report', async () => {
    const r = await runLathe('validate-wam', 'build/plugins/lathe.eq', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.ok).toBe(true);
    expect(report.identifier).toBe('lathe.eq');
    expect(report.checks.length).toBeGreaterThan(15);
  }, 180_000);

  const expected: Record<BrokenKind, RegExp> = {
    throws: /FAIL\s+createInstance resolves\s+.*throws in its constructor/,
    hangs: /FAIL\s+createInstance resolves\s+.*did not finish within 2\.0 s/,
    nan: /FAIL\s+No NaN or Inf at 44100 Hz/
  };
  for (const kind of ['throws', 'hangs', 'nan'] as BrokenKind[]) {
    it(`fails the plugin that ${kind}, naming the check, and exits 1`, async () => {
      const r = await runLathe('validate-wam', join(dir, kind), '--timeout', '2');
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^FAIL/);
      expect(r.out).toMatch(expected[kind]);
    }, 120_000);
  }

  it('says what is wrong with a path that holds no plugin', async () => {
    const r = await runLathe('validate-wam', join(dir, 'nowhere'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no such file or folder/);
  });
});
