import { describe, expect, it } from 'vitest';
import { Session } from 'node:inspector/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FIRST_PARTY, firstPartyKernel } from '../../../src/lib/core/dsp/plugins';
import type { ChainKernel } from '../../../src/lib/core/dsp/kernel';
import { programme } from '../../helpers/programme';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const R = 48_000;

/** Settings that make each kernel work: every band of the EQ on, the dynamics reducing. */
const SETTINGS: Record<string, Record<string, number>> = {
  'lathe.eq': { band1Type: 5, band1FreqHz: 40, band2Type: 2, band2GainDb: 3, band3Type: 1, band3GainDb: -4, band3Q: 2, band4Type: 1, band4GainDb: 5, band5Type: 3, band5GainDb: -3, band6Type: 4, band6FreqHz: 18_000, outputGainDb: -1 },
  'lathe.compressor': { thresholdDb: -30, ratio: 6, attackMs: 3, releaseMs: 80, kneeDb: 6, sidechainHpfHz: 120, mixPercent: 80, makeupGainDb: 4 },
  'lathe.limiter': { ceilingDbtp: -1, inputGainDb: 9, releaseMs: 40 },
  'lathe.imager': { monoBelowHz: 120, lowWidthPercent: 60, midWidthPercent: 130, highWidthPercent: 160 },
  'lathe.deesser': { freqHz: 5000, thresholdDb: -40, ratio: 6, rangeDb: 10 }
};
const CASES: [string, string, Record<string, number>][] = [
  ...FIRST_PARTY.map((p): [string, string, Record<string, number>] => [p.id, p.id, SETTINGS[p.id]]),
  ['lathe.eq in linear phase', 'lathe.eq', { ...SETTINGS['lathe.eq'], linearPhase: 1 }]
];

function kernelOf(id: string, params: Record<string, number>): ChainKernel {
  const k = firstPartyKernel(id, params, R, 2);
  if (!k) throw new Error(`no kernel ${id}`);
  return k;
}

function render(k: ChainKernel, x: Float32Array[], block: number): Float32Array[] {
  const out = x.map((c) => new Float32Array(c.length));
  for (let i = 0; i < x[0].length; i += block) {
    const n = Math.min(block, x[0].length - i);
    const ins = x.map((c) => c.subarray(i, i + n));
    const outs = out.map((c) => c.subarray(i, i + n));
    k.process(ins, outs, n);
  }
  return out;
}

const signal = programme({ rateHz: R, seconds: 1.5, seed: 5, sectionsDb: [-12, 0], width: 0.8 });

describe('every kernel gives the same output whatever the block size, parameters held', () => {
  for (const [name, id, params] of CASES) {
    it(name, () => {
      const reference = render(kernelOf(id, params), signal, 4096);
      for (const block of [1, 7, 128]) {
        const got = render(kernelOf(id, params), signal, block);
        for (let c = 0; c < 2; c++) {
          let first = -1;
          for (let i = 0; i < got[c].length; i++) if (got[c][i] !== reference[c][i]) { first = i; break; }
          expect(first, `${name}, blocks of ${block}, channel ${c}: first differing sample`).toBe(-1);
        }
      }
    });
  }
});

interface SampleNode {
  selfSize: number;
  callFrame: { url: string; functionName: string; lineNumber: number };
  children: SampleNode[];
}

/**
 * Bytes allocated by core's own code while `work` runs, by V8's sampling heap profiler (one
 * sample every 64 bytes), with the places that allocated: the test's own bookkeeping is not counted.
 */
async function coreAllocations(work: () => void): Promise<{ bytes: number; where: string[] }> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 64, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  work();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SampleNode } };
  session.disconnect();
  let bytes = 0;
  const where: string[] = [];
  // A built-in (subarray, map: no url) allocates for the script that called it.
  const walk = (n: SampleNode, caller: string) => {
    const url = n.callFrame.url || caller;
    if (n.selfSize > 0 && url.includes('/src/lib/core/')) {
      bytes += n.selfSize;
      where.push(`${n.callFrame.functionName || '(anonymous)'} in ${url.split('/src/lib/core/')[1]} (${n.selfSize} B)`);
    }
    for (const c of n.children) walk(c, url);
  };
  walk(profile.head, '');
  return { bytes, where };
}

describe('every kernel runs 10,000 blocks without allocating, parameters moving', () => {
  for (const [name, id, params] of CASES) {
    it(name, async () => {
      const k = kernelOf(id, params);
      const info = FIRST_PARTY.find((p) => p.id === id)!;
      const moving = { ...params };
      const blockIn = [new Float32Array(128), new Float32Array(128)];
      const blockOut = [new Float32Array(128), new Float32Array(128)];
      // Float parameters sweep through a quarter of their range and back, one step a block.
      const floats = info.params.filter((p) => !p.choices);
      const ids = floats.map((p) => p.id);
      const bases = floats.map((p) => params[p.id] ?? p.default);
      const spans = floats.map((p) => (p.max - p.min) / 4);
      const mins = floats.map((p) => p.min);
      const maxs = floats.map((p) => p.max);
      const step = (b: number) => {
        for (let j = 0; j < ids.length; j++) moving[ids[j]] = Math.min(maxs[j], Math.max(mins[j], bases[j] + spans[j] * Math.sin(b / 200)));
        k.setParams(moving);
        const from = (b * 128) % (signal[0].length - 128);
        for (let c = 0; c < 2; c++) for (let i = 0; i < 128; i++) blockIn[c][i] = signal[c][from + i];
        k.process(blockIn, blockOut, 128);
      };
      for (let b = 0; b < 3000; b++) step(b);
      // V8 optimizes on a background thread: on a busy machine the first run can still be in
      // unoptimized code, which boxes numbers. The best of three runs counts; a kernel that allocates
      // per block allocates in each.
      let allocated = { bytes: Infinity, where: [] as string[] };
      let grown = Infinity;
      for (let run = 0, b = 3000; run < 3 && allocated.bytes >= 80 * 1024; run++) {
        gc();
        const before = process.memoryUsage().heapUsed;
        const from = b;
        const got = await coreAllocations(() => {
          for (b = from; b < from + 10_000; b++) step(b);
        });
        gc();
        if (got.bytes < allocated.bytes) allocated = got;
        grown = Math.min(grown, process.memoryUsage().heapUsed - before);
      }
      // Garbage collected during the run counts too. V8 boxes a number now and then while it settles
      // its code (measured: 0 to 64 kB, as much over 40,000 blocks as over 10,000: not per block).
      // The least a block could allocate, one boxed number, would be 160 kB; before this test the
      // limiter allocated 314 MB here, the linear-phase EQ 26 MB, the de-esser 7.8 MB.
      expect(allocated.bytes, `${name}: bytes core allocated in 10,000 blocks, at ${allocated.where.join('; ')}`).toBeLessThan(80 * 1024);
      expect(grown, `${name}: heap growth in bytes`).toBeLessThan(256 * 1024);
      for (const ch of blockOut) for (const v of ch) expect(Number.isFinite(v)).toBe(true);
    });
  }
});
