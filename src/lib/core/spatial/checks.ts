/**
 * Fold-down checks of an immersive album, per track and for the album: the loudness of each
 * fold-down (5.1, Lo/Ro, Lt/Rt) against the immersive render (BS.1770 with surround weights),
 * true-peak overs after each matrix, the mono sum's energy loss, centre build-up, the LFE's level
 * and what it carries above 150 Hz, and per object the energy each matrix loses and when.
 */
import type { Album } from '../album/model';
import { layoutAlbum } from '../album/timeline';
import { LoudnessMeter } from '../analysis/loudness';
import { TruePeakMeter } from '../analysis/truepeak';
import { dbfs, round } from '../analysis/analyzer';
import { Biquad, designBiquad } from '../dsp/biquad';
import { LAYOUTS, type LayoutId } from './layouts';
import { FOLD_DOWNS, applyMatrix, foldDownMatrix, loudnessWeights, type FoldDownId, type Matrix } from './downmix';
import { SpatialMixer, type SpatialSource } from './render';
import { clipSpatial } from './model';

export const FOLD_LIMIT_LU = 2;
export const LFE_HIGH_HZ = 150;
const BLOCK = 16_384;

export interface FoldDownReport {
  id: FoldDownId;
  label: string;
  integratedLufs: number | null;
  /** Against the immersive render's loudness. */
  deltaLu: number | null;
  truePeakDbtp: number | null;
  /** Samples above full scale after the matrix, all channels. */
  oversSamples: number;
}

export interface ObjectLoss {
  /** "track 2, clip 1 (vox.wav)", with L/R for the channels of a stereo object. */
  name: string;
  track: number;
  /** Energy kept by each fold-down against the immersive render over the track, in dB (0: nothing lost). */
  lossDb: Partial<Record<FoldDownId, number>>;
  /** The moment a fold-down loses most of it: which, how much then, and when (seconds from the track's INDEX 01). */
  worst: { id: FoldDownId; lossDb: number; atSec: number } | null;
}

export interface Finding {
  track: number | null;
  object?: string;
  atSec?: number;
  message: string;
}

export interface SpatialTrackReport {
  track: number;
  title: string;
  integratedLufs: number | null;
  foldDowns: FoldDownReport[];
  /** Lo/Ro summed to mono against Lo/Ro, in dB (-3 for uncorrelated sides, 0 for mono). */
  monoSumDb: number | null;
  /** How much more of Lo/Ro is Mid (against Side) than in a plain left/right sum of the speakers, in dB. */
  centreBuildUpDb: number | null;
  lfe: { levelDbfs: number | null; above150HzDb: number | null } | null;
  objects: ObjectLoss[];
}

export interface SpatialReport {
  layout: LayoutId;
  album: { integratedLufs: number | null; foldDowns: FoldDownReport[] };
  tracks: SpatialTrackReport[];
  findings: Finding[];
}

const e2db = (e: number) => (e > 0 ? 10 * Math.log10(e) : null);

class Meters {
  readonly immersive: LoudnessMeter;
  readonly folds: { id: FoldDownId; loud: LoudnessMeter; peak: TruePeakMeter; overs: number }[];
  mid = 0;
  side = 0;
  monoE = 0;
  stereoE = 0;
  refMid = 0;
  refSide = 0;
  lfeE = 0;
  lfeHighE = 0;
  frames = 0;
  constructor(rate: number, channels: number, weights: number[]) {
    this.immersive = new LoudnessMeter(rate, channels, { weights, keepSeries: false });
    this.folds = FOLD_DOWNS.map((f) => ({ id: f.id, loud: new LoudnessMeter(rate, f.channels, { weights: f.id === '5.1' ? loudnessWeights(LAYOUTS['5.1']) : [1, 1], keepSeries: false }), peak: new TruePeakMeter(f.channels, rate), overs: 0 }));
  }
}

function foldReports(m: Meters, immersive: number | null): FoldDownReport[] {
  return m.folds.map((f) => {
    const lufs = f.loud.integratedLufs();
    return { id: f.id, label: FOLD_DOWNS.find((d) => d.id === f.id)!.label, integratedLufs: round(lufs), deltaLu: lufs === null || immersive === null ? null : round(lufs - immersive), truePeakDbtp: round(dbfs(f.peak.maxPeak())), oversSamples: f.overs };
  });
}

export async function spatialCheck(album: Album, source: SpatialSource, hooks: { onProgress?: (f: number) => void } = {}): Promise<SpatialReport> {
  const layoutId = album.immersive?.monitor ?? '7.1.4';
  const lay = LAYOUTS[layoutId];
  const rate = album.rateHz;
  const N = lay.speakers.length;
  const mixer = new SpatialMixer(album, layoutId, source, BLOCK);
  const matrices: Record<FoldDownId, Matrix> = { '5.1': foldDownMatrix(lay, '5.1'), LoRo: foldDownMatrix(lay, 'LoRo'), LtRt: foldDownMatrix(lay, 'LtRt') };
  const weights = loudnessWeights(lay);
  const lfeIndex = lay.speakers.findIndex((s) => s.lfe);
  const xs = lay.speakers.map((s) => (s.lfe ? null : s.x));
  const pos = layoutAlbum(album);
  const out = Array.from({ length: N }, () => new Float32Array(BLOCK));
  const folded: Record<FoldDownId, Float32Array[]> = { '5.1': Array.from({ length: 6 }, () => new Float32Array(BLOCK)), LoRo: [new Float32Array(BLOCK), new Float32Array(BLOCK)], LtRt: [new Float32Array(BLOCK), new Float32Array(BLOCK)] };
  const lfeHigh = new Biquad(1);
  lfeHigh.set(designBiquad('highPass', LFE_HIGH_HZ, 0, Math.SQRT1_2, rate));
  const lfeBuf = [new Float32Array(BLOCK)];
  const albumMeters = new Meters(rate, N, weights);
  const tracks: SpatialTrackReport[] = [];
  const findings: Finding[] = [];
  const g = new Float64Array(N);
  const folds = FOLD_DOWNS.map((f) => f.id);
  const total = pos.totalSamples - (pos.tracks[0]?.index01Samples ?? 0);
  let done = 0;

  for (const [ti, placement] of pos.tracks.entries()) {
    const m = new Meters(rate, N, weights);
    // Per object channel: energy through each matrix and in the render, and the worst block.
    const objects = new Map<string, { track: number; e: number; kept: Record<FoldDownId, number>; worst: { id: FoldDownId; ratio: number; atSec: number } | null }>();
    const end = placement.nextStartSamples;
    for (let at = placement.index01Samples; at < end; at += BLOCK) {
      const n = Math.min(BLOCK, end - at);
      await mixer.mix(at, n, out, (clip, trackIndex, audio, start, len, clipOffset) => {
        const s = clipSpatial(clip);
        if (!('object' in s)) return;
        const ci = album.tracks[trackIndex].clips.indexOf(clip);
        const base = `track ${trackIndex + 1}, clip ${ci + 1}${source.nameOf ? ` (${source.nameOf(clip)})` : ''}`;
        audio.forEach((ch, k) => {
          let e = 0;
          for (let i = 0; i < len; i++) e += ch[i] * ch[i];
          if (e === 0) return;
          const name = audio.length === 2 ? `${base} ${k ? 'R' : 'L'}` : base;
          const w = audio.length === 2 ? (k ? 1 : -1) * Math.max(s.object.size, 1e-9) / 2 : 0;
          mixer.objectGains(s.object, clipOffset + (len >> 1), g, w);
          let kept = 0;
          for (let r = 0; r < N; r++) kept += g[r] * g[r];
          const o = objects.get(name) ?? { track: trackIndex + 1, e: 0, kept: { '5.1': 0, LoRo: 0, LtRt: 0 }, worst: null };
          o.e += e * kept;
          for (const id of folds) {
            const mx = matrices[id];
            let d = 0;
            for (let r = 0; r < mx.rows; r++) {
              let v = 0;
              for (let c = 0; c < N; c++) v += mx.m[r * N + c] * g[c];
              d += v * v;
            }
            o.kept[id] += e * d;
            const ratio = kept > 0 ? d / kept : 1;
            if (!o.worst || ratio < o.worst.ratio) o.worst = { id, ratio, atSec: (at + start + (len >> 1) - placement.index01Samples) / rate };
          }
          objects.set(name, o);
        });
      });
      for (const meters of [m, albumMeters]) meters.immersive.process(out, n);
      for (const [k, id] of folds.entries()) {
        const f = folded[id];
        applyMatrix(matrices[id], out, n, f);
        for (const meters of [m, albumMeters]) {
          meters.folds[k].loud.process(f, n);
          meters.folds[k].peak.process(f, n);
          let over = 0;
          for (const ch of f) for (let i = 0; i < n; i++) if (ch[i] > 1 || ch[i] < -1) over++;
          meters.folds[k].overs += over;
        }
      }
      // Mono sum of Lo/Ro; centre build-up against a plain left/right sum of the speakers.
      const [lo, ro] = folded.LoRo;
      let mid = 0, side = 0, mono = 0, st = 0, refMid = 0, refSide = 0;
      for (let i = 0; i < n; i++) {
        const a = lo[i];
        const b = ro[i];
        mid += (a + b) * (a + b);
        side += (a - b) * (a - b);
        st += a * a + b * b;
        let l = 0;
        let r = 0;
        for (let c = 0; c < N; c++) {
          const x = xs[c];
          if (x === null) continue;
          if (x < 0) l += out[c][i];
          else if (x > 0) r += out[c][i];
          else ((l += Math.SQRT1_2 * out[c][i]), (r += Math.SQRT1_2 * out[c][i]));
        }
        refMid += (l + r) * (l + r);
        refSide += (l - r) * (l - r);
      }
      mono = mid / 2;
      if (lfeIndex >= 0) {
        const lfe = out[lfeIndex];
        let e = 0;
        for (let i = 0; i < n; i++) e += lfe[i] * lfe[i];
        lfeHigh.process([lfe], lfeBuf, n);
        let h = 0;
        for (let i = 0; i < n; i++) h += lfeBuf[0][i] * lfeBuf[0][i];
        for (const meters of [m, albumMeters]) ((meters.lfeE += e), (meters.lfeHighE += h));
      }
      for (const meters of [m, albumMeters]) {
        meters.mid += mid;
        meters.side += side;
        meters.monoE += mono;
        meters.stereoE += st;
        meters.refMid += refMid;
        meters.refSide += refSide;
        meters.frames += n;
      }
      done += n;
      hooks.onProgress?.(Math.min(1, done / Math.max(1, total)));
    }
    const t = album.tracks[ti];
    const immersive = m.immersive.integratedLufs();
    const foldDowns = foldReports(m, immersive);
    const msRatio = (a: number, b: number) => (a > 0 && b > 0 ? 10 * Math.log10(a / b) : null);
    const built = msRatio(m.mid, m.side);
    const ref = msRatio(m.refMid, m.refSide);
    const report: SpatialTrackReport = {
      track: ti + 1,
      title: t.title,
      integratedLufs: round(immersive),
      foldDowns,
      monoSumDb: round(m.stereoE > 0 ? e2db(m.monoE / m.stereoE) : null),
      centreBuildUpDb: round(built !== null && ref !== null ? built - ref : null),
      lfe: lfeIndex >= 0 ? { levelDbfs: round(e2db(m.lfeE / Math.max(1, m.frames))), above150HzDb: round(m.lfeE > 0 && m.lfeHighE > 0 ? 10 * Math.log10(m.lfeHighE / m.lfeE) : null) } : null,
      objects: [...objects].map(([name, o]) => {
        const lossDb = Object.fromEntries(folds.map((id) => [id, round(o.e > 0 && o.kept[id] > 0 ? 10 * Math.log10(o.kept[id] / o.e) : null) ?? -120])) as Record<FoldDownId, number>;
        const w = o.worst;
        return { name, track: o.track, lossDb, worst: w ? { id: w.id, lossDb: round(w.ratio > 0 ? 10 * Math.log10(w.ratio) : -120) ?? -120, atSec: round(w.atSec) ?? 0 } : null };
      })
    };
    tracks.push(report);
    for (const f of foldDowns) {
      if (f.deltaLu !== null && Math.abs(f.deltaLu) > FOLD_LIMIT_LU) findings.push({ track: ti + 1, message: `${f.label} is ${f.deltaLu > 0 ? '+' : ''}${f.deltaLu.toFixed(1)} LU against the immersive mix (limit ±${FOLD_LIMIT_LU} LU).` });
      if (f.truePeakDbtp !== null && f.truePeakDbtp > -1) findings.push({ track: ti + 1, message: `${f.label} peaks at ${f.truePeakDbtp.toFixed(1)} dBTP${f.oversSamples ? `, ${f.oversSamples} samples over full scale` : ''}.` });
    }
    if (report.monoSumDb !== null && report.monoSumDb < -4.5) findings.push({ track: ti + 1, message: `the mono sum of Lo/Ro loses ${(-report.monoSumDb).toFixed(1)} dB: parts cancel in mono.` });
    if (report.centreBuildUpDb !== null && report.centreBuildUpDb > 3) findings.push({ track: ti + 1, message: `the centre builds up by ${report.centreBuildUpDb.toFixed(1)} dB in Lo/Ro.` });
    if (report.lfe?.above150HzDb !== null && report.lfe && report.lfe.above150HzDb !== null && report.lfe.above150HzDb > -20) findings.push({ track: ti + 1, message: `the LFE carries content above ${LFE_HIGH_HZ} Hz (${report.lfe.above150HzDb.toFixed(1)} dB of it): low-pass it at 100 to 150 Hz.` });
    for (const o of report.objects) {
      if (o.worst && o.worst.lossDb < -3) findings.push({ track: o.track, object: o.name, atSec: o.worst.atSec, message: `${o.name} loses ${(-o.worst.lossDb).toFixed(1)} dB in ${FOLD_DOWNS.find((d) => d.id === o.worst!.id)!.label}, most around ${o.worst.atSec.toFixed(2)} s.` });
    }
  }
  const albumLufs = albumMeters.immersive.integratedLufs();
  const albumFolds = foldReports(albumMeters, albumLufs);
  for (const f of albumFolds) if (f.deltaLu !== null && Math.abs(f.deltaLu) > FOLD_LIMIT_LU) findings.push({ track: null, message: `the album's ${f.label} is ${f.deltaLu > 0 ? '+' : ''}${f.deltaLu.toFixed(1)} LU against the immersive mix.` });
  return { layout: layoutId, album: { integratedLufs: round(albumLufs), foldDowns: albumFolds }, tracks, findings };
}
