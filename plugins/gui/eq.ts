/**
 * lathe.eq's GUI: the frequency response, computed by the same core code that designs the
 * kernel's filters, over the live spectrum of the plugin's output; a draggable node per band
 * (frequency and gain by drag or arrow keys, Q by wheel or Page Up/Down), and every band's type
 * and values in a table to type into.
 */
import { EQ_BANDS, EQ_TYPES, eqResponseDb, eqSections } from '../../src/lib/core/dsp/eq';
import { Fft } from '../../src/lib/core/dsp/fft';
import { el, field, svgEl, type Gui } from './base';

const W = 640;
const H = 220;
const PAD = { left: 34, right: 8, top: 8, bottom: 18 };
const F_MIN = 20;
const F_MAX = 20_000;
const DB = 24;

export const xOf = (hz: number) => PAD.left + ((Math.log10(hz) - Math.log10(F_MIN)) / (Math.log10(F_MAX) - Math.log10(F_MIN))) * (W - PAD.left - PAD.right);
export const hzOf = (x: number) => 10 ** (Math.log10(F_MIN) + ((x - PAD.left) / (W - PAD.left - PAD.right)) * (Math.log10(F_MAX) - Math.log10(F_MIN)));
const yOf = (db: number) => PAD.top + ((DB - db) / (2 * DB)) * (H - PAD.top - PAD.bottom);
const dbOf = (y: number) => DB - ((y - PAD.top) / (H - PAD.top - PAD.bottom)) * 2 * DB;

/** Frequencies the curve is drawn at: 240 per the 3-decade span, log-spaced. */
export const CURVE_HZ = Array.from({ length: 241 }, (_, i) => F_MIN * (F_MAX / F_MIN) ** (i / 240));

/** Samples per spectrum frame: 4096 (about 11 Hz per bin at 44.1 kHz). */
export const SPECTRUM_SIZE = 4096;
const HANN = Float64Array.from({ length: SPECTRUM_SIZE }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / SPECTRUM_SIZE));

/**
 * The level of each bin in dBFS (a full-scale sine reads 0), Hann-windowed, falling back slowly
 * as a meter does (about 40 dB a second at 60 frames a second).
 */
export function spectrumDb(fft: Fft, samples: Float32Array, levels: Float64Array): void {
  for (let i = 0; i < SPECTRUM_SIZE; i++) {
    fft.re[i] = samples[i] * HANN[i];
    fft.im[i] = 0;
  }
  fft.transform();
  for (let k = 0; k < levels.length; k++) {
    const db = 10 * Math.log10(fft.re[k] ** 2 + fft.im[k] ** 2 + 1e-30) + 20 * Math.log10(4 / SPECTRUM_SIZE);
    levels[k] = Math.max(db, levels[k] - 0.7);
  }
}

const hzLabel = (hz: number) => (hz >= 1000 ? `${hz / 1000}k` : String(hz));

export function eqGui(gui: Gui): void {
  const rateHz = gui.node.context.sampleRate;
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, role: 'group', 'aria-label': 'Frequency response' }) as SVGSVGElement;
  for (const hz of [20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000]) {
    svg.append(svgEl('line', { class: 'grid', x1: xOf(hz), x2: xOf(hz), y1: PAD.top, y2: H - PAD.bottom }));
    svg.append(svgEl('text', { x: xOf(hz), y: H - 5, 'text-anchor': 'middle' }, hzLabel(hz)));
  }
  for (let db = -DB; db <= DB; db += 6) {
    svg.append(svgEl('line', { class: db === 0 ? 'grid zero' : 'grid', x1: PAD.left, x2: W - PAD.right, y1: yOf(db), y2: yOf(db) }));
    svg.append(svgEl('text', { x: PAD.left - 4, y: yOf(db) + 3, 'text-anchor': 'end' }, `${db > 0 ? '+' : ''}${db}`));
  }
  svg.append(svgEl('text', { x: 2, y: H - 5 }, 'dB'), svgEl('text', { x: W - PAD.right - 4, y: PAD.top + 12, 'text-anchor': 'end' }, 'spectrum: −96…0 dBFS, full height'));
  const spectrum = svgEl('path', { class: 'spectrum', 'aria-hidden': 'true' });
  const curve = svgEl('path', { class: 'curve', 'aria-hidden': 'true' });
  svg.append(spectrum, curve);

  const band = (i: number, what: string) => `band${i + 1}${what}`;
  const type = (i: number) => EQ_TYPES[Math.round(gui.values[band(i, 'Type')])];
  const handles = Array.from({ length: EQ_BANDS }, (_, i) => {
    const g = svgEl('g', { class: 'handle', tabindex: 0, role: 'slider', 'aria-label': `Band ${i + 1}` }) as SVGGElement;
    g.append(svgEl('circle', { r: 7 }), svgEl('text', { 'text-anchor': 'middle', y: 3.5, 'aria-hidden': 'true' }, String(i + 1)));
    svg.append(g);
    let dragging = false;
    const toPoint = (e: PointerEvent) => {
      const box = svg.getBoundingClientRect();
      return { x: ((e.clientX - box.left) / box.width) * W, y: ((e.clientY - box.top) / box.height) * H };
    };
    g.addEventListener('pointerdown', (e) => {
      dragging = true;
      try {
        g.setPointerCapture(e.pointerId);
      } catch {
        // A synthetic pointer (tests, assistive tools) has no capture: moves still arrive on the handle.
      }
      g.focus();
      e.preventDefault();
    });
    g.addEventListener('pointermove', (e) => {
      if (!dragging) return;
      const { x, y } = toPoint(e);
      gui.set(band(i, 'FreqHz'), Math.min(Math.min(F_MAX, rateHz * 0.49), Math.max(F_MIN, hzOf(x))));
      if (hasGain(type(i))) gui.set(band(i, 'GainDb'), Math.round(dbOf(y) * 10) / 10);
    });
    g.addEventListener('pointerup', () => (dragging = false));
    g.addEventListener('wheel', (e) => {
      e.preventDefault();
      gui.set(band(i, 'Q'), gui.values[band(i, 'Q')] * (e.deltaY < 0 ? 1.1 : 1 / 1.1));
    });
    g.addEventListener('keydown', (e) => {
      const fine = e.shiftKey;
      const f = gui.values[band(i, 'FreqHz')];
      const moves: Record<string, () => void> = {
        ArrowRight: () => gui.set(band(i, 'FreqHz'), f * 2 ** ((fine ? 1 : 3) / 36)),
        ArrowLeft: () => gui.set(band(i, 'FreqHz'), f / 2 ** ((fine ? 1 : 3) / 36)),
        ArrowUp: () => gui.set(band(i, 'GainDb'), gui.values[band(i, 'GainDb')] + (fine ? 0.1 : 0.5)),
        ArrowDown: () => gui.set(band(i, 'GainDb'), gui.values[band(i, 'GainDb')] - (fine ? 0.1 : 0.5)),
        PageUp: () => gui.set(band(i, 'Q'), gui.values[band(i, 'Q')] * 1.12),
        PageDown: () => gui.set(band(i, 'Q'), gui.values[band(i, 'Q')] / 1.12)
      };
      if (!moves[e.key]) return;
      e.preventDefault();
      moves[e.key]();
    });
    return g;
  });

  const draw = () => {
    const sections = eqSections(gui.values, rateHz);
    curve.setAttribute('d', CURVE_HZ.map((hz, k) => `${k ? 'L' : 'M'}${xOf(hz).toFixed(1)},${yOf(Math.max(-DB - 6, Math.min(DB + 6, eqResponseDb(gui.values, rateHz, hz, sections)))).toFixed(1)}`).join(''));
    handles.forEach((g, i) => {
      const t = type(i);
      const hz = gui.values[band(i, 'FreqHz')];
      const db = hasGain(t) ? gui.values[band(i, 'GainDb')] : eqResponseDb(gui.values, rateHz, hz, sections);
      g.style.display = t === 'off' ? 'none' : '';
      g.setAttribute('transform', `translate(${xOf(Math.min(F_MAX, hz)).toFixed(1)},${yOf(Math.max(-DB, Math.min(DB, db))).toFixed(1)})`);
      g.setAttribute('aria-valuetext', `${t}, ${hz.toFixed(0)} Hz, ${hasGain(t) ? `${gui.values[band(i, 'GainDb')].toFixed(1)} dB, ` : ''}Q ${gui.values[band(i, 'Q')].toFixed(2)}`);
    });
  };
  gui.onChange(draw);
  draw();

  // The live spectrum of what the plugin outputs, behind the curve: from its own node when it
  // plays, or from the host ("lathe-signal" events with the latest samples) when the host runs
  // the same kernel itself, as Lathe's playback does.
  const ctx = gui.node.context;
  const analyser = new AnalyserNode(ctx, { fftSize: SPECTRUM_SIZE });
  (gui.node as unknown as AudioNode).connect(analyser);
  const samples = new Float32Array(SPECTRUM_SIZE);
  const levels = new Float64Array(SPECTRUM_SIZE / 2).fill(-96);
  const fft = new Fft(SPECTRUM_SIZE);
  let hostUntil = 0;
  const fromHost = (e: Event) => {
    const given = (e as CustomEvent<{ samples: Float32Array }>).detail?.samples;
    if (!given || given.length !== SPECTRUM_SIZE) return;
    samples.set(given);
    hostUntil = performance.now() + 250;
  };
  gui.root.addEventListener('lathe-signal', fromHost);
  let frame = 0;
  const paint = () => {
    if (performance.now() > hostUntil) analyser.getFloatTimeDomainData(samples);
    spectrumDb(fft, samples, levels);
    const pts: string[] = [];
    const drawn = CURVE_HZ.filter((_, k) => k % 2 === 0);
    const bin = (hz: number) => Math.min(levels.length - 1, Math.max(1, Math.round((hz / ctx.sampleRate) * SPECTRUM_SIZE)));
    drawn.forEach((hz, j) => {
      // Each point shows the loudest bin between it and its neighbours' midpoints: no peak is missed.
      const lo = bin(j ? Math.sqrt(hz * drawn[j - 1]) : hz);
      const hi = bin(j + 1 < drawn.length ? Math.sqrt(hz * drawn[j + 1]) : hz);
      let db = -96;
      for (let k = lo; k <= hi; k++) db = Math.max(db, levels[k]);
      pts.push(`L${xOf(hz).toFixed(1)},${(PAD.top + (-Math.min(0, db) / 96) * (H - PAD.top - PAD.bottom)).toFixed(1)}`);
    });
    spectrum.setAttribute('d', `M${xOf(F_MIN)},${H - PAD.bottom}${pts.join('')}L${xOf(F_MAX)},${H - PAD.bottom}Z`);
    frame = requestAnimationFrame(paint);
  };
  frame = requestAnimationFrame(paint);
  gui.onDestroy(() => {
    cancelAnimationFrame(frame);
    gui.root.removeEventListener('lathe-signal', fromHost);
    (gui.node as unknown as AudioNode).disconnect(analyser);
  });

  const table = el('table', { 'aria-label': 'Bands' });
  const head = el('tr');
  for (const h of ['Band', 'Type', 'Frequency', 'Gain', 'Q']) head.append(el('th', { scope: 'col' }, h));
  table.append(head);
  for (let i = 0; i < EQ_BANDS; i++) {
    const tr = el('tr');
    tr.append(el('th', { scope: 'row' }, String(i + 1)));
    for (const what of ['Type', 'FreqHz', 'GainDb', 'Q']) {
      const td = el('td');
      td.append(field(gui, band(i, what)));
      tr.append(td);
    }
    table.append(tr);
  }
  const out = el('table', { 'aria-label': 'Output' });
  const tr = el('tr');
  for (const id of ['outputGainDb', 'linearPhase']) {
    const td = el('td');
    td.append(field(gui, id));
    tr.append(el('th', { scope: 'row' }, gui.info.params.find((p) => p.id === id)!.label), td);
  }
  out.append(tr);
  gui.root.append(svg, table, out);
}

function hasGain(t: string): boolean {
  return t === 'bell' || t === 'lowShelf' || t === 'highShelf';
}
