/**
 * GUIs of the dynamics plugins: the compressor's and the limiter's static transfer curve
 * (input level to output level, from the kernels' own curve), the de-esser's detection band and
 * reduction range on a frequency axis, each with a gain-reduction meter fed by the processor.
 */
import { compressorCurveDb } from '../../src/lib/core/dsp/compressor';
import { el, fieldTable, reductionMeter, svgEl, type Gui } from './base';
import { xOf as eqX } from './eq';

const S = 220;
const PAD = 26;
const MIN_DB = -60;

const pos = (db: number) => PAD + ((db - MIN_DB) / -MIN_DB) * (S - 2 * PAD);
const neg = (db: number) => S - pos(db);

function transferFrame(label: string): SVGSVGElement {
  const svg = svgEl('svg', { viewBox: `0 0 ${S} ${S}`, role: 'img', 'aria-label': label }) as SVGSVGElement;
  for (let db = MIN_DB; db <= 0; db += 12) {
    svg.append(svgEl('line', { class: 'grid', x1: pos(db), x2: pos(db), y1: PAD, y2: S - PAD }), svgEl('line', { class: 'grid', x1: PAD, x2: S - PAD, y1: neg(db), y2: neg(db) }));
    svg.append(svgEl('text', { x: pos(db), y: S - PAD + 12, 'text-anchor': 'middle' }, String(db)), svgEl('text', { x: PAD - 3, y: neg(db) + 3, 'text-anchor': 'end' }, String(db)));
  }
  svg.append(svgEl('line', { class: 'grid zero', x1: pos(MIN_DB), y1: neg(MIN_DB), x2: pos(0), y2: neg(0) }));
  svg.append(svgEl('text', { x: S - PAD, y: S - 3, 'text-anchor': 'end' }, 'in dB'), svgEl('text', { x: 2, y: 10 }, 'out dB'));
  return svg;
}

function curvePath(out: (inDb: number) => number): string {
  const pts: string[] = [];
  for (let inDb = MIN_DB; inDb <= 0; inDb += 0.5) pts.push(`${pts.length ? 'L' : 'M'}${pos(inDb).toFixed(1)},${neg(Math.max(MIN_DB, Math.min(0, out(inDb)))).toFixed(1)}`);
  return pts.join('');
}

/** A transfer curve (input level to output level) beside a gain-reduction meter, then the settings. */
function transferGui(gui: Gui, out: (inDb: number) => number, describe: () => string, rangeDb: number, caption: string): void {
  const svg = transferFrame('Transfer curve');
  const curve = svgEl('path', { class: 'curve' });
  svg.append(curve);
  const draw = () => {
    curve.setAttribute('d', curvePath(out));
    svg.setAttribute('aria-label', `Transfer curve: ${describe()}`);
  };
  gui.onChange(draw);
  draw();
  const row = el('div', { class: 'row' });
  row.append(svg, reductionMeter(gui, rangeDb));
  gui.root.append(row, fieldTable(gui, gui.info.params.map((p) => p.id), caption));
}

export function compressorGui(gui: Gui): void {
  const v = gui.values;
  transferGui(
    gui,
    (inDb) => compressorCurveDb(inDb, v.thresholdDb, v.ratio, v.kneeDb) + v.makeupGainDb,
    () => `threshold ${v.thresholdDb.toFixed(1)} dB, ratio ${v.ratio.toFixed(2)}:1, knee ${v.kneeDb.toFixed(1)} dB`,
    24,
    'Compressor settings'
  );
}

export function limiterGui(gui: Gui): void {
  const v = gui.values;
  transferGui(gui, (inDb) => Math.min(inDb + v.inputGainDb, v.ceilingDbtp), () => `input gain ${v.inputGainDb.toFixed(1)} dB, ceiling ${v.ceilingDbtp.toFixed(1)} dBTP`, 12, 'Limiter settings');
}

const W = 640;
const H = 120;

export function deesserGui(gui: Gui): void {
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Detection band' }) as SVGSVGElement;
  for (const hz of [1000, 2000, 5000, 10_000, 20_000]) {
    svg.append(svgEl('line', { class: 'grid', x1: eqX(hz), x2: eqX(hz), y1: 8, y2: H - 18 }), svgEl('text', { x: eqX(hz), y: H - 5, 'text-anchor': 'middle' }, hz >= 1000 ? `${hz / 1000}k` : String(hz)));
  }
  const yDb = (db: number) => 14 + (-db / 24) * (H - 36);
  for (const db of [0, -6, -12, -18, -24]) svg.append(svgEl('line', { class: db ? 'grid' : 'grid zero', x1: 34, x2: W - 8, y1: yDb(db), y2: yDb(db) }), svgEl('text', { x: 30, y: yDb(db) + 3, 'text-anchor': 'end' }, String(db)));
  svg.append(svgEl('text', { x: 2, y: 10 }, 'dB'));
  const band = svgEl('rect', { class: 'band', y: 8, height: H - 26 });
  const range = svgEl('path', { class: 'curve' });
  svg.append(band, range);
  const v = gui.values;
  const draw = () => {
    // The detector listens above the frequency; the shelf cuts from there by up to the range.
    band.setAttribute('x', eqX(v.freqHz).toFixed(1));
    band.setAttribute('width', (eqX(20_000) - eqX(v.freqHz)).toFixed(1));
    range.setAttribute('d', `M${eqX(1000)},${yDb(0)}L${eqX(v.freqHz / 1.5).toFixed(1)},${yDb(0)}L${eqX(v.freqHz * 1.5).toFixed(1)},${yDb(-v.rangeDb).toFixed(1)}L${eqX(20_000)},${yDb(-v.rangeDb).toFixed(1)}`);
    svg.setAttribute('aria-label', `Detection from ${v.freqHz.toFixed(0)} Hz, reduction up to ${v.rangeDb.toFixed(1)} dB`);
  };
  gui.onChange(draw);
  draw();
  const row = el('div', { class: 'row' });
  row.append(svg, reductionMeter(gui, 24));
  gui.root.append(row, fieldTable(gui, gui.info.params.map((p) => p.id), 'De-esser settings'));
}
