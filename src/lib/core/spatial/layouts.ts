/**
 * Loudspeaker layouts of ITU-R BS.2051 as the allocentric panner of BS.2127 sees them: each
 * speaker at a corner, edge or face of the room cube (x -1 left .. +1 right, y -1 back .. +1
 * front, z 0 ear level .. 1 ceiling), in the channel order files carry them (SMPTE / ITU order).
 */
import { LatheError } from '../errors';

export interface Speaker {
  /** The short name (L, R, C, LFE, Ls...). */
  label: string;
  /** BS.2051 name (M+030, U-135, LFE1...), as ADM's DirectSpeakers carry it. */
  bs2051: string;
  x: number;
  y: number;
  z: number;
  lfe?: boolean;
}

export type LayoutId = '2.0' | '5.1' | '5.1.2' | '5.1.4' | '7.1' | '7.1.2' | '7.1.4';

export interface Layout {
  id: LayoutId;
  /** BS.2051 system name (0+5+0...). */
  system: string;
  speakers: Speaker[];
}

const L: Speaker = { label: 'L', bs2051: 'M+030', x: -1, y: 1, z: 0 };
const R: Speaker = { label: 'R', bs2051: 'M-030', x: 1, y: 1, z: 0 };
const C: Speaker = { label: 'C', bs2051: 'M+000', x: 0, y: 1, z: 0 };
const LFE: Speaker = { label: 'LFE', bs2051: 'LFE1', x: 0, y: 1, z: 0, lfe: true };
// In 5.1 the surrounds are the back corners of the cube (BS.2127's allocentric positions).
const LS5: Speaker = { label: 'Ls', bs2051: 'M+110', x: -1, y: -1, z: 0 };
const RS5: Speaker = { label: 'Rs', bs2051: 'M-110', x: 1, y: -1, z: 0 };
const LSS: Speaker = { label: 'Lss', bs2051: 'M+090', x: -1, y: 0, z: 0 };
const RSS: Speaker = { label: 'Rss', bs2051: 'M-090', x: 1, y: 0, z: 0 };
const LRS: Speaker = { label: 'Lrs', bs2051: 'M+135', x: -1, y: -1, z: 0 };
const RRS: Speaker = { label: 'Rrs', bs2051: 'M-135', x: 1, y: -1, z: 0 };
const LTF: Speaker = { label: 'Ltf', bs2051: 'U+045', x: -1, y: 1, z: 1 };
const RTF: Speaker = { label: 'Rtf', bs2051: 'U-045', x: 1, y: 1, z: 1 };
const LTR: Speaker = { label: 'Ltr', bs2051: 'U+135', x: -1, y: -1, z: 1 };
const RTR: Speaker = { label: 'Rtr', bs2051: 'U-135', x: 1, y: -1, z: 1 };
const LTM: Speaker = { label: 'Ltm', bs2051: 'U+090', x: -1, y: 0, z: 1 };
const RTM: Speaker = { label: 'Rtm', bs2051: 'U-090', x: 1, y: 0, z: 1 };

export const LAYOUTS: Record<LayoutId, Layout> = {
  '2.0': { id: '2.0', system: '0+2+0', speakers: [L, R] },
  '5.1': { id: '5.1', system: '0+5+0', speakers: [L, R, C, LFE, LS5, RS5] },
  '5.1.2': { id: '5.1.2', system: '2+5+0', speakers: [L, R, C, LFE, LS5, RS5, LTM, RTM] },
  '5.1.4': { id: '5.1.4', system: '4+5+0', speakers: [L, R, C, LFE, LS5, RS5, LTF, RTF, LTR, RTR] },
  '7.1': { id: '7.1', system: '0+7+0', speakers: [L, R, C, LFE, LSS, RSS, LRS, RRS] },
  '7.1.2': { id: '7.1.2', system: '2+7+0', speakers: [L, R, C, LFE, LSS, RSS, LRS, RRS, LTM, RTM] },
  '7.1.4': { id: '7.1.4', system: '4+7+0', speakers: [L, R, C, LFE, LSS, RSS, LRS, RRS, LTF, RTF, LTR, RTR] }
};

export const LAYOUT_IDS = Object.keys(LAYOUTS) as LayoutId[];
/** Layouts a bed may have in the Dolby Atmos Master ADM profile (heights beyond 7.1.2 are objects). */
export const BED_LAYOUTS: LayoutId[] = ['2.0', '5.1', '7.1', '7.1.2'];

export function layout(id: string): Layout {
  const l = LAYOUTS[id as LayoutId];
  if (!l) throw new LatheError('bad-value', `"${id}" is not a speaker layout; use ${LAYOUT_IDS.join(', ')}.`);
  return l;
}

/** WAVE_FORMAT_EXTENSIBLE channel-mask bits, by the speaker they name. */
const MASK_BITS: Record<string, number> = {
  L: 0x1, R: 0x2, C: 0x4, LFE: 0x8, Lrs: 0x10, Rrs: 0x20, Lss: 0x200, Rss: 0x400,
  Ltf: 0x1000, Rtf: 0x4000, Ltr: 0x8000, Rtr: 0x20000, Ltm: 0x800, Rtm: 0x2000
};

/**
 * For each channel of a file, the index of the layout speaker it carries: in the order the
 * extensible channel mask gives (speakers in ascending bit order), else the layout's own order.
 */
export function bedChannelMap(l: Layout, channels: number, channelMask: number | undefined, fileName: string): number[] {
  if (channels !== l.speakers.length) throw new LatheError('bad-value', `a ${l.id} bed has ${l.speakers.length} channels; this file has ${channels}.`, { file: fileName });
  if (!channelMask) return l.speakers.map((_, i) => i);
  // 5.1's surrounds are the mask's back pair (0x10/0x20) or its side pair (0x200/0x400): both are Ls/Rs.
  const bitOf = (s: Speaker) => (l.id.startsWith('5.1') && (s.label === 'Ls' || s.label === 'Rs') ? (channelMask & 0x600 ? (s.label === 'Ls' ? 0x200 : 0x400) : s.label === 'Ls' ? 0x10 : 0x20) : MASK_BITS[s.label]);
  const bits = l.speakers.map(bitOf);
  const missing = l.speakers.filter((_, i) => !(channelMask & bits[i]));
  if (missing.length) throw new LatheError('bad-value', `the file's channel mask 0x${channelMask.toString(16)} has no ${missing.map((s) => s.label).join(', ')} for a ${l.id} bed.`, { file: fileName });
  const order = bits.map((b, i) => [b, i] as const).sort((a, b) => a[0] - b[0]);
  return order.map(([, i]) => i);
}
