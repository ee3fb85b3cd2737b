import { afterEach, describe, expect, it } from 'vitest';
import { FIRST_PARTY } from '$lib/core/dsp/plugins';
import { eqResponseDb } from '$lib/core/dsp/eq';
import { compressorCurveDb } from '$lib/core/dsp/compressor';
import { loadWamConstructor, instantiate, pluginModuleUrl } from '$lib/web/wam/host';
import { stateFromParams } from '$lib/web/wam/offline';

const contexts: AudioContext[] = [];
afterEach(async () => {
  document.body.replaceChildren();
  for (const c of contexts.splice(0)) await c.close();
});

/** A first-party plugin's own WAM GUI, as any host would get it, in a running context. */
async function open(id: string, params: Record<string, number> = {}) {
  const ctx = new AudioContext({ sampleRate: 48_000 });
  contexts.push(ctx);
  await ctx.resume();
  const url = pluginModuleUrl(id);
  const { module, node } = await instantiate(await loadWamConstructor(url), url, ctx, stateFromParams(params));
  const gui = (await module.createGui()) as HTMLElement;
  document.body.append(gui);
  return { ctx, module, node, gui };
}

/** The points of an SVG path made of M/L commands. */
function points(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe('first-party plugin GUIs (WAM createGui)', () => {
  it('every plugin has a labelled GUI whose controls all have names and units', async () => {
    for (const info of FIRST_PARTY) {
      const { gui } = await open(info.id);
      expect(gui.getAttribute('role')).toBe('group');
      expect(gui.getAttribute('aria-label')).toBe(info.name);
      const controls = [...gui.querySelectorAll('input, select')];
      expect(controls.length, info.id).toBe(info.params.length);
      for (const c of controls) expect(c.getAttribute('aria-label'), info.id).toBeTruthy();
      for (const p of info.params.filter((q) => q.unit)) expect(gui.querySelector(`[aria-label="${p.label} (${p.unit})"]`), `${info.id} ${p.id}`).not.toBeNull();
      document.body.replaceChildren();
    }
  });

  it('lathe.eq draws the response the kernel processes and moves a band by keys and by drag', async () => {
    const params = { band2Type: 1, band2FreqHz: 250, band2GainDb: -4, band2Q: 1.2, band5Type: 3, band5FreqHz: 6000, band5GainDb: 5, outputGainDb: -2 };
    const { node, gui } = await open('lathe.eq', params);
    const curve = gui.querySelector('path.curve') as SVGPathElement;
    const pts = points(curve.getAttribute('d')!);
    expect(pts).toHaveLength(241);
    // The drawn y of each point is the core response at its frequency (20 Hz–20 kHz, log-spaced).
    const yOf = (db: number) => 8 + ((24 - db) / 48) * (220 - 8 - 18);
    for (const k of [0, 60, 120, 160, 200, 240]) {
      const hz = 20 * 1000 ** (k / 240);
      expect(pts[k][1], `${hz.toFixed(0)} Hz`).toBeCloseTo(yOf(eqResponseDb(params, 48_000, hz)), 0);
    }

    const band2 = gui.querySelector('[role="slider"][aria-label="Band 2"]') as SVGGElement;
    expect(band2.getAttribute('aria-valuetext')).toBe('bell, 250 Hz, -4.0 dB, Q 1.20');
    band2.focus();
    for (let i = 0; i < 4; i++) band2.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    band2.dispatchEvent(new KeyboardEvent('keydown', { key: 'PageUp', bubbles: true }));
    expect(band2.getAttribute('aria-valuetext')).toBe('bell, 250 Hz, -2.0 dB, Q 1.34');
    await expect.poll(async () => (await node.getParameterValues(false)).band2GainDb.value).toBeCloseTo(-2, 5);

    // A drag to the middle of the graph: 632 Hz (the log midpoint of 20 Hz–20 kHz), +0 dB.
    const svg = gui.querySelector('svg') as SVGSVGElement;
    const box = svg.getBoundingClientRect();
    const at = (x: number, y: number) => ({ clientX: box.left + (x / 640) * box.width, clientY: box.top + (y / 220) * box.height, bubbles: true, pointerId: 1 });
    band2.dispatchEvent(new PointerEvent('pointerdown', at(0, 0)));
    band2.dispatchEvent(new PointerEvent('pointermove', at(34 + (640 - 42) / 2, yOf(0))));
    band2.dispatchEvent(new PointerEvent('pointerup', at(0, 0)));
    await expect.poll(async () => (await node.getParameterValues(false)).band2FreqHz.value).toBeCloseTo(632.5, 0);
    expect((await node.getParameterValues(false)).band2GainDb.value).toBeCloseTo(0, 1);
    // A type chosen from the band's menu.
    const type = gui.querySelector('select[aria-label="Band 2 type"]') as HTMLSelectElement;
    type.value = '2';
    type.dispatchEvent(new Event('change', { bubbles: true }));
    expect(band2.getAttribute('aria-valuetext')).toMatch(/^lowShelf, 632 Hz/);
  });

  it('lathe.compressor draws its static curve and meters its gain reduction', async () => {
    const { ctx, node, gui } = await open('lathe.compressor', { thresholdDb: -30, ratio: 4, kneeDb: 0, attackMs: 1 });
    const pts = points((gui.querySelector('path.curve') as SVGPathElement).getAttribute('d')!);
    const pos = (db: number) => 26 + ((db + 60) / 60) * (220 - 52);
    // At -10 dB in: 20 dB over a -30 dB threshold at 4:1 comes out at -25 dB.
    const k = pts.findIndex(([x]) => Math.abs(x - pos(-10)) < 0.1);
    expect(220 - pts[k][1]).toBeCloseTo(pos(compressorCurveDb(-10, -30, 4, 0)), 0);
    expect(compressorCurveDb(-10, -30, 4, 0)).toBe(-25);

    const tone = new OscillatorNode(ctx, { frequency: 1000 });
    const loud = new GainNode(ctx, { gain: 0.5 });
    tone.connect(loud).connect(node as unknown as AudioNode).connect(new GainNode(ctx, { gain: 0 })).connect(ctx.destination);
    tone.start();
    const meter = gui.querySelector('[role="meter"][aria-label="Gain reduction"]') as HTMLElement;
    // A -9 dBFS peak sine (-12 dB RMS) 18 dB over the threshold at 4:1: about 13 dB of reduction.
    await expect.poll(() => Number(meter.getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeLessThan(-8);
    expect(gui.querySelector('output')?.textContent).toMatch(/^-\d+\.\d dB$/);
    tone.stop();
  });

  it('a host that runs the kernels itself feeds the meter and the spectrum (lathe-meter, lathe-signal)', async () => {
    const comp = await open('lathe.compressor');
    const meter = comp.gui.querySelector('[role="meter"][aria-label="Gain reduction"]') as HTMLElement;
    comp.gui.dispatchEvent(new CustomEvent('lathe-meter', { detail: { reductionDb: -6.25 } }));
    expect(meter.getAttribute('aria-valuenow')).toBe('-6.3');
    expect(comp.gui.querySelector('output')?.textContent).toBe('-6.3 dB');

    const eq = await open('lathe.eq');
    const spectrum = eq.gui.querySelector('path.spectrum') as SVGPathElement;
    // A full-scale sine of 93 cycles in 4096 samples (1089.8 Hz at 48 kHz, on a bin).
    const samples = Float32Array.from({ length: 4096 }, (_, i) => Math.sin((2 * Math.PI * 93 * i) / 4096));
    const peakY = () => Math.min(...points(spectrum.getAttribute('d')!).map(([, y]) => y));
    const send = () => eq.gui.dispatchEvent(new CustomEvent('lathe-signal', { detail: { samples } }));
    send();
    // Drawn on the next display frame: the peak reaches the top of the graph (0 dBFS).
    await expect.poll(() => (send(), peakY()), { timeout: 5000 }).toBeLessThan(8 + 6);
  });

  it('reads a full-scale sine at 0 dBFS in its spectrum', async () => {
    const { spectrumDb, SPECTRUM_SIZE } = await import('../../plugins/gui/eq');
    const { Fft } = await import('$lib/core/dsp/fft');
    const k = 93;
    const samples = Float32Array.from({ length: SPECTRUM_SIZE }, (_, i) => Math.sin((2 * Math.PI * k * i) / SPECTRUM_SIZE));
    const levels = new Float64Array(SPECTRUM_SIZE / 2).fill(-96);
    spectrumDb(new Fft(SPECTRUM_SIZE), samples, levels);
    expect(levels[k]).toBeCloseTo(0, 1);
    expect(levels[k + 20]).toBeLessThan(-60);
  });

  it('lathe.limiter, lathe.deesser and lathe.imager draw what their settings say', async () => {
    const limiter = await open('lathe.limiter', { ceilingDbtp: -3, inputGainDb: 6 });
    expect(limiter.gui.querySelector('svg')?.getAttribute('aria-label')).toBe('Transfer curve: input gain 6.0 dB, ceiling -3.0 dBTP');
    const deesser = await open('lathe.deesser', { freqHz: 7000, rangeDb: 10 });
    expect(deesser.gui.querySelector('svg')?.getAttribute('aria-label')).toBe('Detection from 7000 Hz, reduction up to 10.0 dB');
    const imager = await open('lathe.imager', { monoBelowHz: 120, lowWidthPercent: 80, midWidthPercent: 110, highWidthPercent: 150 });
    const width = imager.gui.querySelector('svg') as SVGSVGElement;
    expect(width.getAttribute('aria-label')).toBe('Width: mono below 120 Hz, low 80 %, mid 110 %, high 150 %');
    // Typing a value redraws it.
    const high = imager.gui.querySelector('input[aria-label="High width (%)"]') as HTMLInputElement;
    high.value = '60';
    high.dispatchEvent(new Event('change', { bubbles: true }));
    expect(width.getAttribute('aria-label')).toMatch(/high 60 %$/);
    await expect.poll(async () => (await imager.node.getParameterValues(false)).highWidthPercent.value).toBe(60);
  });
});
