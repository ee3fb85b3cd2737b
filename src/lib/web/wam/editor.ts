/**
 * A generic parameter editor for any WAM node, in plain DOM so a plugin can use it as its GUI and
 * the host can show it for plugins that have none. Every control has a role and a label.
 */
import type { WamNode, WamParameterInfo } from '@webaudiomodules/api';

export interface EditorOptions {
  /** Called after each change with the node's full state, for the host to persist. */
  onChange?: (state: unknown) => void;
}

function formatValue(info: WamParameterInfo, value: number): string {
  if (info.type === 'choice') return info.choices[Math.round(value)] ?? String(value);
  if (info.type === 'boolean') return value >= 0.5 ? 'on' : 'off';
  const digits = info.type === 'int' ? 0 : Math.abs(info.maxValue - info.minValue) >= 100 ? 0 : 2;
  return `${value.toFixed(digits)}${info.units ? ` ${info.units}` : ''}`;
}

export async function createParameterEditor(node: WamNode, title: string, options: EditorOptions = {}): Promise<HTMLElement> {
  const infos = await node.getParameterInfo();
  const values = await node.getParameterValues(false);
  const root = document.createElement('form');
  root.className = 'wam-editor';
  root.setAttribute('aria-label', `${title} parameters`);
  root.addEventListener('submit', (e) => e.preventDefault());

  for (const info of Object.values(infos)) {
    const row = document.createElement('label');
    row.className = 'wam-param';
    const name = document.createElement('span');
    name.textContent = info.label || info.id;
    const shown = document.createElement('output');
    let control: HTMLInputElement | HTMLSelectElement;
    const value = values[info.id]?.value ?? info.defaultValue;
    if (info.type === 'choice') {
      const select = document.createElement('select');
      info.choices.forEach((c, i) => select.add(new Option(c, String(i))));
      select.value = String(Math.round(value));
      control = select;
    } else {
      const input = document.createElement('input');
      input.type = 'range';
      input.min = String(info.minValue);
      input.max = String(info.maxValue);
      input.step = info.type === 'float' ? String((info.maxValue - info.minValue) / 1000) : String(info.discreteStep || 1);
      input.value = String(value);
      control = input;
    }
    control.name = info.id;
    control.setAttribute('aria-label', info.label || info.id);
    shown.textContent = formatValue(info, value);
    control.addEventListener('input', async () => {
      const v = Number(control.value);
      shown.textContent = formatValue(info, v);
      await node.setParameterValues({ [info.id]: { id: info.id, value: v, normalized: false } });
      options.onChange?.(await node.getState());
    });
    row.append(name, control, shown);
    root.append(row);
  }
  return root;
}
