/**
 * BS.1770-4 / EBU R128 loudness, block by block: momentary (400 ms), short-term (3 s), integrated
 * (gated) and loudness range. Energies are kept per 10 ms sub-block so the maxima of momentary
 * and short-term loudness are found at 100 Hz; gating uses 400 ms blocks every 100 ms.
 */
import { kWeightingHighpass, kWeightingShelf, channelWeights, type Biquad } from './kweighting';
import { LoudnessHistogram, energyToLufs } from './histogram';

const MOMENTARY_SUBS = 40;
const SHORT_TERM_SUBS = 300;
const SUBS_PER_HOP = 10;

export interface LoudnessOptions {
  /** BS.1770 weight per channel; from the usual layout for the channel count by default. */
  weights?: number[];
  /** Keep every gating block's energy (to gate an album later). */
  keepBlocks?: boolean;
  /** Keep the short-term series (on by default; a live meter turns it off so memory stays flat). */
  keepSeries?: boolean;
}

export class LoudnessMeter {
  private readonly shelf: Biquad;
  private readonly highpass: Biquad;
  /** Per channel: shelf z1, z2, then high-pass z1, z2. */
  private readonly state: Float64Array;
  private readonly weights: number[];
  private readonly subLength: number;
  private readonly subsPerHop: number;
  private readonly ring = new Float64Array(SHORT_TERM_SUBS);
  private subsSeen = 0;
  private inSub = 0;
  private subAcc = 0;

  readonly gating = new LoudnessHistogram();
  readonly shortTermHistogram = new LoudnessHistogram();
  maxMomentaryEnergy = 0;
  maxShortTermEnergy = 0;
  /** Short-term loudness every 100 ms (null before 3 s of audio or in silence); not kept by live meters. */
  readonly shortTermSeries: (number | null)[] | null;
  /** Gating-block energies, kept only when asked for (to gate an album from stored tracks). */
  readonly blockEnergies: number[] | null;
  /** Every short-term value's energy (10 a second), kept with the blocks: an album's LRA is made from them. */
  readonly shortTermEnergies: number[] | null;

  constructor(
    readonly rateHz: number,
    readonly channels: number,
    options: LoudnessOptions = {}
  ) {
    const weights = options.weights ?? channelWeights(channels);
    this.blockEnergies = options.keepBlocks ? [] : null;
    this.shortTermEnergies = options.keepBlocks ? [] : null;
    this.shortTermSeries = options.keepSeries === false ? null : [];
    this.shelf = kWeightingShelf(rateHz);
    this.highpass = kWeightingHighpass(rateHz);
    this.state = new Float64Array(channels * 4);
    this.weights = weights;
    const hop = Math.round(rateHz / 10);
    // 10 ms sub-blocks where the 100 ms hop divides evenly, else whole hops.
    this.subsPerHop = hop % SUBS_PER_HOP === 0 ? SUBS_PER_HOP : 1;
    this.subLength = hop / this.subsPerHop;
  }

  process(planar: Float32Array[], n: number, offset = 0): void {
    let i = offset;
    const end = offset + n;
    while (i < end) {
      const m = Math.min(this.subLength - this.inSub, end - i);
      this.subAcc += this.filterSum(planar, i, m);
      this.inSub += m;
      i += m;
      if (this.inSub === this.subLength) this.closeSub();
    }
  }

  /** K-weights m samples of every channel and returns their weighted sum of squares. */
  private filterSum(planar: Float32Array[], from: number, m: number): number {
    const { b0, b1, b2, a1, a2 } = this.shelf;
    const { b0: c0, b1: c1, b2: c2, a1: d1, a2: d2 } = this.highpass;
    const s = this.state;
    let total = 0;
    for (let ch = 0; ch < this.channels; ch++) {
      const w = this.weights[ch] ?? 1;
      if (w === 0) continue;
      const x = planar[ch];
      let z1 = s[ch * 4], z2 = s[ch * 4 + 1], y1 = s[ch * 4 + 2], y2 = s[ch * 4 + 3];
      let sum = 0;
      for (let k = from; k < from + m; k++) {
        const v = x[k];
        const u = b0 * v + z1;
        z1 = b1 * v - a1 * u + z2;
        z2 = b2 * v - a2 * u;
        const y = c0 * u + y1;
        y1 = c1 * u - d1 * y + y2;
        y2 = c2 * u - d2 * y;
        sum += y * y;
      }
      storeState(s, ch, z1, z2, y1, y2);
      total += w * sum;
    }
    return total;
  }

  private windowEnergy(subs: number): number {
    let sum = 0;
    for (let k = 1; k <= subs; k++) sum += this.ring[(this.subsSeen - k + SHORT_TERM_SUBS) % SHORT_TERM_SUBS];
    return sum / (subs * this.subLength);
  }

  private closeSub(): void {
    this.ring[this.subsSeen % SHORT_TERM_SUBS] = this.subAcc;
    this.subsSeen++;
    this.subAcc = 0;
    this.inSub = 0;
    const mSubs = MOMENTARY_SUBS * (this.subsPerHop / SUBS_PER_HOP);
    const sSubs = SHORT_TERM_SUBS * (this.subsPerHop / SUBS_PER_HOP);
    const momentary = this.subsSeen >= mSubs ? this.windowEnergy(mSubs) : 0;
    const shortTerm = this.subsSeen >= sSubs ? this.windowEnergy(sSubs) : 0;
    if (momentary > this.maxMomentaryEnergy) this.maxMomentaryEnergy = momentary;
    if (shortTerm > this.maxShortTermEnergy) this.maxShortTermEnergy = shortTerm;
    if (this.subsSeen % this.subsPerHop === 0) {
      if (this.subsSeen >= mSubs) {
        this.gating.add(momentary);
        this.blockEnergies?.push(momentary);
      }
      if (this.subsSeen >= sSubs) {
        this.shortTermHistogram.add(shortTerm);
        this.shortTermEnergies?.push(shortTerm);
        this.shortTermSeries?.push(shortTerm > 0 ? energyToLufs(shortTerm) : null);
      }
    }
  }

  /** Current momentary loudness (the last 400 ms), null before 400 ms or in silence. */
  momentaryLufs(): number | null {
    const subs = MOMENTARY_SUBS * (this.subsPerHop / SUBS_PER_HOP);
    if (this.subsSeen < subs) return null;
    const e = this.windowEnergy(subs);
    return e > 0 ? energyToLufs(e) : null;
  }

  shortTermLufs(): number | null {
    const subs = SHORT_TERM_SUBS * (this.subsPerHop / SUBS_PER_HOP);
    if (this.subsSeen < subs) return null;
    const e = this.windowEnergy(subs);
    return e > 0 ? energyToLufs(e) : null;
  }

  integratedLufs(): number | null {
    return this.gating.gatedLufs();
  }

  loudnessRangeLu(): number | null {
    return this.shortTermHistogram.loudnessRange();
  }

  maxMomentaryLufs(): number | null {
    return this.maxMomentaryEnergy > 0 ? energyToLufs(this.maxMomentaryEnergy) : null;
  }

  maxShortTermLufs(): number | null {
    return this.maxShortTermEnergy > 0 ? energyToLufs(this.maxShortTermEnergy) : null;
  }
}

/** Stores a channel's filter state, flushing denormals so long silences stay fast. */
function storeState(s: Float64Array, ch: number, z1: number, z2: number, y1: number, y2: number): void {
  s[ch * 4] = Math.abs(z1) < 1e-30 ? 0 : z1;
  s[ch * 4 + 1] = Math.abs(z2) < 1e-30 ? 0 : z2;
  s[ch * 4 + 2] = Math.abs(y1) < 1e-30 ? 0 : y1;
  s[ch * 4 + 3] = Math.abs(y2) < 1e-30 ? 0 : y2;
}
