/**
 * A first-party WAM 2.0 module: the SDK's WebAudioModule and WamNode around the processor in
 * worklets/plugin.worklet.ts, which runs the plugin's core/dsp kernel. Any WAM host can load it.
 */
import { WebAudioModule, WamNode, addFunctionModule } from '@webaudiomodules/sdk';
import type { WamDescriptor } from '@webaudiomodules/api';
import processorUrl from '../worklets/plugin.worklet.ts?worker&url';
import type { PluginInfo } from '../src/lib/core/dsp/params';
import { createLatheGui, destroyLatheGui } from './gui/index';

export const LATHE_VERSION = '1.0.0';

export function latheDescriptor(info: PluginInfo): WamDescriptor {
  return {
    identifier: info.id,
    name: info.name,
    vendor: 'Lathe',
    description: `${info.name}: a first-party Lathe mastering plugin`,
    version: LATHE_VERSION,
    apiVersion: '2.0.0',
    thumbnail: '',
    keywords: ['mastering', 'lathe'],
    isInstrument: false,
    website: '',
    hasAudioInput: true,
    hasAudioOutput: true,
    hasAutomationInput: true,
    hasAutomationOutput: false,
    hasMidiInput: false,
    hasMidiOutput: false,
    hasMpeInput: false,
    hasMpeOutput: false,
    hasOscInput: false,
    hasOscOutput: false,
    hasSysexInput: false,
    hasSysexOutput: false
  };
}

/** Resolved against this module, so the plugin also works when another origin's host loads it. */
const processorAddress = new URL(processorUrl, import.meta.url).href;

export function createLatheWam(info: PluginInfo) {
  return class LatheWam extends WebAudioModule<WamNode> {
    constructor(groupId: string, audioContext: BaseAudioContext) {
      super(groupId, audioContext);
      Object.assign(this._descriptor, latheDescriptor(info));
    }

    async createAudioNode(initialState?: unknown): Promise<WamNode> {
      await WamNode.addModules(this.audioContext, this.moduleId);
      await this.audioContext.audioWorklet.addModule(processorAddress);
      await addFunctionModule(this.audioContext.audioWorklet, (id: string) => (globalThis as unknown as { latheRegisterWam(id: string): void }).latheRegisterWam(id), this.moduleId);
      const node = new WamNode(this, {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        outputChannelCount: [2],
        channelCount: 2,
        channelCountMode: 'explicit',
        channelInterpretation: 'speakers'
      });
      await node._initialize();
      if (initialState) await node.setState(initialState);
      return node;
    }

    async initialize(state?: unknown): Promise<this> {
      this.audioNode = await this.createAudioNode(state);
      this.initialized = true;
      return this;
    }

    async createGui(): Promise<HTMLElement> {
      return createLatheGui(info, this.audioNode);
    }

    destroyGui(gui: Element): void {
      destroyLatheGui(gui);
    }
  };
}
