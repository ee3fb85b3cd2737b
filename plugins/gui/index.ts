/** The GUI of each first-party plugin, by id: what its WAM createGui returns. */
import type { WamNode } from '@webaudiomodules/api';
import type { PluginInfo } from '../../src/lib/core/dsp/params';
import { createGui, type Gui } from './base';
import { eqGui } from './eq';
import { compressorGui, deesserGui, limiterGui } from './dynamics';
import { imagerGui } from './imager';

const VIEWS: Record<string, (gui: Gui) => void> = {
  'lathe.eq': eqGui,
  'lathe.compressor': compressorGui,
  'lathe.limiter': limiterGui,
  'lathe.deesser': deesserGui,
  'lathe.imager': imagerGui
};

const shown = new WeakMap<Element, Gui>();

export async function createLatheGui(info: PluginInfo, node: WamNode): Promise<HTMLElement> {
  const gui = await createGui(info, node);
  VIEWS[info.id]?.(gui);
  shown.set(gui.root, gui);
  return gui.root;
}

export function destroyLatheGui(root: Element): void {
  shown.get(root)?.destroy();
  shown.delete(root);
  root.remove();
}
