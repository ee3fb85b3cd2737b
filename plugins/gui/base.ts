/**
 * What every first-party plugin GUI shares: a dark, dense panel that any WAM host can show, the
 * plugin's parameters kept in sync with its node (it may be automated or restored elsewhere), a
 * table of typed values with units, and SVG helpers. DOM only; no part of the Lathe app.
 */
import type { WamNode } from '@webaudiomodules/api';
import type { ParamInfo, PluginInfo } from '../../src/lib/core/dsp/params';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export interface Gui {
  info: PluginInfo;
  node: WamNode;
  root: HTMLElement;
  values: Record<string, number>;
  /** Sets a plain value (clamped), on the node and in every view. */
  set(id: string, value: number): void;
  /** Called after any value changes, from the GUI or from the node. */
  onChange(redraw: () => void): void;
  /** Called when the GUI is removed. */
  onDestroy(stop: () => void): void;
  destroy(): void;
}

const STYLE = `
.lathe-gui { background: #15171a; color: #d6d9de; font: 12px/1.35 system-ui, sans-serif; padding: 8px; border: 1px solid #2a2e34; min-width: 280px; max-width: 760px; }
.lathe-gui h3 { font-size: 12px; margin: 0 0 6px; color: #9aa3ad; text-transform: uppercase; letter-spacing: .06em; font-weight: 600; }
.lathe-gui svg { display: block; width: 100%; height: auto; background: #0e1013; border: 1px solid #262a30; touch-action: none; }
.lathe-gui svg text { fill: #7d8792; font-size: 10px; font-variant-numeric: tabular-nums; }
.lathe-gui .grid { stroke: #22262c; stroke-width: 1; }
.lathe-gui .zero { stroke: #39404a; }
.lathe-gui .curve { fill: none; stroke: #e0b341; stroke-width: 2; }
.lathe-gui .spectrum { fill: #2b4a63; fill-opacity: .55; stroke: #3f6e93; stroke-width: 1; }
.lathe-gui .handle { fill: #15171a; stroke: #e0b341; stroke-width: 2; cursor: grab; }
.lathe-gui .handle:focus { outline: none; stroke: #fff; stroke-width: 3; }
.lathe-gui .handle text { fill: #e0b341; }
.lathe-gui .band { fill: #e0b341; fill-opacity: .12; }
.lathe-gui .point { fill: #4fb0ff; }
.lathe-gui table { border-collapse: collapse; margin-top: 6px; width: 100%; }
.lathe-gui th, .lathe-gui td { padding: 1px 4px; text-align: left; font-weight: normal; white-space: nowrap; }
.lathe-gui th { color: #9aa3ad; }
.lathe-gui input, .lathe-gui select { background: #0e1013; color: #d6d9de; border: 1px solid #323840; font: inherit; padding: 1px 3px; }
.lathe-gui input[type=number] { width: 6.5em; text-align: right; font-variant-numeric: tabular-nums; }
.lathe-gui .unit { color: #7d8792; }
.lathe-gui .row { display: flex; gap: 8px; align-items: stretch; }
.lathe-gui .row svg { max-width: 300px; }
.lathe-gui .meter { width: 58px; display: flex; flex-direction: column; align-items: center; gap: 2px; }
.lathe-gui .meter .scaled { position: relative; flex: 1; display: flex; gap: 3px; min-height: 120px; }
.lathe-gui .meter .bar { position: relative; width: 14px; background: #0e1013; border: 1px solid #262a30; }
.lathe-gui .meter .scale { position: relative; width: 22px; }
.lathe-gui .meter .scale span { position: absolute; left: 0; transform: translateY(-50%); font-size: 10px; color: #7d8792; font-variant-numeric: tabular-nums; }
.lathe-gui .meter .fill { position: absolute; top: 0; left: 0; right: 0; background: #e07a41; }
.lathe-gui .meter output { font-variant-numeric: tabular-nums; }
`;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

export function svgEl(tag: string, attrs: Record<string, string | number> = {}, text = ''): SVGElement {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text) e.textContent = text;
  return e;
}

export function formatValue(p: ParamInfo, v: number): string {
  if (p.choices) return p.choices[Math.round(v) - p.min] ?? String(v);
  const span = p.max - p.min;
  return v.toFixed(span >= 1000 ? 0 : span >= 20 ? 1 : 2);
}

export async function createGui(info: PluginInfo, node: WamNode, title = info.name): Promise<Gui> {
  const root = el('div', { class: 'lathe-gui', role: 'group', 'aria-label': title });
  root.append(el('style', {}, STYLE), el('h3', {}, title));
  const values: Record<string, number> = Object.fromEntries(info.params.map((p) => [p.id, p.default]));
  const listeners: (() => void)[] = [];
  const stops: (() => void)[] = [];
  const changed = () => listeners.forEach((f) => f());
  const read = async () => {
    const got = await node.getParameterValues(false);
    let any = false;
    for (const p of info.params) {
      const v = got?.[p.id]?.value;
      if (typeof v === 'number' && v !== values[p.id]) {
        values[p.id] = v;
        any = true;
      }
    }
    if (any) changed();
  };
  await read();
  // The host may restore a state or automate a value: follow the node while shown.
  const poll = setInterval(() => void read(), 250);
  stops.push(() => clearInterval(poll));
  const gui: Gui = {
    info,
    node,
    root,
    values,
    set(id, value) {
      const p = info.params.find((q) => q.id === id);
      if (!p || !Number.isFinite(value)) return;
      const v = Math.min(p.max, Math.max(p.min, p.choices ? Math.round(value) : value));
      values[id] = v;
      void node.setParameterValues({ [id]: { id, value: v, normalized: false } });
      changed();
      // Hosts that save on change hear it, whether it came from a field, a drag or a key.
      root.dispatchEvent(new Event('change', { bubbles: true }));
    },
    onChange: (f) => listeners.push(f),
    onDestroy: (f) => stops.push(f),
    destroy: () => stops.forEach((f) => f())
  };
  return gui;
}

/** A labelled input for one parameter: a number with its unit, or a menu of its choices. */
export function field(gui: Gui, id: string, label?: string): HTMLElement {
  const p = gui.info.params.find((q) => q.id === id)!;
  const name = label ?? p.label;
  let input: HTMLInputElement | HTMLSelectElement;
  if (p.choices) {
    const select = el('select', { 'aria-label': name });
    p.choices.forEach((c, k) => select.append(el('option', { value: String(p.min + k) }, c)));
    select.onchange = () => gui.set(id, Number(select.value));
    input = select;
  } else {
    const number = el('input', { type: 'number', 'aria-label': `${name}${p.unit ? ` (${p.unit})` : ''}`, min: String(p.min), max: String(p.max), step: 'any' });
    number.onchange = () => gui.set(id, Number(number.value));
    input = number;
  }
  const show = () => {
    if (document.activeElement !== input) input.value = p.choices ? String(Math.round(gui.values[id])) : formatValue(p, gui.values[id]);
  };
  gui.onChange(show);
  show();
  const wrap = el('span');
  wrap.append(input);
  if (p.unit) wrap.append(el('span', { class: 'unit' }, ` ${p.unit}`));
  return wrap;
}

/** A two-column table of parameters: label, value with unit. */
export function fieldTable(gui: Gui, ids: string[], caption: string): HTMLTableElement {
  const table = el('table', { 'aria-label': caption });
  for (const id of ids) {
    const p = gui.info.params.find((q) => q.id === id)!;
    const tr = el('tr');
    const td = el('td');
    td.append(field(gui, id));
    tr.append(el('th', { scope: 'row' }, p.label), td);
    table.append(tr);
  }
  return table;
}

/** A vertical gain-reduction meter fed by the processor's meter messages. */
export function reductionMeter(gui: Gui, rangeDb = 24): HTMLElement {
  const meter = el('div', { class: 'meter' });
  const bar = el('div', { class: 'bar', role: 'meter', 'aria-label': 'Gain reduction', 'aria-valuemin': String(-rangeDb), 'aria-valuemax': '0', 'aria-valuenow': '0' });
  const fill = el('div', { class: 'fill' });
  bar.append(fill);
  // A dB scale beside the bar: 0 at the top, the range at the bottom.
  const scale = el('div', { class: 'scale', 'aria-hidden': 'true' });
  for (let k = 0; k <= 4; k++) {
    const tick = el('span', {}, k === 0 ? '0' : `−${((rangeDb * k) / 4).toFixed(0)}`);
    tick.style.top = `${(k / 4) * 100}%`;
    scale.append(tick);
  }
  const column = el('div', { class: 'scaled' });
  column.append(bar, scale);
  const out = el('output', { 'aria-label': 'Gain reduction (dB)' }, '0.0 dB');
  meter.append(el('span', { class: 'unit' }, 'GR dB'), column, out);
  const show = (db: unknown) => {
    if (typeof db !== 'number') return;
    const shown = Math.min(0, db);
    fill.style.height = `${Math.min(100, (-shown / rangeDb) * 100)}%`;
    bar.setAttribute('aria-valuenow', shown.toFixed(1));
    out.textContent = `${shown.toFixed(1)} dB`;
  };
  // From the processor when this instance plays; from the host (a "lathe-meter" event on the GUI)
  // when the host runs the same kernel itself, as Lathe's playback does.
  const port = (gui.node as unknown as AudioWorkletNode).port;
  const fromPort = (e: MessageEvent) => show(e.data?.latheMeter?.reductionDb);
  const fromHost = (e: Event) => show((e as CustomEvent<{ reductionDb: number }>).detail?.reductionDb);
  port.addEventListener('message', fromPort);
  gui.root.addEventListener('lathe-meter', fromHost);
  gui.onDestroy(() => {
    port.removeEventListener('message', fromPort);
    gui.root.removeEventListener('lathe-meter', fromHost);
  });
  return meter;
}
