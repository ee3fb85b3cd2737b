/**
 * Deliberately broken WAM plugins, written by the tests as module source: one throws in its
 * constructor, one never resolves createInstance, one outputs NaN. No SDK: each is the least a
 * module needs to look like a WAM until it fails.
 */
export type BrokenKind = 'throws' | 'hangs' | 'nan';

const DESCRIPTOR = `{ identifier: 'test.broken', name: 'Broken', vendor: 'Lathe tests', version: '0.0.1', apiVersion: '2.0.0',
  hasAudioInput: true, hasAudioOutput: true }`;

const NAN_PROCESSOR = `registerProcessor('test-nan', class extends AudioWorkletProcessor {
  process(inputs, outputs) { for (const ch of outputs[0]) ch.fill(NaN); return true; }
});`;

export function brokenWamSource(kind: BrokenKind): string {
  if (kind === 'throws') {
    return `export default class Throws {
  static isWebAudioModuleConstructor = true;
  static async createInstance(groupId, ctx) { return new Throws(groupId, ctx); }
  constructor() { throw new Error('this plugin throws in its constructor'); }
}`;
  }
  if (kind === 'hangs') {
    return `export default class Hangs {
  static isWebAudioModuleConstructor = true;
  static createInstance() { return new Promise(() => {}); }
}`;
  }
  return `export default class Nan {
  static isWebAudioModuleConstructor = true;
  static async createInstance(groupId, ctx) {
    const url = URL.createObjectURL(new Blob([${JSON.stringify(NAN_PROCESSOR)}], { type: 'text/javascript' }));
    await ctx.audioWorklet.addModule(url);
    const node = new AudioWorkletNode(ctx, 'test-nan', { outputChannelCount: [2] });
    Object.assign(node, {
      getParameterInfo: async () => ({}),
      getParameterValues: async () => ({}),
      setParameterValues: async () => {},
      getState: async () => ({}),
      setState: async () => {},
      getCompensationDelay: async () => 0,
      destroy: () => node.disconnect()
    });
    return { descriptor: ${DESCRIPTOR}, audioNode: node, groupId };
  }
}`;
}
