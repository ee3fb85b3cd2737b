import { describe, expect, it } from 'vitest';
import { OverDetector, afclipText } from '../../../src/lib/core/analysis/overs';
import { TruePeakMeter } from '../../../src/lib/core/analysis/truepeak';
import { sine } from '../../helpers/signals';

const R = 48_000;

describe('afclip-style overs', () => {
  it('finds no over in a signal below full scale, and says so as afclip does', () => {
    const x = sine(R, R, 997, 0.9);
    const d = new OverDetector(2, R);
    d.process([x, x], x.length);
    const r = d.report();
    expect(r.rows).toEqual([]);
    expect(afclipText(r)).toBe('-- no samples clipped --');
    expect(r.truePeakDbtp).toBeCloseTo(20 * Math.log10(0.9), 1);
  });

  it("sees the EBU case of a quarter-rate sine at 45 degrees: samples at 0 dBFS, peaks at +3 dBTP between them", () => {
    // Tech 3341 case 19: fs/4, 1.41 amplitude, 45 degrees: every sample is 1.0, the wave peaks at +3 dB.
    const x = sine(R, R, R / 4, Math.SQRT2 * 0.999, Math.PI / 4);
    const d = new OverDetector(2, R, 10);
    d.process([x, new Float32Array(R)], R);
    const r = d.report();
    expect(r.truePeakDbtp).toBeGreaterThan(2.5);
    expect(r.totals[0].onSample).toBe(0);
    expect(r.totals[0].interSample).toBeGreaterThan(R / 2);
    expect(r.totals[1]).toEqual({ channel: 1, onSample: 0, interSample: 0 });
    expect(r.rows).toHaveLength(10);
    expect(r.unlisted).toBe(r.totals[0].interSample - 10);
    for (const o of r.rows) {
      expect(o.channel).toBe(0);
      expect(o.sample % 1).not.toBe(0);
      expect(o.dbOver).toBeGreaterThan(0);
      expect(o.timeSec).toBeCloseTo(o.sample / R, 6);
    }
    const text = afclipText(r);
    expect(text.split('\n').slice(0, 2)).toEqual(['CLIPPED SAMPLES:', '   SECONDS        SAMPLE  CHAN     VALUE  DECIBELS']);
    expect(text).toMatch(/channel 1: on-sample: 0  inter-sample: \d+\nchannel 2: on-sample: 0  inter-sample: 0$/);
    // The same true peak as the BS.1770 meter.
    const m = new TruePeakMeter(2, R);
    m.process([x, new Float32Array(R)], R);
    expect(r.truePeakDbtp).toBeCloseTo(20 * Math.log10(m.maxPeak()), 1);
  });

  it('counts samples above full scale on-sample, unclamped, at their sample and time', () => {
    const x = new Float32Array(1000);
    x[500] = 1.25;
    x[700] = -1.1;
    const d = new OverDetector(1, R, 100, 100);
    d.process([x], 1000);
    const r = d.report();
    expect(r.totals[0].onSample).toBe(2);
    const on = r.rows.filter((o) => o.sample % 1 === 0);
    expect(on.map((o) => [o.sample, o.value])).toEqual([[400, 1.25], [600, -1.1]]);
    expect(on[0].dbOver).toBeCloseTo(20 * Math.log10(1.25), 2);
    expect(r.samplePeakDbfs).toBeCloseTo(20 * Math.log10(1.25), 2);
  });
});
