import { describe, expect, it } from 'vitest';
import { LAYOUTS } from '$lib/core/spatial/layouts';
import { applyMatrix, foldDownMatrix, loudnessWeights } from '$lib/core/spatial/downmix';
import { AMBISONIC_CHANNELS, ambisonicMatrix } from '$lib/core/spatial/ambisonics';
import { MonitorMatrix, deviceBusChannels, monitorMatrices, monitoredChannels, type MonitorMode } from '$lib/core/spatial/monitor';

const layout = LAYOUTS['7.1.4'];
const N = layout.speakers.length;
const K = deviceBusChannels(layout);

/** Every speaker its own tone, so each output is a known mix of them. */
function speakers(n: number, offset = 0): Float32Array[] {
  return layout.speakers.map((_, c) => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * (100 + 37 * c) * (offset + i)) / 48_000)));
}

function run(m: MonitorMatrix, input: Float32Array[], n: number, block = 128): Float32Array[][] {
  const buses = [Array.from({ length: K }, () => new Float32Array(n)), Array.from({ length: AMBISONIC_CHANNELS }, () => new Float32Array(n))];
  const outs = [Array.from({ length: K }, () => new Float32Array(block)), Array.from({ length: AMBISONIC_CHANNELS }, () => new Float32Array(block))];
  for (let at = 0; at < n; at += block) {
    m.process(input.map((x) => x.subarray(at, at + block)), outs, block);
    outs.forEach((bus, b) => bus.forEach((ch, r) => buses[b][r].set(ch, at)));
  }
  return buses;
}

const matrices = (mode: MonitorMode) => {
  const m = monitorMatrices(layout, mode);
  return [m.device, m.ambisonic];
};

describe('the immersive monitor stage', () => {
  it('gives each mode its matrices: the fold-downs in the first rows, the speakers as they are, ambisonics on its own bus', () => {
    expect(K).toBe(12);
    const lo = monitorMatrices(layout, 'LoRo');
    expect(Array.from(lo.device.m.subarray(0, 2 * N))).toEqual(Array.from(foldDownMatrix(layout, 'LoRo').m));
    expect(lo.device.m.subarray(2 * N).every((g) => g === 0)).toBe(true);
    expect(lo.ambisonic.m.every((g) => g === 0)).toBe(true);
    expect(Array.from(monitorMatrices(layout, '5.1').device.m.subarray(0, 6 * N))).toEqual(Array.from(foldDownMatrix(layout, '5.1').m));
    const sp = monitorMatrices(layout, 'speakers').device;
    for (let r = 0; r < K; r++) for (let c = 0; c < N; c++) expect(sp.m[r * N + c]).toBe(r === c ? 1 : 0);
    const bin = monitorMatrices(layout, 'binaural');
    expect(bin.device.m.every((g) => g === 0)).toBe(true);
    expect(Array.from(bin.ambisonic.m)).toEqual(Array.from(ambisonicMatrix(layout).m));
    // A 5.1 monitor layout still has a six-channel device bus; so does 7.1 with eight.
    expect(deviceBusChannels(LAYOUTS['5.1'])).toBe(6);
    expect(deviceBusChannels(LAYOUTS['7.1'])).toBe(8);
  });

  it('names what the meters read in each mode, with BS.1770 weights', () => {
    expect(monitoredChannels(layout, 'LoRo')).toEqual({ labels: ['L', 'R'], weights: [1, 1] });
    expect(monitoredChannels(layout, 'binaural').labels).toEqual(['L', 'R']);
    expect(monitoredChannels(layout, '5.1')).toEqual({ labels: ['L', 'R', 'C', 'LFE', 'Ls', 'Rs'], weights: [1, 1, 1, 0, 1.41, 1.41] });
    expect(monitoredChannels(layout, 'speakers')).toEqual({ labels: layout.speakers.map((s) => s.label), weights: loudnessWeights(layout) });
  });

  it('is the fold-down matrix exactly when it is not switching', () => {
    const n = 1024;
    const input = speakers(n);
    const m = new MonitorMatrix(N, [K, AMBISONIC_CHANNELS]);
    m.set(matrices('LtRt'), 0);
    const [device] = run(m, input, n);
    const want = [new Float32Array(n), new Float32Array(n)];
    applyMatrix(foldDownMatrix(layout, 'LtRt'), input, n, want);
    for (let r = 0; r < 2; r++) for (let i = 0; i < n; i++) expect(device[r][i]).toBeCloseTo(want[r][i], 6);
    for (let r = 2; r < K; r++) expect(device[r].every((x) => x === 0)).toBe(true);
  });

  it('switches by a linear crossfade of the given length, with no gap and no step', () => {
    const fade = 480;
    const n = 4096;
    const input = speakers(n);
    const m = new MonitorMatrix(N, [K, AMBISONIC_CHANNELS]);
    m.set(matrices('LoRo'), 0);
    const before = run(m, input.map((x) => x.subarray(0, 1024)), 1024);
    m.set(matrices('binaural'), fade);
    const after = run(m, input.map((x) => x.subarray(1024)), n - 1024);
    const lo = [new Float32Array(n), new Float32Array(n)];
    applyMatrix(foldDownMatrix(layout, 'LoRo'), input, n, lo);
    const amb = Array.from({ length: AMBISONIC_CHANNELS }, () => new Float32Array(n));
    applyMatrix(ambisonicMatrix(layout), input, n, amb);
    for (let i = 0; i < 1024; i++) expect(before[0][0][i]).toBeCloseTo(lo[0][i], 6);
    for (let i = 0; i < n - 1024; i++) {
      const t = Math.min(1, (i + 1) / fade);
      expect(after[0][0][i]).toBeCloseTo((1 - t) * lo[0][1024 + i], 5);
      expect(after[1][0][i]).toBeCloseTo(t * amb[0][1024 + i], 5);
    }
    // The omnidirectional channel of the new bus and the old stereo pair overlap: power never drops to nothing.
    for (let i = 0; i < fade; i++) expect(Math.abs(after[0][0][i]) + Math.abs(after[1][0][i])).toBeGreaterThan(0);
  });

  it('starts a new switch from where a switch in progress is, without a jump', () => {
    const m = new MonitorMatrix(N, [K, AMBISONIC_CHANNELS]);
    const dc = layout.speakers.map(() => new Float32Array(4096).fill(1));
    m.set(matrices('LoRo'), 0);
    m.set(matrices('5.1'), 1000);
    const first = run(m, dc.map((x) => x.subarray(0, 256)), 256);
    m.set(matrices('LtRt'), 1000);
    const second = run(m, dc.map((x) => x.subarray(256, 2304)), 2048);
    const series = [...first[0][0], ...second[0][0]];
    let step = 0;
    for (let i = 1; i < series.length; i++) step = Math.max(step, Math.abs(series[i] - series[i - 1]));
    // Each coefficient moves by at most |g1 - g0| / 1000 per sample: the L row sums a dozen of them.
    expect(step).toBeLessThan(0.01);
    const lt = foldDownMatrix(layout, 'LtRt').m;
    expect(series.at(-1)).toBeCloseTo(lt.subarray(0, N).reduce((a, g) => a + g, 0), 6);
  });

  it('refuses a matrix of the wrong shape, naming the bus', () => {
    const m = new MonitorMatrix(N, [K, AMBISONIC_CHANNELS]);
    expect(() => m.set([foldDownMatrix(layout, 'LoRo'), ambisonicMatrix(layout)], 0)).toThrow(/monitor bus 0: a 2x12 matrix for a 12x12 bus/);
  });
});
