/**
 * Binaural monitoring: the monitor layout's render as virtual speakers, encoded to second-order
 * ambisonics (core) and decoded for headphones by omnitone's HRIR convolver with the SH-HRIRs it
 * ships (Google, Apache-2.0), taken from the installed package at build time.
 */
import Omnitone from 'omnitone/build/omnitone.esm.js';
import hrirs from 'virtual:omnitone-hrirs';
import { AMBISONIC_CHANNELS, AMBISONIC_ORDER } from '$lib/core/spatial/ambisonics';

export interface Binaural {
  /** Takes AMBISONIC_CHANNELS channels (ACN, SN3D). */
  input: AudioNode;
  output: AudioNode;
}

function base64Bytes(text: string): ArrayBuffer {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

export async function createBinaural(context: BaseAudioContext): Promise<Binaural> {
  const buffers = await Promise.all(hrirs.map((h) => context.decodeAudioData(base64Bytes(h))));
  const convolver = Omnitone.createHOAConvolver(context, AMBISONIC_ORDER, buffers);
  const input = context.createGain();
  input.channelCount = AMBISONIC_CHANNELS;
  input.channelCountMode = 'explicit';
  input.channelInterpretation = 'discrete';
  input.connect(convolver.input);
  return { input, output: convolver.output };
}
