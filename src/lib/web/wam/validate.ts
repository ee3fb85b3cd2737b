/**
 * The WAM validator: loads a plugin, checks what it says about itself against what it does, and
 * renders test signals through it offline. Each check names what it measured and the threshold,
 * and is PASS, WARN (works, but a host or a listener will notice) or FAIL (a defect). Every step
 * has a time limit, so a broken plugin gets a failing report instead of a hung page. Used by the
 * Plugins page and `lathe validate-wam`; the README documents every check.
 */
import type { WamNode, WebAudioModule, WamParameterInfo, WamParameterDataMap } from '@webaudiomodules/api';
import { dbfs, differenceDb, maxDifference, multisine, scan, sine } from '$lib/core/analysis/plugin-checks';
import { seededRandom } from '$lib/core/audio/synth';
import { DEFAULT_TIMEOUT_MS, describe, instantiate, loadWamConstructor, withTimeout, type WamConstructor } from './host';
import { measureLatency, renderThrough, type Note, type ProbeOptions } from './probe';

export type { CheckStatus, CheckResult, PluginKind, ValidationReport } from './report';
import type { CheckStatus, CheckResult, PluginKind, ValidationReport } from './report';

export interface ValidateOptions {
  timeoutMs?: number;
  ratesHz?: number[];
}

const SDK_DEFAULT_ID = 'com.webaudiomodule.default';
/** A range beyond this is no range: ±3.4e38 is FLT_MAX, a plugin's way of saying "unbounded". */
const ABSURD_RANGE = 1e9;
/** Steady DC a plugin adds to a zero-mean signal: above it, a WARN. */
const DC_WARN = 1e-3;
/** A constant offset out of silence in: above it, a FAIL. */
const OFFSET_FAIL = 1e-5;
/** Noise out of silence in: above it, a WARN. */
const IDLE_NOISE_WARN_DBFS = -90;
/** Sound out for sound in: below it, silence. */
const SILENT_DBFS = -100;
/** How long a plugin silent in its first renders is given to load what it fetches. */
const READY_WAIT_MS = 3000;
/** When the response check changes a parameter during a render: early in its paced start, so main-thread timers run after it. */
const CHANGE_AT_SEC = 0.05;
/** A parameter change that moves the output by less than this (relative RMS) is not heard. */
const RESPONSE_DB = -80;

const NOTES: Note[] = [{ atSec: 0.2, offSec: 0.7, key: 60, velocity: 100 }];

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : x > 0 ? '∞' : '−∞');
const fmtDb = (x: number) => `${fmt(dbfs(Math.abs(x)))} dBFS`;

class Validation {
  readonly checks: CheckResult[] = [];
  /** The instrument plays notes only with the main thread running during the render. */
  mainThreadNotes = false;
  /** Wall-clock time a plugin needs after createInstance before it sounds (0 when it is ready at once). */
  settleMs = 0;
  constructor(readonly timeoutMs: number) {}

  add(id: string, label: string, status: CheckStatus, measured: string, threshold: string, detail = ''): void {
    this.checks.push({ id, label, status, measured, threshold, detail });
  }

  /** Runs a step; an exception or a timeout fails it with the reason. Returns the step's value. */
  async step<T>(id: string, label: string, run: () => Promise<T>, limitMs = this.timeoutMs * 3): Promise<T | undefined> {
    try {
      return await withTimeout(run(), limitMs, label);
    } catch (e) {
      this.add(id, label, 'fail', describe(e), 'completes without an error', '');
      return undefined;
    }
  }
}

function summarize(checks: CheckResult[]): { verdict: CheckStatus; summary: string } {
  const fails = checks.filter((c) => c.status === 'fail');
  const warns = checks.filter((c) => c.status === 'warn');
  const names = (cs: CheckResult[]) => cs.map((c) => c.label).join('; ');
  if (fails.length) return { verdict: 'fail', summary: `FAIL: ${fails.length} of ${checks.length} checks fail (${names(fails)})${warns.length ? `, ${warns.length} warn` : ''}` };
  if (warns.length) return { verdict: 'warn', summary: `WARN: works, with ${warns.length} warning${warns.length > 1 ? 's' : ''} (${names(warns)})` };
  return { verdict: 'pass', summary: `PASS: all ${checks.length} checks pass` };
}

/** Until the running context has processed `sec` more audio: values some plugins apply on their audio thread. */
async function settle(ctx: AudioContext, sec = 0.05): Promise<void> {
  const target = ctx.currentTime + sec;
  const limit = performance.now() + 2000;
  while (ctx.currentTime < target && performance.now() < limit) await new Promise((r) => setTimeout(r, 10));
}

/** A method's answer, failing with the method named when it is missing, throws or gives nothing. */
async function answer<T>(method: string, call: () => Promise<T> | T, timeoutMs: number): Promise<T> {
  let value: T;
  try {
    value = await withTimeout(Promise.resolve(call()), timeoutMs, `${method}()`);
  } catch (e) {
    throw new Error(`${method}() threw: ${describe(e)}`);
  }
  if (value === undefined || value === null) throw new Error(`${method}() returned ${value}`);
  return value;
}

/** A parameter's time in seconds, for parameters that are times (a delay, a pre-delay). */
function timeSec(p: WamParameterInfo, value: number): number {
  const units = (p.units ?? '').trim().toLowerCase();
  if (/^(s|sec|secs|seconds?)$/.test(units)) return value;
  if (/^(ms|msec|milliseconds?)$/.test(units)) return value / 1000;
  if (/delay|time/i.test(`${p.id} ${p.label}`)) return p.maxValue > 20 ? value / 1000 : value;
  return 0;
}

const denormalize = (p: WamParameterInfo, norm: number) => p.minValue + norm * (p.maxValue - p.minValue);

export async function validateWam(url: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ratesHz = options.ratesHz ?? [44_100, 96_000];
  const v = new Validation(timeoutMs);
  let identity: { identifier: string | null; name: string | null; kind: PluginKind | null } = { identifier: null, name: null, kind: null };
  const report = (): ValidationReport => ({
    url,
    ok: v.checks.every((c) => c.status !== 'fail'),
    ...summarize(v.checks),
    ...identity,
    checks: v.checks,
    durationMs: Math.round(performance.now() - started)
  });

  const ctor = await v.step('load', 'Module loads and exports a WAM', () => loadWamConstructor(url, timeoutMs));
  if (!ctor) return report();
  v.add('load', 'Module loads and exports a WAM', 'pass', 'default export has isWebAudioModuleConstructor', 'a WAM 2.0 constructor');

  // Parameters and state are checked on a running context: some plugins (ParamMgr-based ones)
  // apply values only as audio is processed, which a suspended offline context never does.
  const probe = new AudioContext({ sampleRate: ratesHz[0] });
  try {
    await probe.resume().catch(() => undefined);
    await validateWith(ctor, probe, url, v, ratesHz, timeoutMs, (i) => (identity = i));
  } finally {
    void probe.close();
  }
  return report();
}

async function validateWith(
  ctor: WamConstructor,
  probe: AudioContext,
  url: string,
  v: Validation,
  ratesHz: number[],
  timeoutMs: number,
  identify: (i: { identifier: string | null; name: string | null; kind: PluginKind | null }) => void
): Promise<void> {
  const created = await v.step('create', 'createInstance resolves', () => instantiate(ctor, url, probe, undefined, timeoutMs));
  if (!created) return;
  const wam: WebAudioModule = created.module;
  const node = wam.audioNode;
  const audio = node as unknown as AudioNode;
  // Processed (silently) so that values applied on the audio thread move.
  const sink = new GainNode(probe, { gain: 0 });
  if (audio.numberOfOutputs > 0) audio.connect(sink).connect(probe.destination);
  v.add('create', 'createInstance resolves', 'pass', 'an instance with an audio node', 'resolves within the time limit');

  const d = wam.descriptor ?? ({} as WebAudioModule['descriptor']);
  const inputs = audio.numberOfInputs;
  const outputs = audio.numberOfOutputs;
  const kind: PluginKind = outputs === 0 ? 'no audio output' : d.isInstrument || (inputs === 0 && d.hasMidiInput) ? 'instrument' : inputs === 0 ? 'generator' : 'effect';
  identify({ identifier: d.identifier || null, name: d.name || null, kind });

  const defects: string[] = [];
  const notes: string[] = [];
  if (!d.identifier) defects.push('no identifier (a host cannot save which plugin a project uses)');
  else if (d.identifier === SDK_DEFAULT_ID) notes.push(`identifier is the SDK default "${SDK_DEFAULT_ID}", which other plugins share`);
  if (!d.name) notes.push('no name');
  if (typeof d.apiVersion !== 'string' || !d.apiVersion.startsWith('2.')) notes.push(`apiVersion is ${JSON.stringify(d.apiVersion)}, not 2.x (a WAM 1 value in a WAM 2 plugin)`);
  if (d.hasAudioInput !== undefined && !!d.hasAudioInput !== inputs > 0) notes.push(`hasAudioInput is ${d.hasAudioInput} but the node has ${inputs} input${inputs === 1 ? '' : 's'}`);
  if (d.hasAudioOutput !== undefined && !!d.hasAudioOutput !== outputs > 0) defects.push(`hasAudioOutput is ${d.hasAudioOutput} but the node has ${outputs} outputs`);
  v.add(
    'descriptor',
    'Descriptor',
    defects.length ? 'fail' : notes.length ? 'warn' : 'pass',
    `${d.identifier || 'no identifier'} ${d.version ?? ''} (API ${d.apiVersion ?? '?'}); a${kind === 'effect' || kind === 'instrument' ? 'n' : ''} ${kind}, ${inputs} in, ${outputs} out`,
    'an identifier of its own, apiVersion 2.x, inputs and outputs as declared',
    [...defects, ...notes].join('; ')
  );

  const infos = await v.step('parameters', 'Parameter info', () => answer('getParameterInfo', () => node.getParameterInfo(), timeoutMs));
  const params: WamParameterInfo[] = infos ? Object.values(infos) : [];
  if (infos) checkParameterInfo(v, params);
  const sane = params.filter((p) => Number.isFinite(p.minValue) && Number.isFinite(p.maxValue) && p.minValue < p.maxValue && Math.max(Math.abs(p.minValue), Math.abs(p.maxValue)) < ABSURD_RANGE);

  if (sane.length) {
    const wrong = await v.step('normalization', 'Normalize/denormalize round trip', async () => {
      const out: string[] = [];
      for (const norm of [0, 0.5, 1]) {
        await node.setParameterValues(Object.fromEntries(sane.map((p) => [p.id, { id: p.id, value: norm, normalized: true }])));
        await settle(probe);
        const plain = await answer('getParameterValues', () => node.getParameterValues(false), timeoutMs);
        const back = await answer('getParameterValues', () => node.getParameterValues(true), timeoutMs);
        for (const p of sane) {
          const x = plain[p.id]?.value;
          const n = back[p.id]?.value;
          if (!(x >= p.minValue - 1e-6 * (p.maxValue - p.minValue) && x <= p.maxValue + 1e-6 * (p.maxValue - p.minValue))) out.push(`${p.id}: normalized ${norm} gave ${x}, outside ${p.minValue}…${p.maxValue}`);
          else if (p.type === 'float' && !(Math.abs(n - norm) <= 1e-3)) out.push(`${p.id}: normalized ${norm} came back as ${n}`);
        }
      }
      await node.setParameterValues(Object.fromEntries(sane.map((p) => [p.id, { id: p.id, value: p.defaultValue, normalized: false }])));
      await settle(probe);
      return out;
    });
    if (wrong) v.add('normalization', 'Normalize/denormalize round trip', wrong.length ? 'fail' : 'pass', wrong.length ? wrong.slice(0, 4).join('; ') : `${sane.length} parameters at 0, 0.5 and 1`, 'the value stays in range; a float comes back within 0.001');
  }

  const stateTrip = await v.step('state', 'getState/setState round trip', async () => {
    const before = await answer('getState', () => node.getState(), timeoutMs);
    const valuesBefore = sane.length ? await answer('getParameterValues', () => node.getParameterValues(false), timeoutMs) : ({} as WamParameterDataMap);
    if (sane.length) {
      await node.setParameterValues(Object.fromEntries(sane.map((p) => [p.id, { id: p.id, value: Math.abs(valuesBefore[p.id]?.value - denormalize(p, 0.3)) < 1e-9 ? 0.7 : 0.3, normalized: true }])));
      await settle(probe);
    }
    try {
      await withTimeout(Promise.resolve(node.setState(before)), timeoutMs, 'setState()');
    } catch (e) {
      throw new Error(`setState() with what getState() gave threw: ${describe(e)}`);
    }
    await settle(probe);
    const after = sane.length ? await answer('getParameterValues', () => node.getParameterValues(false), timeoutMs) : ({} as WamParameterDataMap);
    return sane
      .filter((p) => !(Math.abs((after[p.id]?.value ?? NaN) - (valuesBefore[p.id]?.value ?? NaN)) <= Math.max(1e-6, 1e-5 * (p.maxValue - p.minValue))))
      .map((p) => `${p.id} ${valuesBefore[p.id]?.value} came back as ${after[p.id]?.value}`);
  });
  if (stateTrip) v.add('state', 'getState/setState round trip', stateTrip.length ? 'fail' : 'pass', stateTrip.length ? `not restored: ${stateTrip.slice(0, 4).join('; ')}` : `a saved state restores ${sane.length} parameters`, 'every parameter back within 1e-5 of its range');

  // Only an answer that is no number is reported here; the latency checks compare the figure.
  await v.step('latency-reported', 'Reported latency', async () => {
    const r = await withTimeout(Promise.resolve(node.getCompensationDelay()), timeoutMs, 'getCompensationDelay()');
    if (r === undefined || r === null || !Number.isFinite(Number(r))) v.add('latency-reported', 'Reported latency', 'warn', `getCompensationDelay() returned ${r}`, 'a number of samples', 'read as 0');
  });
  audio.disconnect();
  node.destroy?.();

  if (kind === 'no audio output') {
    v.add('audio', 'Audio checks', 'pass', 'no audio output', 'renders apply only to plugins with an audio output', 'MIDI, control or video plugin: not rendered');
    return;
  }
  for (const rateHz of ratesHz) await checkRenders(v, ctor, url, kind, rateHz, timeoutMs);
  if (sane.length) await checkResponse(v, ctor, url, kind, sane, ratesHz[0], timeoutMs);
}

function checkParameterInfo(v: Validation, params: WamParameterInfo[]): void {
  const bad: string[] = [];
  const absurd: string[] = [];
  for (const p of params) {
    const span = `${p.minValue}…${p.maxValue}`;
    if (!(Number.isFinite(p.minValue) && Number.isFinite(p.maxValue) && p.minValue < p.maxValue)) bad.push(`${p.id}: range ${span}`);
    else if (Math.max(Math.abs(p.minValue), Math.abs(p.maxValue)) >= ABSURD_RANGE) absurd.push(`${p.id}: range ${p.minValue.toExponential(2)}…${p.maxValue.toExponential(2)}`);
    else if (!(p.defaultValue >= p.minValue && p.defaultValue <= p.maxValue)) bad.push(`${p.id}: default ${p.defaultValue} outside ${span}`);
  }
  v.add(
    'parameters',
    'Parameter info',
    bad.length ? 'fail' : absurd.length ? 'warn' : 'pass',
    [...bad, ...absurd].slice(0, 4).join('; ') || `${params.length} parameters, defaults inside their ranges`,
    `finite ranges within ±${ABSURD_RANGE.toExponential(0)}, defaults inside`,
    absurd.length ? `a range that wide is no range: a host cannot draw, normalize or automate ${absurd.length > 1 ? 'these' : 'it'} (not checked further)` : ''
  );
}

async function checkRenders(v: Validation, ctor: WamConstructor, url: string, kind: PluginKind, rateHz: number, timeoutMs: number): Promise<void> {
  const at = ` at ${rateHz} Hz`;
  const sec = (s: number) => Math.round(s * rateHz);
  const probeOptions: ProbeOptions = { timeoutMs };
  const driven = kind === 'effect';
  // The multisine repeats every second with a mean of exactly zero: DC is read over its last whole second.
  const stimulus = driven ? multisine(sec(3), rateHz) : null;
  // An effect hears one sequence on one instance: silence (2 s), the multisine (3 s), a 1 kHz
  // sine (1 s), an impulse (1 s); each check reads its own segment. Instruments: silence, a note.
  const sequence = driven ? concat([new Float32Array(sec(2)), stimulus!, sine(sec(1), rateHz), impulse(sec(1))]) : null;
  const renders = await v.step(`render-${rateHz}`, `Renders${at}`, async () => {
    if (sequence) {
      const whole = await renderThrough(ctor, url, [sequence, sequence], sequence.length, rateHz, probeOptions);
      if (whole.threw) throw new Error('the processor threw while rendering');
      const view = (a: number, b: number) => ({ output: whole.output.map((c) => c.subarray(sec(a), sec(b))) });
      return { whole, segments: { silence: view(0, 2), signal: view(2, 5), sine: view(5, 6), impulse: view(6, 7) } };
    }
    const silence = await renderThrough(ctor, url, null, sec(2), rateHz, probeOptions);
    const signal = await renderThrough(ctor, url, null, sec(3), rateHz, { ...probeOptions, notes: NOTES });
    const threw = [silence, signal].some((x) => x.threw);
    if (threw) throw new Error('the processor threw while rendering');
    return { whole: null, segments: { silence, signal } };
  });
  if (!renders) return;
  v.add(`render-${rateHz}`, `Renders${at}`, 'pass', driven ? 'silence 2 s, multisine 3 s, 1 kHz sine 1 s, impulse 1 s, in sequence' : 'silence 2 s, a note 3 s', 'completes; the processor does not throw');

  const all = Object.entries(renders.segments) as [string, { output: Float32Array[] }][];
  const nonFinite = all.map(([k, r]) => [k, scan(r.output).nonFinite] as const).filter(([, n]) => n > 0);
  v.add(`finite-${rateHz}`, `No NaN or Inf${at}`, nonFinite.length ? 'fail' : 'pass', nonFinite.map(([k, n]) => `${n} non-finite samples for ${k}`).join('; ') || 'all samples finite', '0 non-finite samples');
  const denormal = all.map(([k, r]) => [k, scan(r.output).denormals] as const).filter(([, n]) => n > 0);
  v.add(`denormals-${rateHz}`, `No denormals${at}`, denormal.length ? 'warn' : 'pass', denormal.map(([k, n]) => `${n} denormal samples for ${k}`).join('; ') || 'none', '0 denormal samples (they cost CPU in the next plugin)');

  // A second instance renders the same sequence: the same output, or the plugin varies (and
  // when only the first was silent, it was not ready when createInstance resolved).
  const again = driven ? await v.step(`repeatable-${rateHz}`, `Same output twice${at}`, () => renderThrough(ctor, url, [sequence!, sequence!], sequence!.length, rateHz, probeOptions)) : undefined;
  // A plugin that fetches parts of itself after createInstance (an impulse response) can still
  // be silent in both renders on a busy machine, or sound different in each: give a third
  // instance wall-clock time first, to tell a late loader from random processing.
  const silentAt = (r: { output: Float32Array[] } | undefined, from: number) => {
    const s = r && scan(r.output, sec(from), sec(from + 3));
    return !s || (s.nonFinite === 0 && dbfs(s.rms) <= SILENT_DBFS);
  };
  const differ = driven && again ? maxDifference(again.output, renders.whole!.output) : 0;
  const settled =
    driven && ((silentAt(renders.segments.signal, 0) && silentAt(again, 2)) || differ > 1e-6)
      ? await v.step(`ready-${rateHz}`, `Sound once loaded${at}`, () => renderThrough(ctor, url, [sequence!, sequence!], sequence!.length, rateHz, { ...probeOptions, settleMs: READY_WAIT_MS }))
      : undefined;
  const later = settled ?? again;

  // Silence in (or no notes): a constant offset is a defect; idle noise is worth knowing. Read
  // on every render, the worst counts: a plugin that loads parts of itself late (an impulse
  // response) shows its offset only once they are there.
  const idles = [scan(renders.segments.silence.output, sec(1)), ...[again, settled].filter((r) => r !== undefined).map((r) => scan(r.output, sec(1), sec(2)))];
  const idle = idles.reduce((a, b) => (Math.abs(b.mean) > Math.abs(a.mean) || (Math.abs(b.mean) === Math.abs(a.mean) && b.rms > a.rms) ? b : a));
  const offsetFail = Math.abs(idle.mean) > OFFSET_FAIL;
  const noisy = dbfs(idle.rms) > IDLE_NOISE_WARN_DBFS;
  v.add(
    `silence-${rateHz}`,
    `Silence out for ${driven ? 'silence in' : 'no notes'}${at}`,
    offsetFail ? 'fail' : noisy ? 'warn' : 'pass',
    `offset ${idle.mean.toExponential(1)} (${fmtDb(idle.mean)}), ${fmt(dbfs(idle.rms))} dBFS RMS over the last second`,
    `offset under ${OFFSET_FAIL.toExponential(0)} (−100 dBFS); RMS under ${IDLE_NOISE_WARN_DBFS} dBFS`,
    offsetFail ? 'a constant offset with nothing going in' : noisy ? 'it makes sound with nothing going in' : ''
  );

  const signal = renders.segments.signal.output;
  if (driven) {
    const firstDb = dbfs(scan(signal).rms);
    const laterDb = later ? dbfs(scan(later.output, sec(2), sec(5)).rms) : firstDb;
    // Not ready: silent at first, or different at first while the later renders agree.
    const loadsLate = !!settled && !!again && differ > 1e-6 && maxDifference(settled.output, again.output) <= 1e-6;
    const notReady = (!(firstDb > SILENT_DBFS) && laterDb > SILENT_DBFS) || loadsLate;
    if (notReady && settled) v.settleMs = READY_WAIT_MS;
    const heardDb = Math.max(firstDb, laterDb);
    v.add(`sound-${rateHz}`, `Sound out for sound in${at}`, heardDb > SILENT_DBFS ? 'pass' : 'fail', `${fmt(heardDb)} dBFS RMS out for −18 dBFS RMS in`, `above ${SILENT_DBFS} dBFS`, heardDb > SILENT_DBFS ? '' : 'silence where a signal went in');
    // Measured on a render that heard the signal (the later one when the first was not ready).
    const heard = notReady ? later!.output.map((c) => c.subarray(sec(2), sec(5))) : signal;
    const steady = scan(heard, sec(2));
    // Less the plugin's own offset for silence, read on the same render.
    const ownIdle = notReady ? scan(later!.output, sec(1), sec(2)) : scan(renders.segments.silence.output, sec(1));
    const added = steady.mean - ownIdle.mean;
    v.add(
      `dc-${rateHz}`,
      `No DC added${at}`,
      Math.abs(added) > DC_WARN ? 'warn' : 'pass',
      `adds ${added.toExponential(1)} (${fmtDb(added)}) to a zero-mean multisine (40 Hz–18 kHz, last whole second)`,
      `under ${DC_WARN.toExponential(0)} (−60 dBFS)`,
      Math.abs(added) > DC_WARN ? 'asymmetric processing shifts the signal: it costs headroom and thumps at edits' : ''
    );
    if (later) {
      const diff = Math.max(differ, maxDifference(later.output, renders.whole!.output));
      const first = loadsLate ? 'differed from later ones, which agree' : `was silent and ${settled ? `one ${READY_WAIT_MS / 1000} s after it` : 'a later one'} was not`;
      const why = notReady
        ? `the first render after createInstance ${first}: the plugin is not ready when createInstance resolves (it loads something afterwards)`
        : 'random or time-dependent processing (or something loaded after createInstance and applied as it arrives): renders of the same input are not identical';
      v.add(`repeatable-${rateHz}`, `Same output twice${at}`, diff <= 1e-6 ? 'pass' : 'warn', `renders differ by up to ${diff.toExponential(1)}`, 'under 1e-6', diff <= 1e-6 ? '' : why);
    }

    const lat = await v.step(`latency-${rateHz}`, `Latency${at}`, () => measureLatency(ctor, url, rateHz, timeoutMs, stimulus!, heard[0]));
    if (lat) {
      const label = `Latency${at}`;
      if (lat.measuredSamples === null) {
        v.add(`latency-${rateHz}`, label, 'pass', `not measurable (the output correlates ${lat.correlation.toFixed(2)} with a delayed input); reported ${lat.reportedSamples} samples`, 'measured within 1 sample of reported, where measurable');
      } else {
        const off = Math.abs(lat.measuredSamples - lat.reportedSamples) > 1;
        v.add(
          `latency-${rateHz}`,
          label,
          off ? 'warn' : 'pass',
          `measured ${lat.measuredSamples} samples (correlation ${lat.correlation.toFixed(2)}), reported ${lat.reportedSamples}`,
          'within 1 sample',
          off ? `a host that compensates the reported figure shifts this plugin's audio by ${lat.reportedSamples - lat.measuredSamples} samples; Lathe offers the measured figure per slot` : ''
        );
      }
    }
  } else {
    // An instrument: a note must sound, and stop after its note-off. Some handle MIDI on the main
    // thread (building Web Audio nodes per note): heard live, silent in a straight offline render.
    let played = signal;
    let mainThread = false;
    if (!(dbfs(scan(played, sec(0.25), sec(0.7)).rms) > SILENT_DBFS)) {
      const paced = await v.step(`notes-${rateHz}`, `A note sounds and stops${at}`, () => renderThrough(ctor, url, null, sec(3), rateHz, { ...probeOptions, notes: NOTES, paced: true }));
      if (!paced) return;
      mainThread = dbfs(scan(paced.output, sec(0.25), sec(0.7)).rms) > SILENT_DBFS;
      v.mainThreadNotes ||= mainThread;
      if (mainThread) played = paced.output;
    }
    const during = scan(played, sec(0.25), sec(0.7));
    const tail = scan(played, sec(2.5));
    const sounds = dbfs(during.rms) > SILENT_DBFS;
    const stops = dbfs(tail.rms) < Math.max(SILENT_DBFS, dbfs(during.rms) - 60);
    v.add(
      `notes-${rateHz}`,
      `A note sounds and stops${at}`,
      !sounds ? 'fail' : stops && !mainThread ? 'pass' : 'warn',
      `${fmt(dbfs(during.rms))} dBFS RMS during the note (0.2–0.7 s), ${fmt(dbfs(tail.rms))} dBFS 1.8 s after its note-off${mainThread ? ' (with the main thread running during the render)' : ''}`,
      'sound during the note; 60 dB quieter after',
      [
        !sounds ? 'no sound for a MIDI note-on (wam-midi event, key 60, velocity 100), in a straight or a paced render' : '',
        mainThread ? 'the note sounds only while the main thread runs during the render (MIDI handled on the main thread): straight offline renders of it are silent' : '',
        sounds && !stops ? 'still sounding long after the note-off' : ''
      ]
        .filter(Boolean)
        .join('; ')
    );
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function impulse(frames: number): Float32Array {
  const x = new Float32Array(frames);
  x[0] = 0.5;
  return x;
}

async function checkResponse(v: Validation, ctor: WamConstructor, url: string, kind: PluginKind, params: WamParameterInfo[], rateHz: number, timeoutMs: number): Promise<void> {
  const driven = kind === 'effect';
  const setTo = (values: Record<string, number>) => async (n: WamNode) => {
    await n.setParameterValues(Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { id, value, normalized: true }])));
  };
  const result = await v.step(
    'response',
    'Every parameter changes the sound',
    async () => {
      const deaf: string[] = [];
      const mainThreadOnly: string[] = [];
      const whileRunning: string[] = [];
      const quiet: WamParameterInfo[] = [];
      // From the defaults, from mid-range and from seeded random settings: some parameters act only
      // when others differ (an LFO rate is silent while the sweep's two ends are equal).
      const rand = seededRandom(5);
      const bases = [
        Object.fromEntries(params.map((p) => [p.id, (p.defaultValue - p.minValue) / (p.maxValue - p.minValue)])),
        Object.fromEntries(params.map((p) => [p.id, 0.6])),
        Object.fromEntries(params.map((p) => [p.id, 0.2 + 0.6 * rand()]))
      ];
      // Long enough for every time parameter to act twice at its base settings (a delay's echo and
      // its feedback): a change from there is heard by the earlier of the two times.
      const longest = Math.max(0, ...params.map((p) => Math.max(timeSec(p, p.defaultValue), timeSec(p, denormalize(p, 0.6)))));
      const seconds = Math.min(8, Math.max(1, 0.5 + 2 * longest));
      const frames = Math.round(seconds * rateHz);
      const x = driven ? multisine(frames, rateHz, { seed: 11 }) : null;
      const input = x && [x, x];
      const notes = driven ? [] : NOTES;
      // An instrument that plays only with the main thread running is judged that way throughout.
      const render = (values: Record<string, number>, paced = v.mainThreadNotes) =>
        renderThrough(ctor, url, input, frames, rateHz, { timeoutMs, notes, paced, settleMs: v.settleMs, setup: setTo(values) }).then((r) => r.output);
      const references: Float32Array[][] = [];
      for (const b of bases) references.push(await render(b));
      let paced: Float32Array[] | undefined;
      const pacedReference = async () => (paced ??= await render(bases[0], true));
      for (const p of params) {
        let responds = false;
        for (let b = 0; b < bases.length && !responds; b++) {
          const changed = { ...bases[b], [p.id]: bases[b][p.id] > 0.5 ? 0 : 1 };
          responds = differenceDb(await render(changed), references[b]) > RESPONSE_DB;
        }
        if (responds) continue;
        if (v.mainThreadNotes) {
          deaf.push(p.id);
          continue;
        }
        // Heard when the main thread runs during the render (as live)? Then a timer applies it.
        const changed = { ...bases[0], [p.id]: bases[0][p.id] > 0.5 ? 0 : 1 };
        if (differenceDb(await render(changed, true), await pacedReference()) > RESPONSE_DB) mainThreadOnly.push(p.id);
        else quiet.push(p);
      }
      // Heard when changed while audio runs, but not when set before? Then a value restored with
      // a project (set at creation) is lost. All the quiet ones at once first: mostly none is.
      if (quiet.length) {
        const reference = await pacedReference();
        const from = Math.round((CHANGE_AT_SEC + 0.25) * rateHz);
        const changedLate = async (ps: WamParameterInfo[]) => {
          const changed = { ...bases[0], ...Object.fromEntries(ps.map((p) => [p.id, bases[0][p.id] > 0.5 ? 0 : 1])) };
          const late = await renderThrough(ctor, url, input, frames, rateHz, { timeoutMs, notes, settleMs: v.settleMs, setup: setTo(bases[0]), change: { afterSec: CHANGE_AT_SEC, apply: setTo(changed) } });
          return differenceDb(late.output, reference, from) > RESPONSE_DB;
        };
        if (!(await changedLate(quiet))) deaf.push(...quiet.map((p) => p.id));
        else for (const p of quiet) (quiet.length === 1 || (await changedLate([p])) ? whileRunning : deaf).push(p.id);
      }
      return { deaf, mainThreadOnly, whileRunning, seconds };
    },
    v.timeoutMs * (6 + 4 * params.length)
  );
  if (!result) return;
  const { deaf, mainThreadOnly, whileRunning, seconds } = result;
  const heard = params.length - deaf.length - mainThreadOnly.length - whileRunning.length;
  const details = [
    mainThreadOnly.length ? `changes the sound live but not in a straight offline render (applied from a main-thread timer, so other hosts' renders miss it): ${mainThreadOnly.join(', ')}` : '',
    whileRunning.length ? `changes the sound only when changed while audio runs; set before (as a host restores a saved state) it is not applied: ${whileRunning.join(', ')}` : '',
    deaf.length ? `no audible change from: ${deaf.join(', ')}` : ''
  ].filter(Boolean);
  v.add(
    'response',
    'Every parameter changes the sound',
    details.length ? 'warn' : 'pass',
    `${heard} of ${params.length} parameters change a ${fmt(seconds)} s render`,
    `each, set to its other extreme from the defaults, mid-range or seeded random settings, moves the output by more than ${RESPONSE_DB} dB`,
    details.join('; ')
  );
}
