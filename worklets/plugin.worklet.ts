/**
 * The audio-thread half of a first-party WAM plugin: a WamProcessor (from the SDK, set up in this
 * scope by WamNode.addModules) around the same core/dsp kernel the render worker and the CLI run.
 * This module is evaluated once per AudioWorklet; it installs `latheRegisterWam(id)`, which each
 * plugin calls (through a one-line function module) to register its own processor.
 */
import { FIRST_PARTY, firstPartyKernel } from '../src/lib/core/dsp/plugins';
import type { ChainKernel } from '../src/lib/core/dsp/kernel';
import type { PluginInfo } from '../src/lib/core/dsp/params';

declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: unknown): void;

interface WamParameterState {
  value: number;
}
interface ModuleScope {
  WamProcessor: new (options: unknown) => WamProcessorBase;
  WamParameterInfo: new (id: string, config: Record<string, unknown>) => unknown;
}
interface WamProcessorBase {
  _parameterState: Record<string, WamParameterState>;
  _compensationDelay: number;
}

type Scope = { webAudioModules?: { getModuleScope(id: string): ModuleScope }; latheRegisterWam?: (id: string) => void };
const registered = new Set<string>();

const CHANNELS = 2;
const QUANTUM = 128;

function parameterInfo(plugin: PluginInfo, scope: ModuleScope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of plugin.params) {
    out[p.id] = new scope.WamParameterInfo(p.id, {
      type: p.choices ? 'choice' : 'float',
      label: p.label,
      defaultValue: p.default,
      minValue: p.min,
      maxValue: p.max,
      units: p.unit,
      ...(p.choices ? { choices: p.choices } : {})
    });
  }
  return out;
}

function register(moduleId: string): void {
  if (registered.has(moduleId)) return;
  const info = FIRST_PARTY.find((p) => p.id === moduleId);
  const scope = (globalThis as Scope).webAudioModules?.getModuleScope(moduleId);
  if (!info) throw new Error(`plugin.worklet: no first-party plugin "${moduleId}"`);
  if (!scope?.WamProcessor) throw new Error(`plugin.worklet: the WAM SDK is not set up for "${moduleId}" (call WamNode.addModules first)`);
  const plugin: PluginInfo = info;
  const sdk: ModuleScope = scope;

  class LatheProcessor extends sdk.WamProcessor {
    private readonly plugin = plugin;
    private readonly kernel: ChainKernel;
    private readonly applied: Record<string, number> = {};
    private readonly ids: string[];
    private readonly inScratch = Array.from({ length: CHANNELS }, () => new Float32Array(QUANTUM));
    private readonly outScratch = Array.from({ length: CHANNELS }, () => new Float32Array(QUANTUM));

    constructor(options: unknown) {
      super(options);
      this.ids = this.plugin.params.map((p) => p.id);
      for (const p of this.plugin.params) this.applied[p.id] = p.default;
      this.kernel = firstPartyKernel(this.plugin.id, this.applied, sampleRate, CHANNELS)!;
      this._compensationDelay = this.kernel.latencySamples;
    }

    private sinceMeter = 0;

    /** Dynamics plugins tell their GUI the gain reduction, about 40 times a second. */
    private meter(n: number): void {
      const reductionDb = this.kernel.reductionDb;
      if (reductionDb === undefined) return;
      this.sinceMeter += n;
      if (this.sinceMeter < sampleRate / 40) return;
      this.sinceMeter = 0;
      (this as unknown as AudioWorkletProcessor).port.postMessage({ latheMeter: { reductionDb } });
    }

    _generateWamParameterInfo(): Record<string, unknown> {
      return parameterInfo(this.plugin, sdk);
    }

    /** Applies parameters only when one changed: kernels redesign their filters on setParams. */
    private syncParams(): void {
      const state = this._parameterState;
      let changed = false;
      for (const id of this.ids) {
        const v = state[id]?.value;
        if (v !== undefined && v !== this.applied[id]) {
          this.applied[id] = v;
          changed = true;
        }
      }
      if (!changed) return;
      this.kernel.setParams(this.applied);
      // Linear phase changes the latency.
      this._compensationDelay = this.kernel.latencySamples;
    }

    /** Asked between renders too, so parameters set since the last block count. */
    getCompensationDelay(): number {
      this.syncParams();
      return this._compensationDelay;
    }

    _process(startSample: number, endSample: number, inputs: Float32Array[][], outputs: Float32Array[][]): void {
      this.syncParams();
      const n = endSample - startSample;
      const input = inputs[0] ?? [];
      const output = outputs[0];
      if (!output || n <= 0) return;
      for (let ch = 0; ch < CHANNELS; ch++) {
        const src = input[ch] ?? input[0];
        const dst = this.inScratch[ch];
        if (src) for (let i = 0; i < n; i++) dst[i] = src[startSample + i];
        else dst.fill(0, 0, n);
      }
      this.kernel.process(this.inScratch, this.outScratch, n);
      this.meter(n);
      for (let ch = 0; ch < output.length; ch++) {
        const src = this.outScratch[Math.min(ch, CHANNELS - 1)];
        const dst = output[ch];
        for (let i = 0; i < n; i++) dst[startSample + i] = src[i];
      }
    }
  }

  registerProcessor(moduleId, LatheProcessor);
  registered.add(moduleId);
}

(globalThis as Scope).latheRegisterWam = register;
