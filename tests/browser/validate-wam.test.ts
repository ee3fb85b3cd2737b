import { describe, expect, it } from 'vitest';
import { validateWam, type ValidationReport } from '$lib/web/audio/validate-wam';
import { pluginModuleUrl } from '$lib/web/audio/wam-host';
import { brokenWamSource, type BrokenKind } from '../helpers/broken-wams';

function status(report: ValidationReport, id: string) {
  return report.checks.find((c) => c.id === id)?.status;
}

function moduleUrl(source: string): string {
  return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
}

describe('WAM validator', () => {
  it('passes lathe.limiter, measuring the latency it reports', async () => {
    const report = await validateWam(pluginModuleUrl('lathe.limiter'));
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.identifier).toBe('lathe.limiter');
    for (const id of ['descriptor', 'parameters', 'normalization', 'state', 'render-44100', 'render-96000', 'finite-96000', 'sound-44100', 'latency-44100', 'latency-96000', 'response']) {
      expect(status(report, id), id).toBe('pass');
    }
    expect(report.checks.find((c) => c.id === 'latency-96000')?.detail).toMatch(/measured (\d+) samples, reported \1/);
  });

  it('passes lathe.eq with every parameter answering', async () => {
    const report = await validateWam(pluginModuleUrl('lathe.eq'), { ratesHz: [48_000] });
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
  });

  const cases: [BrokenKind, string, RegExp][] = [
    ['throws', 'create', /throws in its constructor/],
    ['hangs', 'create', /did not finish within 1\.5 s/],
    ['nan', 'finite-44100', /non-finite samples/]
  ];
  for (const [kind, check, detail] of cases) {
    it(`fails a plugin that ${kind === 'nan' ? 'outputs NaN' : kind === 'hangs' ? 'never resolves createInstance' : 'throws in its constructor'}, in bounded time`, async () => {
      const report = await validateWam(moduleUrl(brokenWamSource(kind)), { timeoutMs: 1500 });
      expect(report.ok).toBe(false);
      const failing = report.checks.find((c) => c.id === check);
      expect(failing?.status).toBe('fail');
      expect(failing?.detail).toMatch(detail);
    });
  }
});
