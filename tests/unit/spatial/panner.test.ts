import { describe, expect, it } from 'vitest';
import { AllocentricPanner } from '../../../src/lib/core/spatial/panner';
import { LAYOUTS, LAYOUT_IDS, layout, type LayoutId } from '../../../src/lib/core/spatial/layouts';
import { positionAt, type SpatialObject } from '../../../src/lib/core/spatial/model';
import { SpatialMixer } from '../../../src/lib/core/spatial/render';
import { createAlbum, createClip, createTrack, rescaleAlbum } from '../../../src/lib/core/album/model';
import { albumFromDocument, albumToDocument, parseAlbumJson } from '../../../src/lib/core/album/json';

const gains = (id: LayoutId, x: number, y: number, z: number, size = 0) => {
  const p = new AllocentricPanner(LAYOUTS[id]);
  const g = new Float64Array(p.channels);
  p.objectGains(x, y, z, size, g);
  return Object.fromEntries(LAYOUTS[id].speakers.map((s, i) => [s.label, g[i]]));
};
const close = (got: Record<string, number>, want: Record<string, number>) => {
  for (const [k, v] of Object.entries(got)) expect(v, k).toBeCloseTo(want[k] ?? 0, 6);
};
const H = Math.SQRT1_2;

describe('the allocentric panner (ITU-R BS.2127)', () => {
  it('gives the EBU ADM Renderer allocentric check values on 0+5+0', () => {
    close(gains('5.1', -0.5, 1, 0), { C: H, L: H });
    close(gains('5.1', -1, 0, 0), { L: H, Ls: H });
    close(gains('5.1', 0, 0, 0), { C: H, Ls: 0.5, Rs: 0.5 });
    // z is ignored on a layout of one plane.
    close(gains('5.1', -1, 0, 0.7), { L: H, Ls: H });
  });

  it('gives the check values on 4+5+0 and 4+7+0', () => {
    close(gains('5.1.4', -1, 0.5, 0), { L: Math.sin((0.75 * Math.PI) / 2), Ls: Math.cos((0.75 * Math.PI) / 2) });
    expect(gains('5.1.4', -1, 0.5, 0).L).toBeCloseTo(0.924, 3);
    close(gains('7.1.4', 0, 0, 1), { Ltf: 0.5, Rtf: 0.5, Ltr: 0.5, Rtr: 0.5 });
    close(gains('7.1.4', -0.5, 1, 0), { L: H, C: H });
  });

  it('feeds only the speaker an object sits on, never the LFE', () => {
    for (const id of LAYOUT_IDS) {
      for (const s of LAYOUTS[id].speakers) {
        if (s.lfe) continue;
        const g = gains(id, s.x, s.y, s.z);
        expect(Object.values(g).reduce((a, b) => a + b, 0), `${id} ${s.label}`).toBeCloseTo(1, 9);
        expect(g[s.label], `${id} ${s.label}`).toBeCloseTo(1, 9);
      }
    }
  });

  it('on an 11^3 grid, in every layout and size: gains >= 0, power 1, left/right symmetric, no LFE', () => {
    for (const id of LAYOUT_IDS) {
      const speakers = LAYOUTS[id].speakers;
      const mirror = speakers.map((s) => speakers.findIndex((t) => t.x === -s.x && t.y === s.y && t.z === s.z && !!t.lfe === !!s.lfe));
      const p = new AllocentricPanner(LAYOUTS[id]);
      const g = new Float64Array(p.channels);
      const m = new Float64Array(p.channels);
      for (const size of [0, 0.3]) {
        for (let i = 0; i <= 10; i++) for (let j = 0; j <= 10; j++) for (let k = 0; k <= 10; k++) {
          const x = -1 + i / 5;
          const y = -1 + j / 5;
          const z = k / 10;
          p.objectGains(x, y, z, size, g);
          p.objectGains(-x, y, z, size, m);
          let power = 0;
          for (let c = 0; c < g.length; c++) {
            expect(g[c]).toBeGreaterThanOrEqual(0);
            power += g[c] * g[c];
            if (speakers[c].lfe) expect(g[c]).toBe(0);
            expect(Math.abs(g[c] - m[mirror[c]])).toBeLessThan(1e-9);
          }
          expect(Math.abs(power - 1)).toBeLessThan(1e-9);
        }
      }
    }
  });

  it('is smooth in position: a step of 0.001 moves no gain by more than 0.01', () => {
    const p = new AllocentricPanner(layout('7.1.4'));
    const a = new Float64Array(p.channels);
    const b = new Float64Array(p.channels);
    let worst = 0;
    for (let t = 0; t < 2000; t++) {
      const x = Math.sin(t / 300);
      const y = Math.cos(t / 170);
      const z = 0.5 + 0.5 * Math.sin(t / 90);
      p.gains(x, y, z, a);
      p.gains(x + 0.001, y + 0.001, Math.min(1, z + 0.001), b);
      for (let c = 0; c < a.length; c++) worst = Math.max(worst, Math.abs(a[c] - b[c]));
    }
    expect(worst).toBeLessThan(0.01);
  });
});

describe('object keyframes', () => {
  const o: SpatialObject = { x: 0, y: 1, z: 0, gainDb: 0, size: 0, keyframes: [{ atSamples: 400, x: -1, y: 0, z: 1 }, { atSamples: 800, x: 1, y: -1, z: 0, jump: true }] };
  const at = (t: number) => {
    const p = new Float64Array(3);
    positionAt(o, t, p);
    return [...p];
  };
  it('moves linearly to a keyframe, jumps where it says, and holds after the last', () => {
    expect(at(0)).toEqual([0, 1, 0]);
    expect(at(200)).toEqual([-0.5, 0.5, 0.5]);
    expect(at(400)).toEqual([-1, 0, 1]);
    expect(at(799)).toEqual([-1, 0, 1]);
    expect(at(800)).toEqual([1, -1, 0]);
    expect(at(5000)).toEqual([1, -1, 0]);
  });
});

describe('the spatial mixer', () => {
  it('ramps a moving object gain sample by sample (no zipper), and feeds the LFE nothing', async () => {
    const rate = 48_000;
    const n = rate;
    const clip = createClip({ assetId: 'dc', lengthSamples: n, spatial: { object: { x: -1, y: 1, z: 0, gainDb: 0, size: 0, keyframes: [{ atSamples: n, x: 1, y: 1, z: 0 }] } } });
    const album = createAlbum({ rateHz: rate, immersive: { monitor: '5.1' }, tracks: [createTrack(rate, { gapBeforeSamples: 0, clips: [clip] })] });
    const mixer = new SpatialMixer(album, '5.1', { channelsOf: () => 1, read: async (_c, _s, k, out) => void out[0].fill(0.5, 0, k) }, n);
    const out = Array.from({ length: 6 }, () => new Float32Array(n));
    await mixer.mix(0, n, out);
    const [l, r, c, lfe] = out;
    expect(lfe.every((x) => x === 0)).toBe(true);
    // Left to centre to right, power kept, and no step between samples larger than the ramp's own.
    expect(l[0] / 0.5).toBeCloseTo(1, 3);
    expect(c[n / 2 - 1] / 0.5).toBeCloseTo(1, 2);
    expect(r[n - 1] / 0.5).toBeCloseTo(1, 2);
    let step = 0;
    for (const ch of [l, c, r]) for (let i = 1; i < n; i++) step = Math.max(step, Math.abs(ch[i] - ch[i - 1]));
    // The steepest part of the cos/sin curves: pi/2 of gain over a quarter of a second, times 0.5.
    expect(step).toBeLessThan((0.5 * Math.PI) / 2 / (n / 4) * 1.01);
    for (let i = 0; i < n; i += 997) expect(l[i] ** 2 + c[i] ** 2 + r[i] ** 2).toBeCloseTo(0.25, 4);
  });

  it('keeps beds, objects and keyframes through album.json', () => {
    const doc = parseAlbumJson(JSON.stringify({
      format: 'lathe-album', version: 1, rateHz: 48_000, immersive: { monitor: '7.1.4' },
      tracks: [{ clips: [{ source: 'bed.wav', bed: '7.1.2' }, { source: 'vox.wav', object: { x: 0, y: 1, z: 0, gainDb: 0, size: 0, keyframes: [{ atSec: 4, x: -1, y: 0, z: 1 }, { atSec: 8, x: 1, y: -1, z: 0, jump: true }] } }] }]
    }));
    const assets = new Map([['bed.wav', { id: 'b', rateHz: 48_000, frames: 480_000 }], ['vox.wav', { id: 'v', rateHz: 48_000, frames: 480_000 }]]);
    const album = albumFromDocument(doc, assets);
    expect(album.immersive).toEqual({ monitor: '7.1.4' });
    expect(album.tracks[0].clips[0].spatial).toEqual({ bed: '7.1.2' });
    expect(album.tracks[0].clips[1].spatial).toEqual({ object: { x: 0, y: 1, z: 0, gainDb: 0, size: 0, keyframes: [{ atSamples: 192_000, x: -1, y: 0, z: 1 }, { atSamples: 384_000, x: 1, y: -1, z: 0, jump: true }] } });
    const again = albumFromDocument(parseAlbumJson(JSON.stringify(albumToDocument(album, (id) => (id === 'b' ? 'bed.wav' : 'vox.wav')))), assets);
    expect(again.tracks[0].clips.map((c) => c.spatial)).toEqual(album.tracks[0].clips.map((c) => c.spatial));
    // At another rate the keyframes move with the clips.
    expect((rescaleAlbum(album, 96_000).tracks[0].clips[1].spatial as { object: { keyframes: { atSamples: number }[] } }).object.keyframes[0].atSamples).toBe(384_000);
  });
});
