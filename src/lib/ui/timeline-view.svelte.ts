/** What the timeline shows: where it starts and how many samples a pixel holds, from the album to single samples. */
export const MIN_SAMPLES_PER_PX = 1 / 16;

export class TimelineView {
  startSamples = $state(0);
  samplesPerPx = $state(1000);
  widthPx = $state(1000);
  snap = $state(true);
  private totalSamples = 0;
  /** Until the person zooms or scrolls, the view keeps the whole album in it as it grows. */
  private fitted = true;

  setWidth(px: number): void {
    if (px <= 0 || px === this.widthPx) return;
    this.widthPx = px;
    if (this.fitted) this.fitAlbum();
  }

  setTotal(samples: number): void {
    this.totalSamples = samples;
    if (this.fitted) this.fitAlbum();
  }

  private maxSamplesPerPx(): number {
    return Math.max(MIN_SAMPLES_PER_PX, (this.totalSamples * 1.05) / Math.max(1, this.widthPx));
  }

  /** The whole album in view. */
  fitAlbum(totalSamples = this.totalSamples): void {
    this.totalSamples = totalSamples;
    this.samplesPerPx = this.maxSamplesPerPx();
    this.startSamples = 0;
    this.fitted = true;
  }

  /** A span in view, with a little room either side. */
  fitSpan(startSamples: number, endSamples: number): void {
    this.fitted = false;
    const span = Math.max(16, endSamples - startSamples);
    this.samplesPerPx = Math.max(MIN_SAMPLES_PER_PX, Math.min(this.maxSamplesPerPx(), (span * 1.1) / this.widthPx));
    this.scrollTo(startSamples - span * 0.05);
  }

  /** Zooms by a factor (below 1 zooms in) keeping one album sample under the same pixel. */
  zoomAround(samples: number, factor: number): void {
    this.fitted = false;
    const px = (samples - this.startSamples) / this.samplesPerPx;
    this.samplesPerPx = Math.max(MIN_SAMPLES_PER_PX, Math.min(this.maxSamplesPerPx(), this.samplesPerPx * factor));
    this.scrollTo(samples - px * this.samplesPerPx);
  }

  scrollBy(samples: number): void {
    this.fitted = false;
    this.scrollTo(this.startSamples + samples);
  }

  scrollTo(startSamples: number): void {
    const maxStart = Math.max(0, this.totalSamples * 1.05 - this.widthPx * this.samplesPerPx);
    this.startSamples = Math.max(0, Math.min(maxStart, startSamples));
  }
}
