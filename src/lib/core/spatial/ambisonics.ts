/**
 * Second-order ambisonics (ACN channel order, SN3D normalisation, as omnitone's binaural decoder
 * takes it) of a speaker layout: each speaker becomes a plane wave from its BS.2051 direction
 * (azimuth positive to the left, elevation up), so a layout's render is heard as virtual speakers.
 */
import type { Layout } from './layouts';
import type { Matrix } from './downmix';

export const AMBISONIC_ORDER = 2;
export const AMBISONIC_CHANNELS = (AMBISONIC_ORDER + 1) ** 2;
/** The upper layer's elevation (BS.2051 puts U+045, U+135... at 30 degrees). */
const UPPER_ELEVATION_DEG = 30;

/** A speaker's direction from its BS.2051 name: M+030 is 30 degrees left at ear level, U-135 back right above. */
export function speakerDirection(bs2051: string): { azimuthDeg: number; elevationDeg: number } {
  const m = /^([MUB])([+-]\d{3})$/.exec(bs2051);
  if (!m) return { azimuthDeg: 0, elevationDeg: 0 };
  return { azimuthDeg: Number(m[2]), elevationDeg: m[1] === 'U' ? UPPER_ELEVATION_DEG : m[1] === 'B' ? -UPPER_ELEVATION_DEG : 0 };
}

/** The nine ACN/SN3D coefficients of a plane wave from (azimuth, elevation), in degrees. */
export function encodeDirection(azimuthDeg: number, elevationDeg: number, out: Float64Array): void {
  const a = (azimuthDeg * Math.PI) / 180;
  const e = (elevationDeg * Math.PI) / 180;
  const ce = Math.cos(e);
  const se = Math.sin(e);
  const r3 = Math.sqrt(3) / 2;
  out[0] = 1;
  out[1] = Math.sin(a) * ce;
  out[2] = se;
  out[3] = Math.cos(a) * ce;
  out[4] = r3 * ce * ce * Math.sin(2 * a);
  out[5] = r3 * Math.sin(2 * e) * Math.sin(a);
  out[6] = (3 * se * se - 1) / 2;
  out[7] = r3 * Math.sin(2 * e) * Math.cos(a);
  out[8] = r3 * ce * ce * Math.cos(2 * a);
}

/** Rows of ambisonic channels over the layout's speakers; the LFE goes into W alone (both ears alike). */
export function ambisonicMatrix(l: Layout): Matrix {
  const cols = l.speakers.length;
  const m = new Float64Array(AMBISONIC_CHANNELS * cols);
  const c = new Float64Array(AMBISONIC_CHANNELS);
  l.speakers.forEach((s, j) => {
    if (s.lfe) {
      m[j] = 1;
      return;
    }
    const d = speakerDirection(s.bs2051);
    encodeDirection(d.azimuthDeg, d.elevationDeg, c);
    for (let i = 0; i < AMBISONIC_CHANNELS; i++) m[i * cols + j] = c[i];
  });
  return { rows: AMBISONIC_CHANNELS, cols, m };
}
