/**
 * Playback simulations for translation checks: each a magnitude curve with its band limits and a
 * channel mode, defined here as data. The curves are representative of the class of device (the
 * small-driver roll-off, the cabin gain, the presence lift of a cheap earbud), drawn from the
 * published measurements of typical devices, not a model of any one product; 1 kHz reads 0 dB in
 * each, so switching compares tone, not level. They feed the monitor only, never a render.
 */
import { Fft } from './fft';

export type SimulationMode = 'stereo' | 'mono' | 'side';

export interface Simulation {
  id: string;
  label: string;
  /** What reaches both speakers: the stereo pair as it is, the mono sum (L+R)/2, or the side (L-R)/2. */
  mode: SimulationMode;
  /** [Hz, dB] points, joined linearly in dB over log frequency; flat beyond the ends. */
  points: readonly (readonly [number, number])[];
  /** Where the device stops reproducing, -12 dB points: shown to the engineer. */
  lowHz: number | null;
  highHz: number | null;
  note: string;
}

export const SIMULATIONS: readonly Simulation[] = [
  { id: 'mono', label: 'Mono', mode: 'mono', points: [], lowHz: null, highHz: null, note: 'L+R summed to both speakers, -6 dB each: phase cancellation and vanished wide elements show.' },
  { id: 'side', label: 'Side only', mode: 'side', points: [], lowHz: null, highHz: null, note: 'L-R to both speakers: what mono loses, reverb tails and wide elements, alone.' },
  {
    id: 'earbuds', label: 'Earbuds', mode: 'stereo',
    points: [[20, -18], [40, -12], [80, -4], [150, 0], [1000, 0], [3000, 4], [6000, -2], [10000, -1], [14000, -8], [20000, -20]],
    lowHz: 40, highHz: 16000, note: 'Unsealed earbuds: bass lost below 80 Hz, a presence lift near 3 kHz.'
  },
  {
    id: 'phone', label: 'Phone speaker', mode: 'mono',
    points: [[20, -40], [150, -30], [300, -12], [500, -3], [1000, 0], [2500, 3], [4000, 2], [8000, -2], [12000, -10], [16000, -25], [20000, -40]],
    lowHz: 300, highHz: 12000, note: 'A phone held in the hand: one small driver, nothing below 300 Hz, a mono sum.'
  },
  {
    id: 'laptop', label: 'Laptop', mode: 'stereo',
    points: [[20, -35], [100, -24], [200, -12], [400, -3], [800, 0], [2000, 1], [5000, 2], [10000, -4], [16000, -15], [20000, -30]],
    lowHz: 200, highHz: 14000, note: 'Built-in laptop speakers: narrow stereo, thin below 400 Hz.'
  },
  {
    id: 'car', label: 'Car', mode: 'stereo',
    points: [[20, 6], [40, 8], [60, 6], [100, 3], [200, 0], [400, -2], [1000, 0], [3000, -1], [8000, -3], [12000, -6], [20000, -15]],
    lowHz: null, highHz: 16000, note: 'A car cabin: the cabin gain lifts the low end, a dip in the low mids, soft highs.'
  },
  {
    id: 'bluetooth', label: 'Bluetooth speaker', mode: 'mono',
    points: [[20, -35], [60, -20], [90, -6], [120, 2], [200, 1], [1000, 0], [4000, 1], [8000, -3], [12000, -9], [16000, -20], [20000, -30]],
    lowHz: 80, highHz: 12000, note: 'A small mono Bluetooth speaker: a port bump near 120 Hz, nothing under 60 Hz.'
  }
];

export function simulation(id: string): Simulation {
  const s = SIMULATIONS.find((x) => x.id === id);
  if (!s) throw new RangeError(`no playback simulation '${id}'; there are ${SIMULATIONS.map((x) => x.id).join(', ')}`);
  return s;
}

/** The curve's level at a frequency, dB. */
export function simulationResponseDb(sim: Simulation, hz: number): number {
  const p = sim.points;
  if (p.length === 0) return 0;
  if (hz <= p[0][0]) return p[0][1];
  if (hz >= p[p.length - 1][0]) return p[p.length - 1][1];
  let i = 1;
  while (p[i][0] < hz) i++;
  const [f0, d0] = p[i - 1];
  const [f1, d1] = p[i];
  const t = Math.log(hz / f0) / Math.log(f1 / f0);
  return d0 + t * (d1 - d0);
}

/** Taps of the simulation filter: 85 ms, enough for the 20 Hz features of the curves. */
export function simulationTaps(rateHz: number): number {
  return rateHz > 50_000 ? 8192 : 4096;
}

/**
 * The minimum-phase FIR of a curve (homomorphic method: the folded real cepstrum of the log
 * magnitude), so the monitor adds no latency and the attack of a transient stays in front of it,
 * as it does through a real loudspeaker. Null for a flat curve.
 */
export function simulationFir(sim: Simulation, rateHz: number): Float32Array | null {
  if (sim.points.length === 0) return null;
  const taps = simulationTaps(rateHz);
  // A design grid eight times the length keeps the cepstrum's aliasing far below the curve's detail.
  const n = taps * 8;
  const fft = new Fft(n);
  const { re, im } = fft;
  for (let k = 0; k <= n / 2; k++) {
    const db = Math.max(-100, simulationResponseDb(sim, (k * rateHz) / n));
    re[k] = (db / 20) * Math.LN10;
    if (k > 0 && k < n / 2) re[n - k] = re[k];
  }
  im.fill(0);
  fft.transform(re, im, true);
  // Fold the cepstrum onto positive time: the minimum-phase counterpart of the same magnitude.
  for (let i = 1; i < n / 2; i++) re[i] *= 2;
  for (let i = n / 2 + 1; i < n; i++) re[i] = 0;
  im.fill(0);
  fft.transform();
  for (let k = 0; k < n; k++) {
    const mag = Math.exp(re[k]);
    const ph = im[k];
    re[k] = mag * Math.cos(ph);
    im[k] = mag * Math.sin(ph);
  }
  fft.transform(re, im, true);
  const h = new Float32Array(taps);
  // A half-Hann over the last quarter ends the response without a step.
  const fadeFrom = Math.floor(taps * 0.75);
  for (let i = 0; i < taps; i++) {
    const w = i < fadeFrom ? 1 : 0.5 + 0.5 * Math.cos((Math.PI * (i - fadeFrom)) / (taps - fadeFrom));
    h[i] = re[i] * w;
  }
  return h;
}

/** The 2x2 matrix of a mode, [L->L, R->L, L->R, R->R], applied before the filter. */
export function simulationMatrix(mode: SimulationMode): [number, number, number, number] {
  if (mode === 'mono') return [0.5, 0.5, 0.5, 0.5];
  if (mode === 'side') return [0.5, -0.5, 0.5, -0.5];
  return [1, 0, 0, 1];
}

/** The magnitude of a FIR at a frequency, dB: what the tests hold the design to. */
export function firResponseDb(h: Float32Array, rateHz: number, hz: number): number {
  let cr = 0;
  let ci = 0;
  const w = (2 * Math.PI * hz) / rateHz;
  for (let i = 0; i < h.length; i++) {
    cr += h[i] * Math.cos(w * i);
    ci -= h[i] * Math.sin(w * i);
  }
  return 10 * Math.log10(cr * cr + ci * ci);
}
