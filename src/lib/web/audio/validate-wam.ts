/**
 * The WAM validator: loads a plugin, checks what it says about itself against what it does, and
 * renders test signals through it offline. Every step has a time limit, so a broken plugin gets a
 * failing report instead of a hung page. Used by the Plugins page and `lathe validate-wam`.
 */
import type { WamNode, WebAudioModule, WamParameterInfo } from '@webaudiomodules/api';
import { seededRandom } from '$lib/core/audio/synth';
import { DEFAULT_TIMEOUT_MS, loadWamConstructor, wamGroup, withTimeout, type WamConstructor } from './wam-host';
import { playInto, reportedLatencySamples } from './offline-chain';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  id: string;
  label: string;
  status: CheckStatus;
  detail: string;
}

export interface ValidationReport {
  url: string;
  ok: boolean;
  identifier: string | null;
  name: string | null;
  checks: CheckResult[];
  durationMs: number;
}

export interface ValidateOptions {
  timeoutMs?: number;
  ratesHz?: number[];
}

const SDK_DEFAULT_ID = 'com.webaudiomodule.default';
const SMALLEST_NORMAL = 1.1754943508222875e-38;
const SIGNAL_SEC = 0.5;

type Signal = 'silence' | 'impulse' | 'noise' | 'sine';

function signal(kind: Signal, frames: number, rateHz: number, seed = 7): Float32Array[] {
  return [0, 1].map((c) => {
    const x = new Float32Array(frames);
    if (kind === 'impulse') x[0] = 0.5;
    if (kind === 'sine') for (let i = 0; i < frames; i++) x[i] = 0.25 * Math.sin((2 * Math.PI * 1000 * i) / rateHz);
    if (kind === 'noise') {
      const rand = seededRandom(seed + c);
      for (let i = 0; i < frames; i++) x[i] = (rand() * 2 - 1) * 0.25;
    }
    return x;
  });
}

class Validation {
  readonly checks: CheckResult[] = [];
  constructor(readonly timeoutMs: number) {}

  add(id: string, label: string, status: CheckStatus, detail: string): void {
    this.checks.push({ id, label, status, detail });
  }

  /** Runs a step; an exception or a timeout fails it with the reason. Returns the step's value. */
  async step<T>(id: string, label: string, run: () => Promise<T>, limitMs = this.timeoutMs * 3): Promise<T | undefined> {
    try {
      return await withTimeout(run(), limitMs, label);
    } catch (e) {
      this.add(id, label, 'fail', e instanceof Error ? e.message : String(e));
      return undefined;
    }
  }
}

async function instance(ctor: WamConstructor, ctx: BaseAudioContext, timeoutMs: number): Promise<WebAudioModule> {
  const group = await wamGroup(ctx);
  const wam = await withTimeout(ctor.createInstance(group, ctx), timeoutMs, 'createInstance');
  if (!wam?.audioNode) throw new Error('createInstance resolved without an audioNode');
  return wam;
}

/** Renders one signal through a fresh instance; `setup` may set parameters before rendering. */
async function render(
  ctor: WamConstructor,
  input: Float32Array[],
  rateHz: number,
  timeoutMs: number,
  setup?: (node: WamNode) => Promise<void>
): Promise<{ output: Float32Array[]; threw: boolean }> {
  const frames = input[0].length;
  const ctx = new OfflineAudioContext(2, frames, rateHz);
  const wam = await instance(ctor, ctx, timeoutMs);
  const node = wam.audioNode;
  if (setup) await setup(node);
  let threw = false;
  (node as unknown as AudioWorkletNode).onprocessorerror = () => (threw = true);
  playInto(ctx, input).connect(node as unknown as AudioNode).connect(ctx.destination);
  const out = await withTimeout(ctx.startRendering(), timeoutMs, `Rendering at ${rateHz} Hz`);
  return { output: [0, 1].map((c) => out.getChannelData(c)), threw };
}

function scan(channels: Float32Array[]) {
  let nonFinite = 0;
  let denormals = 0;
  let sum = 0;
  let energy = 0;
  let n = 0;
  for (const x of channels) {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (!Number.isFinite(v)) {
        nonFinite++;
        continue;
      }
      if (v !== 0 && Math.abs(v) < SMALLEST_NORMAL) denormals++;
      sum += v;
      energy += v * v;
      n++;
    }
  }
  return { nonFinite, denormals, mean: n ? sum / n : 0, rms: n ? Math.sqrt(energy / n) : 0 };
}

function maxDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  for (let c = 0; c < a.length; c++) for (let i = 0; i < a[c].length; i++) worst = Math.max(worst, Math.abs(a[c][i] - b[c][i]));
  return worst;
}

/** The lag (0…maxLag) at which the output best matches the input, and how well (normalized). */
function measuredLag(input: Float32Array, output: Float32Array, maxLag: number): { lag: number; score: number } {
  let best = { lag: 0, score: 0 };
  let inEnergy = 0;
  for (let i = 0; i < input.length; i++) inEnergy += input[i] * input[i];
  for (let lag = 0; lag <= maxLag; lag++) {
    let dot = 0;
    let outEnergy = 0;
    for (let i = 0; i + lag < output.length; i++) {
      dot += input[i] * output[i + lag];
      outEnergy += output[i + lag] * output[i + lag];
    }
    const score = outEnergy > 0 ? dot / Math.sqrt(inEnergy * outEnergy) : 0;
    if (score > best.score) best = { lag, score };
  }
  return best;
}

/** A few audio quanta on the running context, for values that change on the audio thread. */
const settled = () => new Promise((r) => setTimeout(r, 30));

export async function validateWam(url: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ratesHz = options.ratesHz ?? [44_100, 96_000];
  const v = new Validation(timeoutMs);
  const report = (identifier: string | null, name: string | null): ValidationReport => ({
    url,
    ok: v.checks.every((c) => c.status !== 'fail'),
    identifier,
    name,
    checks: v.checks,
    durationMs: Math.round(performance.now() - started)
  });

  const ctor = await v.step('load', 'Module loads and exports a WAM', () => loadWamConstructor(url, timeoutMs));
  if (!ctor) return report(null, null);
  v.add('load', 'Module loads and exports a WAM', 'pass', 'default export has isWebAudioModuleConstructor');

  // Parameters and state are checked on a running context: some plugins (ParamMgr-based ones) move
  // their values only as audio is processed, which a suspended offline context never does.
  const probe = new AudioContext({ sampleRate: ratesHz[0] });
  try {
    return await validateWith(ctor, probe, url, v, ratesHz, timeoutMs, report);
  } finally {
    void probe.close();
  }
}

async function validateWith(
  ctor: WamConstructor,
  probe: AudioContext,
  url: string,
  v: Validation,
  ratesHz: number[],
  timeoutMs: number,
  report: (identifier: string | null, name: string | null) => ValidationReport
): Promise<ValidationReport> {
  await probe.resume().catch(() => undefined);
  const wam = await v.step('create', 'createInstance resolves', () => instance(ctor, probe, timeoutMs));
  if (!wam) return report(null, null);
  v.add('create', 'createInstance resolves', 'pass', 'an instance with an audio node');
  const node = wam.audioNode;
  const d = wam.descriptor ?? ({} as WebAudioModule['descriptor']);

  const problems: string[] = [];
  if (!d.identifier) problems.push('no identifier');
  else if (d.identifier === SDK_DEFAULT_ID) problems.push(`identifier is the SDK default "${SDK_DEFAULT_ID}"`);
  if (!d.name) problems.push('no name');
  if (typeof d.apiVersion !== 'string' || !d.apiVersion.startsWith('2.')) problems.push(`apiVersion is ${JSON.stringify(d.apiVersion)}, not 2.x`);
  const inputs = (node as unknown as AudioNode).numberOfInputs;
  const outputs = (node as unknown as AudioNode).numberOfOutputs;
  if (!!d.hasAudioInput !== inputs > 0) problems.push(`hasAudioInput is ${d.hasAudioInput} but the node has ${inputs} inputs`);
  if (!!d.hasAudioOutput !== outputs > 0) problems.push(`hasAudioOutput is ${d.hasAudioOutput} but the node has ${outputs} outputs`);
  v.add('descriptor', 'Descriptor', problems.length ? 'fail' : 'pass', problems.join('; ') || `${d.identifier} ${d.version ?? ''} (API ${d.apiVersion}), ${inputs} in, ${outputs} out`);

  const infos = await v.step('parameters', 'Parameter info', () => withTimeout(node.getParameterInfo(), timeoutMs, 'getParameterInfo'));
  const params: WamParameterInfo[] = infos ? Object.values(infos) : [];
  if (infos) {
    const bad: string[] = [];
    for (const p of params) {
      if (!(Number.isFinite(p.minValue) && Number.isFinite(p.maxValue) && p.minValue < p.maxValue)) bad.push(`${p.id}: range ${p.minValue}…${p.maxValue}`);
      else if (!(p.defaultValue >= p.minValue && p.defaultValue <= p.maxValue)) bad.push(`${p.id}: default ${p.defaultValue} outside ${p.minValue}…${p.maxValue}`);
    }
    v.add('parameters', 'Parameter info', bad.length ? 'fail' : 'pass', bad.join('; ') || `${params.length} parameters, defaults inside their ranges`);

    const trips = await v.step('normalization', 'Normalize/denormalize round trip', async () => {
      const wrong: string[] = [];
      for (const p of params) {
        for (const norm of [0, 0.5, 1]) {
          await node.setParameterValues({ [p.id]: { id: p.id, value: norm, normalized: true } });
          await settled();
          const plain = (await node.getParameterValues(false, p.id))[p.id]?.value;
          const back = (await node.getParameterValues(true, p.id))[p.id]?.value;
          if (!(plain >= p.minValue - 1e-9 && plain <= p.maxValue + 1e-9)) wrong.push(`${p.id}: normalized ${norm} gave ${plain}`);
          else if (p.type === 'float' && !(Math.abs(back - norm) <= 1e-3)) wrong.push(`${p.id}: ${norm} came back as ${back}`);
        }
        await node.setParameterValues({ [p.id]: { id: p.id, value: p.defaultValue, normalized: false } });
      }
      return wrong;
    });
    if (trips) v.add('normalization', 'Normalize/denormalize round trip', trips.length ? 'fail' : 'pass', trips.slice(0, 5).join('; ') || 'every parameter at 0, 0.5 and 1');
  }

  const stateTrip = await v.step('state', 'getState/setState round trip', async () => {
    const before = await withTimeout(node.getState(), timeoutMs, 'getState');
    const valuesBefore = await node.getParameterValues(false);
    for (const p of params) await node.setParameterValues({ [p.id]: { id: p.id, value: 0.3, normalized: true } });
    await settled();
    await withTimeout(node.setState(before), timeoutMs, 'setState');
    await settled();
    const after = await node.getParameterValues(false);
    return params.filter((p) => Math.abs((after[p.id]?.value ?? NaN) - (valuesBefore[p.id]?.value ?? NaN)) > 1e-6).map((p) => p.id);
  });
  if (stateTrip) v.add('state', 'getState/setState round trip', stateTrip.length ? 'fail' : 'pass', stateTrip.length ? `not restored: ${stateTrip.join(', ')}` : 'a saved state restores every parameter');

  const reported = await v.step('latency-reported', 'Reported latency', () => reportedLatencySamples(node, ratesHz[0], timeoutMs));

  for (const rateHz of ratesHz) {
    const frames = Math.round(SIGNAL_SEC * rateHz);
    const outputs = new Map<Signal, Float32Array[]>();
    const rendered = await v.step(`render-${rateHz}`, `Renders at ${rateHz} Hz`, async () => {
      for (const kind of ['silence', 'impulse', 'noise', 'sine'] as Signal[]) {
        const r = await render(ctor, signal(kind, frames, rateHz), rateHz, timeoutMs);
        if (r.threw) throw new Error(`the processor threw while rendering ${kind}`);
        outputs.set(kind, r.output);
      }
      return true;
    });
    if (!rendered) continue;
    v.add(`render-${rateHz}`, `Renders at ${rateHz} Hz`, 'pass', 'silence, impulse, noise and a 1 kHz sine');
    const scans = new Map([...outputs].map(([k, o]) => [k, scan(o)]));
    const nonFinite = [...scans].filter(([, s]) => s.nonFinite > 0);
    v.add(`finite-${rateHz}`, `No NaN or Inf at ${rateHz} Hz`, nonFinite.length ? 'fail' : 'pass', nonFinite.map(([k, s]) => `${s.nonFinite} non-finite samples for ${k}`).join('; ') || 'all samples finite');
    const denormal = [...scans].filter(([, s]) => s.denormals > 0);
    v.add(`denormals-${rateHz}`, `No denormals at ${rateHz} Hz`, denormal.length ? 'fail' : 'pass', denormal.map(([k, s]) => `${s.denormals} denormal samples for ${k}`).join('; ') || 'none');
    // DC the plugin adds: the output's mean against the input's.
    const dc = [...scans]
      .filter(([k]) => k !== 'impulse')
      .map(([k, s]) => [k, s.mean - scan(signal(k, frames, rateHz)).mean] as const)
      .filter(([, added]) => Math.abs(added) > 1e-3);
    v.add(`dc-${rateHz}`, `No DC offset at ${rateHz} Hz`, dc.length ? 'fail' : 'pass', dc.map(([k, added]) => `adds ${added.toExponential(2)} to ${k}`).join('; ') || 'adds under 0.001 to silence, noise and sine');
    const noise = scans.get('noise')!;
    v.add(`sound-${rateHz}`, `Sound out for sound in at ${rateHz} Hz`, noise.rms > 1e-5 ? 'pass' : 'fail', noise.rms > 1e-5 ? `noise out at ${(20 * Math.log10(noise.rms)).toFixed(1)} dBFS RMS` : 'silence where noise went in');

    const again = await v.step(`repeatable-${rateHz}`, `Same output twice at ${rateHz} Hz`, () => render(ctor, signal('noise', frames, rateHz), rateHz, timeoutMs));
    if (again) {
      const diff = maxDifference(again.output, outputs.get('noise')!);
      v.add(`repeatable-${rateHz}`, `Same output twice at ${rateHz} Hz`, diff <= 1e-6 ? 'pass' : 'warn', diff <= 1e-6 ? 'two renders of the same noise are identical' : `two renders differ by up to ${diff.toExponential(2)}`);
    }

    if (reported !== undefined) {
      const maxLag = Math.min(4096, frames >> 1);
      const { lag, score } = measuredLag(signal('noise', frames, rateHz)[0], outputs.get('noise')![0], maxLag);
      // Latency often depends on the rate: ask an instance made at this rate.
      const reportedHere =
        rateHz === ratesHz[0]
          ? reported
          : await instance(ctor, new OfflineAudioContext(2, 128, rateHz), timeoutMs)
              .then((w) => reportedLatencySamples(w.audioNode, rateHz, timeoutMs))
              .catch(() => reported);
      if (score < 0.3) v.add(`latency-${rateHz}`, `Latency at ${rateHz} Hz`, 'warn', `the output does not resemble a delayed input (correlation ${score.toFixed(2)}); reported ${reportedHere} samples`);
      else v.add(`latency-${rateHz}`, `Latency at ${rateHz} Hz`, Math.abs(lag - reportedHere) <= 1 ? 'pass' : 'fail', `measured ${lag} samples, reported ${reportedHere}`);
    }
  }

  if (params.length) {
    const rateHz = ratesHz[0];
    const frames = Math.round(0.25 * rateHz);
    const input = signal('noise', frames, rateHz);
    const settle = (values: Record<string, number>) => async (n: WamNode) => {
      await n.setParameterValues(Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { id, value, normalized: true }])));
    };
    const silent = await v.step('response', 'Every parameter changes the sound', async () => {
      const deaf: string[] = [];
      // From the defaults, then from mid-range settings: some parameters only act when others do.
      const bases = [
        Object.fromEntries(params.map((p) => [p.id, (p.defaultValue - p.minValue) / (p.maxValue - p.minValue)])),
        Object.fromEntries(params.map((p) => [p.id, 0.6]))
      ];
      const references = await Promise.all(bases.map((b) => render(ctor, input, rateHz, timeoutMs, settle(b)).then((r) => r.output)));
      for (const p of params) {
        let responds = false;
        for (let b = 0; b < bases.length && !responds; b++) {
          const changed = { ...bases[b], [p.id]: bases[b][p.id] > 0.5 ? 0 : 1 };
          const r = await render(ctor, input, rateHz, timeoutMs, settle(changed));
          responds = maxDifference(r.output, references[b]) > 1e-6;
        }
        if (!responds) deaf.push(p.id);
      }
      return deaf;
    }, v.timeoutMs * (4 + 2 * params.length));
    if (silent) v.add('response', 'Every parameter changes the sound', silent.length ? 'warn' : 'pass', silent.length ? `no audible change from: ${silent.join(', ')}` : `all ${params.length} parameters`);
  }

  return report(d.identifier ?? null, d.name ?? null);
}
