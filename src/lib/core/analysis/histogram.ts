/**
 * Block loudness kept as a fine histogram of energies, so gating an hour of audio needs the same
 * memory as gating a second. Each bin holds a count and the exact sum of its blocks' energies.
 */

const MIN_LUFS = -70;
const MAX_LUFS = 30;
const BIN_LU = 0.005;
const BINS = Math.round((MAX_LUFS - MIN_LUFS) / BIN_LU);

export const LOUDNESS_OFFSET = -0.691;
export const energyToLufs = (e: number) => LOUDNESS_OFFSET + 10 * Math.log10(e);
export const lufsToEnergy = (l: number) => Math.pow(10, (l - LOUDNESS_OFFSET) / 10);

export class LoudnessHistogram {
  readonly counts = new Float64Array(BINS);
  readonly energies = new Float64Array(BINS);

  /** Adds one block by its mean-square energy; blocks under the -70 LUFS absolute gate are dropped. */
  add(energy: number): void {
    if (!(energy > 0)) return;
    const l = energyToLufs(energy);
    if (l < MIN_LUFS) return;
    const bin = Math.min(BINS - 1, Math.floor((l - MIN_LUFS) / BIN_LU));
    this.counts[bin]++;
    this.energies[bin] += energy;
  }

  merge(other: LoudnessHistogram): void {
    for (let i = 0; i < BINS; i++) {
      this.counts[i] += other.counts[i];
      this.energies[i] += other.energies[i];
    }
  }

  private binOf(lufs: number): number {
    return Math.max(0, Math.min(BINS, Math.ceil((lufs - MIN_LUFS) / BIN_LU)));
  }

  /** Mean energy and count of blocks at or above `lufs`. */
  private above(lufs: number): { count: number; energy: number } {
    let count = 0;
    let energy = 0;
    for (let i = this.binOf(lufs); i < BINS; i++) {
      count += this.counts[i];
      energy += this.energies[i];
    }
    return { count, energy };
  }

  /** BS.1770 gated loudness: absolute gate -70, then a relative gate `relativeLu` below. */
  gatedLufs(relativeLu = -10): number | null {
    const all = this.above(MIN_LUFS);
    if (all.count === 0) return null;
    const gate = energyToLufs(all.energy / all.count) + relativeLu;
    const gated = this.above(gate);
    return gated.count === 0 ? null : energyToLufs(gated.energy / gated.count);
  }

  /** EBU Tech 3342 loudness range: relative gate -20 LU, then P95 - P10 of what remains. */
  loudnessRange(): number | null {
    const all = this.above(MIN_LUFS);
    if (all.count === 0) return null;
    const gate = energyToLufs(all.energy / all.count) - 20;
    const start = this.binOf(gate);
    let n = 0;
    for (let i = start; i < BINS; i++) n += this.counts[i];
    if (n === 0) return null;
    const percentile = (p: number) => {
      const target = p * (n - 1);
      let seen = 0;
      for (let i = start; i < BINS; i++) {
        if (this.counts[i] === 0) continue;
        if (seen + this.counts[i] > target) return MIN_LUFS + (i + 0.5) * BIN_LU;
        seen += this.counts[i];
      }
      return MAX_LUFS;
    };
    return percentile(0.95) - percentile(0.1);
  }
}
