import { describe, expect, it } from 'vitest';
import { ChainRunner } from '$lib/core/render/chain';
import type { Chain } from '$lib/core/album/model';

const RATE = 44_100;

function tone(frames: number, amplitude: number): Float32Array[] {
  const x = Float32Array.from({ length: frames }, (_, i) => amplitude * Math.sin((2 * Math.PI * 1000 * i) / RATE));
  return [x, x.slice()];
}

describe('metering a chain for live GUIs', () => {
  const chain: Chain = [
    { plugin: 'lathe.eq', params: {}, bypass: false },
    { plugin: 'lathe.compressor', params: { thresholdDb: -30, ratio: 4, kneeDb: 0, attackMs: 1 }, bypass: false },
    { plugin: 'lathe.limiter', params: { ceilingDbtp: -6 }, bypass: true },
    { plugin: 'lathe.limiter', params: { ceilingDbtp: -12, inputGainDb: 18 }, bypass: false }
  ];

  it('reports each dynamics slot by its index, at album samples, and does not change the sound', () => {
    const frames = RATE;
    const plain = tone(frames, 0.5);
    const metered = tone(frames, 0.5);
    ChainRunner.create(chain, RATE, 2, 'the master chain').process(plain, frames, 10_000);
    const runner = ChainRunner.create(chain, RATE, 2, 'the master chain');
    const heard: [number, number, number][] = [];
    runner.onReduction = (slot, at, db) => heard.push([slot, at, db]);
    runner.process(metered, frames, 10_000);
    expect(metered).toEqual(plain);

    expect(new Set(heard.map(([slot]) => slot))).toEqual(new Set([1, 3]));
    const compressor = heard.filter(([slot]) => slot === 1);
    expect(compressor[0][1]).toBe(10_000 + 1024);
    expect(compressor.at(-1)?.[1]).toBe(10_000 + frames);
    // A -6 dBFS tone, 24 dB over a -30 dB threshold at 4:1 (RMS detection): well over 10 dB of reduction.
    expect(compressor.at(-1)?.[2]).toBeLessThan(-10);
    const limiter = heard.filter(([slot]) => slot === 3);
    expect(limiter.at(-1)?.[2]).toBeLessThan(-1);
    expect(Math.max(...heard.map(([, , db]) => db))).toBeLessThanOrEqual(0);
  });
});

describe('tapping a slot for a GUI spectrum', () => {
  it('hears what that slot outputs, at album samples, before the slots after it', () => {
    const chain: Chain = [
      { plugin: 'lathe.eq', params: { band1Type: 1, band1FreqHz: 1000, band1GainDb: -12 }, bypass: false },
      { plugin: 'lathe.limiter', params: { ceilingDbtp: -12, inputGainDb: 18 }, bypass: false }
    ];
    const frames = 8192;
    const input = tone(frames, 0.5);
    const eqOnly = input.map((c) => c.slice());
    ChainRunner.create([chain[0]], RATE, 2, 'x').process(eqOnly, frames);
    const runner = ChainRunner.create(chain, RATE, 2, 'x');
    const heard = new Float32Array(frames);
    let at0 = -1;
    runner.tap = {
      slot: 0,
      listener: (at, channels, n) => {
        if (at0 < 0) at0 = at;
        heard.set(channels[0].subarray(0, n), at - 5000);
      }
    };
    runner.process(input, frames, 5000);
    expect(at0).toBe(5000);
    expect(heard).toEqual(eqOnly[0]);
    // The chain's own output went on through the limiter.
    expect(Math.max(...input[0].map(Math.abs))).toBeLessThan(0.26);
    expect(Math.max(...input[0].map(Math.abs))).toBeGreaterThan(0.2);
  });
});
