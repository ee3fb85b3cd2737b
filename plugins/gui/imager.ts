/**
 * lathe.imager's GUI: stereo width per band across the spectrum (mono below its frequency, then
 * the low, mid and high widths between the crossovers), with the settings to type.
 */
import { el, fieldTable, svgEl, type Gui } from './base';
import { xOf } from './eq';

const W = 640;
const H = 140;
const yOf = (percent: number) => 10 + ((200 - percent) / 200) * (H - 30);

export function imagerGui(gui: Gui): void {
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Width per band' }) as SVGSVGElement;
  for (const hz of [20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000]) {
    svg.append(svgEl('line', { class: 'grid', x1: xOf(hz), x2: xOf(hz), y1: 10, y2: H - 20 }), svgEl('text', { x: xOf(hz), y: H - 6, 'text-anchor': 'middle' }, hz >= 1000 ? `${hz / 1000}k` : String(hz)));
  }
  for (const pct of [0, 50, 100, 150, 200]) {
    svg.append(svgEl('line', { class: pct === 100 ? 'grid zero' : 'grid', x1: 34, x2: W - 8, y1: yOf(pct), y2: yOf(pct) }), svgEl('text', { x: 30, y: yOf(pct) + 3, 'text-anchor': 'end' }, `${pct}`));
  }
  svg.append(svgEl('text', { x: 2, y: 8 }, 'width %'));
  const bars = svgEl('path', { class: 'curve' });
  svg.append(bars);
  const v = gui.values;
  const draw = () => {
    const mono = Math.max(20, v.monoBelowHz);
    const steps: [number, number, number][] = [
      [20, v.monoBelowHz > 0 ? mono : 20, 0],
      [v.monoBelowHz > 0 ? mono : 20, Math.max(mono, v.lowMidHz), v.lowWidthPercent],
      [Math.max(mono, v.lowMidHz), v.midHighHz, v.midWidthPercent],
      [v.midHighHz, 20_000, v.highWidthPercent]
    ];
    bars.setAttribute('d', steps.filter(([a, b]) => b > a).map(([a, b, w], k) => `${k ? 'L' : 'M'}${xOf(a).toFixed(1)},${yOf(w).toFixed(1)}L${xOf(b).toFixed(1)},${yOf(w).toFixed(1)}`).join(''));
    svg.setAttribute('aria-label', `Width: mono below ${v.monoBelowHz.toFixed(0)} Hz, low ${v.lowWidthPercent.toFixed(0)} %, mid ${v.midWidthPercent.toFixed(0)} %, high ${v.highWidthPercent.toFixed(0)} %`);
  };
  gui.onChange(draw);
  draw();
  gui.root.append(svg, el('div'), fieldTable(gui, gui.info.params.map((p) => p.id), 'Imager settings'));
}
