/**
 * Small WAM plugins written by the tests as module source, each showing one behaviour the
 * validator and the host must handle: an instrument played by MIDI events, a plugin that applies
 * its gain from a main-thread timer, one that adds a constant offset below the old DC threshold,
 * one whose getState() returns undefined, one with a FLT_MAX range on its bypass, and one that is
 * silent until something it loads after createInstance arrives (as an impulse response would),
 * and one that passes a value on only when a main-thread poll sees it differ from the last it
 * passed, starting from 0, as the ParamMgr SDK does (a 0 set before the first poll is lost). No SDK.
 */
export type TestWamKind = 'instrument' | 'timer' | 'offset' | 'no-state' | 'absurd-range' | 'late' | 'poll';

const PROCESSOR = `
registerProcessor('test-wam', class extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.kind = options.processorOptions.kind;
    this.gain = 1;
    this.events = [];
    this.phase = 0;
    this.on = false;
    this.loaded = this.kind !== 'late';
    this.port.onmessage = (e) => {
      if (e.data.loaded) this.loaded = true;
      if (e.data.gain !== undefined) this.gain = e.data.gain;
      if (e.data.events) this.events.push(...e.data.events);
    };
  }
  process(inputs, outputs) {
    const out = outputs[0];
    const n = out[0].length;
    if (this.kind === 'instrument') {
      for (let i = 0; i < n; i++) {
        const t = currentTime + i / sampleRate;
        for (const ev of this.events.filter((x) => x.time <= t)) this.on = (ev.data.bytes[0] & 0xf0) === 0x90 && ev.data.bytes[2] > 0;
        this.events = this.events.filter((x) => x.time > t);
        this.phase += (2 * Math.PI * 440) / sampleRate;
        const x = this.on ? 0.25 * Math.sin(this.phase) : 0;
        for (const ch of out) ch[i] = x;
      }
      return true;
    }
    const input = inputs[0];
    for (let c = 0; c < out.length; c++) {
      const x = input[c] ?? input[0];
      for (let i = 0; i < n; i++) out[c][i] = this.loaded ? (x ? x[i] : 0) * this.gain + (this.kind === 'offset' ? 2e-4 : 0) : 0;
    }
    return true;
  }
});`;

export function testWamSource(kind: TestWamKind): string {
  return `
const KIND = ${JSON.stringify(kind)};
const PROCESSOR = ${JSON.stringify(PROCESSOR)};
export default class TestWam {
  static isWebAudioModuleConstructor = true;
  static async createInstance(groupId, ctx) {
    const url = URL.createObjectURL(new Blob([PROCESSOR], { type: 'text/javascript' }));
    await ctx.audioWorklet.addModule(url);
    const instrument = KIND === 'instrument';
    const node = new AudioWorkletNode(ctx, 'test-wam', { numberOfInputs: instrument ? 0 : 1, numberOfOutputs: 1, outputChannelCount: [2], processorOptions: { kind: KIND } });
    const info = instrument ? {} : { gain: { id: 'gain', label: 'Gain', type: 'float', defaultValue: 1, minValue: 0, maxValue: 1, discreteStep: 0, exponent: 0, choices: [], units: '' } };
    if (KIND === 'absurd-range') info.bypass = { id: 'bypass', label: 'bypass', type: 'float', defaultValue: 0, minValue: -3.4028234663852886e38, maxValue: 3.4028234663852886e38, discreteStep: 0, exponent: 0, choices: [], units: '' };
    const values = Object.fromEntries(Object.values(info).map((p) => [p.id, p.defaultValue]));
    const send = () => node.port.postMessage({ gain: values.gain });
    // The timer plugin applies what it is given only when its main-thread timer next runs.
    if (KIND === 'timer') setInterval(send, 40);
    let polled = 0;
    if (KIND === 'poll') setInterval(() => { if (values.gain !== polled) { polled = values.gain; send(); } }, 30);
    // The late plugin has what it fetches (an impulse response, say) 1.5 s after createInstance.
    if (KIND === 'late') setTimeout(() => node.port.postMessage({ loaded: true }), 1500);
    const apply = (data) => {
      for (const [id, v] of Object.entries(data)) {
        const p = info[id];
        if (p) values[id] = v.normalized ? p.minValue + v.value * (p.maxValue - p.minValue) : v.value;
      }
      if (KIND !== 'timer' && KIND !== 'poll') send();
    };
    Object.assign(node, {
      getParameterInfo: async () => info,
      getParameterValues: async (normalized) => Object.fromEntries(Object.values(info).map((p) => [p.id, { id: p.id, value: normalized ? (values[p.id] - p.minValue) / (p.maxValue - p.minValue) : values[p.id], normalized: !!normalized }])),
      setParameterValues: async (data) => apply(data),
      getState: async () => (KIND === 'no-state' ? undefined : { parameterValues: Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { id, value, normalized: false }])) }),
      setState: async (state) => state?.parameterValues && apply(state.parameterValues),
      getCompensationDelay: async () => 0,
      scheduleEvents: (...events) => node.port.postMessage({ events }),
      destroy: () => node.disconnect()
    });
    const descriptor = { identifier: 'test.' + KIND, name: 'Test ' + KIND, vendor: 'Lathe tests', version: '0.0.1', apiVersion: '2.0.0',
      isInstrument: instrument, hasAudioInput: !instrument, hasAudioOutput: true, hasMidiInput: instrument };
    return { descriptor, audioNode: node, groupId };
  }
}`;
}
