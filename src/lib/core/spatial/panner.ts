/**
 * The allocentric panner of ITU-R BS.2127 for the cube layouts of layouts.ts: an object's
 * position is bracketed by the two speaker planes around its z, in each plane by the two rows
 * around its y, in each row by the two speakers around its x; along each axis the pair gets
 * cos(a·π/2) and sin(a·π/2) of the fraction a between them, and a speaker's gain is the product.
 * Gains are >= 0, their squares sum to 1, they are left/right symmetric and continuous in
 * position; the LFE is never fed. Allocates nothing per call.
 */
import type { Layout } from './layouts';

interface Row {
  y: number;
  xs: number[];
  speakers: number[];
}
interface Plane {
  z: number;
  rows: Row[];
}

/** Where p falls among sorted values: the lower index, the upper, and the fraction between. */
function bracket(values: number[], p: number, out: Float64Array): void {
  const last = values.length - 1;
  if (p <= values[0] || last === 0) return void ((out[0] = 0), (out[1] = 0), (out[2] = 0));
  if (p >= values[last]) return void ((out[0] = last), (out[1] = last), (out[2] = 0));
  let i = 0;
  while (values[i + 1] < p) i++;
  out[0] = i;
  out[1] = i + 1;
  out[2] = (p - values[i]) / (values[i + 1] - values[i]);
}

const HALF_PI = Math.PI / 2;
/** Offsets of the points an object of size > 0 spreads over (a 5 x 5 x 5 grid in the unit cube). */
const SPREAD = (() => {
  const steps = [-1, -0.5, 0, 0.5, 1];
  const pts: number[] = [];
  for (const dx of steps) for (const dy of steps) for (const dz of steps) pts.push(dx, dy, dz);
  return Float64Array.from(pts);
})();

export class AllocentricPanner {
  readonly channels: number;
  private readonly planes: Plane[];
  private readonly zs: number[];
  private readonly at = new Float64Array(3);
  private readonly point: Float64Array;

  constructor(readonly layout: Layout) {
    this.channels = layout.speakers.length;
    this.point = new Float64Array(this.channels);
    const byZ = new Map<number, Map<number, { x: number; i: number }[]>>();
    layout.speakers.forEach((s, i) => {
      if (s.lfe) return;
      const rows = byZ.get(s.z) ?? new Map();
      byZ.set(s.z, rows);
      rows.set(s.y, [...(rows.get(s.y) ?? []), { x: s.x, i }]);
    });
    this.planes = [...byZ]
      .sort((a, b) => a[0] - b[0])
      .map(([z, rows]) => ({
        z,
        rows: [...rows]
          .sort((a, b) => a[0] - b[0])
          .map(([y, list]) => {
            const sorted = [...list].sort((a, b) => a.x - b.x);
            return { y, xs: sorted.map((s) => s.x), speakers: sorted.map((s) => s.i) };
          })
      }));
    this.zs = this.planes.map((p) => p.z);
  }

  /** The speaker gains of a point source at (x, y, z), clamped to the cube, into `out` (one per speaker). */
  gains(x: number, y: number, z: number, out: Float64Array): void {
    out.fill(0);
    this.addPoint(clamp(x, -1, 1), clamp(y, -1, 1), clamp(z, 0, 1), 1, out);
  }

  /**
   * An object of `size` (0 point .. 1 the whole room): the power of the points around it, within
   * size on each axis, averaged and normalised to 1.
   */
  objectGains(x: number, y: number, z: number, size: number, out: Float64Array): void {
    if (size <= 0) return this.gains(x, y, z, out);
    const p = this.point;
    out.fill(0);
    const s = Math.min(1, size);
    for (let k = 0; k < SPREAD.length; k += 3) {
      p.fill(0);
      this.addPoint(clamp(x + s * SPREAD[k], -1, 1), clamp(y + s * SPREAD[k + 1], -1, 1), clamp(z + (s * SPREAD[k + 2]) / 2, 0, 1), 1, p);
      for (let i = 0; i < out.length; i++) out[i] += p[i] * p[i];
    }
    let power = 0;
    for (let i = 0; i < out.length; i++) power += out[i];
    const norm = power > 0 ? 1 / Math.sqrt(power) : 0;
    for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(out[i]) * norm;
  }

  private addPoint(x: number, y: number, z: number, weight: number, out: Float64Array): void {
    const at = this.at;
    bracket(this.zs, z, at);
    const z0 = at[0];
    const z1 = at[1];
    const az = at[2];
    this.addPlane(this.planes[z0], x, y, weight * (z0 === z1 ? 1 : Math.cos(az * HALF_PI)), out);
    if (z1 !== z0) this.addPlane(this.planes[z1], x, y, weight * Math.sin(az * HALF_PI), out);
  }

  private addPlane(plane: Plane, x: number, y: number, weight: number, out: Float64Array): void {
    if (weight === 0) return;
    const at = this.at;
    let r0 = 0;
    let r1 = 0;
    let ay = 0;
    const rows = plane.rows;
    if (rows.length > 1) {
      if (y <= rows[0].y) r0 = r1 = 0;
      else if (y >= rows[rows.length - 1].y) r0 = r1 = rows.length - 1;
      else {
        while (rows[r0 + 1].y < y) r0++;
        r1 = r0 + 1;
        ay = (y - rows[r0].y) / (rows[r1].y - rows[r0].y);
      }
    }
    this.addRow(rows[r0], x, weight * (r0 === r1 ? 1 : Math.cos(ay * HALF_PI)), out, at);
    if (r1 !== r0) this.addRow(rows[r1], x, weight * Math.sin(ay * HALF_PI), out, at);
  }

  private addRow(row: Row, x: number, weight: number, out: Float64Array, at: Float64Array): void {
    if (weight === 0) return;
    bracket(row.xs, x, at);
    const i0 = at[0];
    const i1 = at[1];
    if (i0 === i1) {
      out[row.speakers[i0]] += weight;
      return;
    }
    out[row.speakers[i0]] += weight * Math.cos(at[2] * HALF_PI);
    out[row.speakers[i1]] += weight * Math.sin(at[2] * HALF_PI);
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
