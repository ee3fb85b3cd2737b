/** Signal statistics gathered in one pass: DC, clipped runs, correlation, silence at the edges. */

/** A sample at or past the largest 16-bit code counts as full scale. */
export const CLIP_LEVEL = 32767 / 32768;
/** Runs this long or longer at full scale are reported as clipping. */
export const MIN_CLIP_RUN = 3;
/** Below -60 dBFS counts as silence at the head and tail. */
export const SILENCE_LEVEL = 0.001;

export class SignalStats {
  readonly sums: Float64Array;
  /** Sum of squares over all channels, for the RMS level and crest factor. */
  sumSquares = 0;
  /** Largest sample magnitude seen, over all channels. */
  samplePeak = 0;
  private readonly runs: Int32Array;
  clippedRuns = 0;
  longestClipRun = 0;
  frames = 0;
  firstSound = -1;
  lastSound = -1;
  private sumLR = 0;
  private sumLL = 0;
  private sumRR = 0;
  /** Correlation per 3 s window, to find the worst stretch. */
  private winLR = 0;
  private winLL = 0;
  private winRR = 0;
  private winFrames = 0;
  private readonly windowFrames: number;
  worstWindowCorrelation: number | null = null;

  constructor(
    readonly channels: number,
    readonly rateHz: number
  ) {
    this.sums = new Float64Array(channels);
    this.runs = new Int32Array(channels);
    this.windowFrames = Math.round(3 * rateHz);
  }

  process(planar: Float32Array[], n: number, offset = 0): void {
    const end = offset + n;
    for (let ch = 0; ch < this.channels; ch++) {
      const x = planar[ch];
      let sum = 0;
      let sq = 0;
      let max = 0;
      for (let i = offset; i < end; i++) {
        const v = x[i];
        sum += v;
        sq += v * v;
        const a = v < 0 ? -v : v;
        if (a > max) max = a;
      }
      this.sums[ch] += sum;
      this.sumSquares += sq;
      if (max > this.samplePeak) this.samplePeak = max;
      // Clipping is rare: look for runs only in blocks that reach full scale, or that end a run.
      if (max >= CLIP_LEVEL || this.runs[ch] > 0) this.scanClips(ch, x, offset, end);
      if (max > SILENCE_LEVEL) this.markSound(x, offset, end);
    }
    if (this.channels >= 2) this.correlate(planar[0], planar[1], n, offset);
    this.frames += n;
  }

  private scanClips(ch: number, x: Float32Array, from: number, to: number): void {
    let run = this.runs[ch];
    for (let i = from; i < to; i++) {
      const a = x[i] < 0 ? -x[i] : x[i];
      if (a >= CLIP_LEVEL) run++;
      else {
        if (run >= MIN_CLIP_RUN) this.closeRun(run);
        run = 0;
      }
    }
    this.runs[ch] = run;
  }

  /** Moves the first and last sounding frames out to this block's loud samples. */
  private markSound(x: Float32Array, from: number, to: number): void {
    const base = this.frames - from;
    if (this.firstSound < 0 || base + from < this.firstSound) {
      for (let i = from; i < to; i++) {
        if (Math.abs(x[i]) > SILENCE_LEVEL) {
          if (this.firstSound < 0 || base + i < this.firstSound) this.firstSound = base + i;
          break;
        }
      }
    }
    for (let i = to - 1; i >= from && base + i > this.lastSound; i--) {
      if (Math.abs(x[i]) > SILENCE_LEVEL) {
        this.lastSound = base + i;
        break;
      }
    }
  }

  private closeRun(run: number): void {
    this.clippedRuns++;
    if (run > this.longestClipRun) this.longestClipRun = run;
  }

  private correlate(l: Float32Array, r: Float32Array, n: number, offset: number): void {
    let i = offset;
    const end = offset + n;
    while (i < end) {
      const m = Math.min(end - i, this.windowFrames - this.winFrames);
      let lr = 0;
      let ll = 0;
      let rr = 0;
      for (let k = i; k < i + m; k++) {
        lr += l[k] * r[k];
        ll += l[k] * l[k];
        rr += r[k] * r[k];
      }
      this.winLR += lr;
      this.winLL += ll;
      this.winRR += rr;
      this.winFrames += m;
      i += m;
      if (this.winFrames === this.windowFrames) this.closeWindow();
    }
  }

  private closeWindow(): void {
    const c = correlation(this.winLR, this.winLL, this.winRR);
    // Windows that are nearly silent say nothing about mono compatibility.
    if (c !== null && this.winLL + this.winRR > this.windowFrames * 2e-6) {
      this.worstWindowCorrelation = this.worstWindowCorrelation === null ? c : Math.min(this.worstWindowCorrelation, c);
    }
    this.sumLR += this.winLR;
    this.sumLL += this.winLL;
    this.sumRR += this.winRR;
    this.winLR = this.winLL = this.winRR = 0;
    this.winFrames = 0;
  }

  finish(): void {
    for (let ch = 0; ch < this.channels; ch++) {
      if (this.runs[ch] >= MIN_CLIP_RUN) this.closeRun(this.runs[ch]);
      this.runs[ch] = 0;
    }
    if (this.winFrames > 0) {
      this.sumLR += this.winLR;
      this.sumLL += this.winLL;
      this.sumRR += this.winRR;
      this.winLR = this.winLL = this.winRR = 0;
      this.winFrames = 0;
    }
  }

  /** Pearson correlation of the first two channels over the whole signal. */
  correlation(): number | null {
    return this.channels >= 2 ? correlation(this.sumLR, this.sumLL, this.sumRR) : null;
  }

  /** DC offset per channel, as a fraction of full scale. */
  dcOffsets(): number[] {
    return Array.from(this.sums, (s) => (this.frames ? s / this.frames : 0));
  }
}

function correlation(lr: number, ll: number, rr: number): number | null {
  const d = Math.sqrt(ll * rr);
  return d > 0 ? lr / d : null;
}
