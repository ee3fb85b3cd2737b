import { describe, expect, it } from 'vitest';
import { SIMULATIONS, simulation, simulationFir, simulationMatrix, simulationResponseDb, firResponseDb } from '../../../src/lib/core/dsp/translation';

describe('playback simulations', () => {
  for (const rateHz of [44_100, 48_000, 96_000]) {
    for (const sim of SIMULATIONS.filter((s) => s.points.length > 0)) {
      it(`${sim.label} at ${rateHz} Hz: the filter meets its curve at every documented point`, () => {
        const h = simulationFir(sim, rateHz)!;
        for (const [hz, db] of sim.points) {
          if (hz >= rateHz / 2) continue;
          // Deep cuts need only to be deep; the audible part of the curve is held to 0.5 dB.
          const got = firResponseDb(h, rateHz, hz);
          if (db < -30) expect(got).toBeLessThan(db + 3);
          else expect(Math.abs(got - db), `${hz} Hz: ${got.toFixed(2)} dB, curve ${db} dB`).toBeLessThan(0.5);
        }
        expect(Math.abs(firResponseDb(h, rateHz, 1000))).toBeLessThan(0.25);
        // Minimum phase: the energy is at the front, so the monitor adds no latency.
        let early = 0;
        let all = 0;
        for (let i = 0; i < h.length; i++) {
          all += h[i] * h[i];
          if (i < rateHz * 0.005) early += h[i] * h[i];
        }
        expect(early / all).toBeGreaterThan(0.9);
      });
    }
  }

  it('documents band limits that agree with its curve (the -12 dB points, within a third of an octave)', () => {
    for (const sim of SIMULATIONS) {
      for (const edge of [sim.lowHz, sim.highHz]) {
        if (edge === null) continue;
        const db = simulationResponseDb(sim, edge);
        const around = [edge / 2 ** (1 / 3), edge * 2 ** (1 / 3)].map((f) => simulationResponseDb(sim, f));
        expect(Math.min(db, ...around)).toBeLessThanOrEqual(-12 + 1e-9);
        expect(Math.max(db, ...around)).toBeGreaterThanOrEqual(-12 - 1e-9);
      }
    }
  });

  it('sums mono and isolates the side, and names what it does not have', () => {
    expect(simulationMatrix('mono')).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(simulationMatrix('side')).toEqual([0.5, -0.5, 0.5, -0.5]);
    expect(simulationMatrix('stereo')).toEqual([1, 0, 0, 1]);
    expect(simulation('phone').mode).toBe('mono');
    expect(simulationFir(simulation('mono'), 48_000)).toBeNull();
    expect(() => simulation('hifi')).toThrow(/no playback simulation 'hifi'.*earbuds/);
  });
});
