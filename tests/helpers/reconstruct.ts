/**
 * An independent reference for true peak: the signal reconstructed at 16x by zero-padding its
 * spectrum (ideal band-limited interpolation of the whole sequence), with its own radix-2 FFT so
 * that nothing of core's is used to check core.
 */

function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const half = len >> 1;
    const wr = new Float64Array(half);
    const wi = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      wr[k] = Math.cos(ang * k);
      wi[k] = Math.sin(ang * k);
    }
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const a = i + k;
        const b = a + half;
        const xr = re[b] * wr[k] - im[b] * wi[k];
        const xi = re[b] * wi[k] + im[b] * wr[k];
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/**
 * The largest magnitude of x reconstructed at `factor` times its rate. The sequence is taken as
 * followed by silence (zero-padded to twice a power of two), so give signals that end in silence.
 */
export function reconstructedPeak(x: Float32Array, factor = 16): number {
  let n = 1;
  while (n < 2 * x.length) n <<= 1;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  re.set(x);
  fft(re, im, false);
  const m = n * factor;
  const ure = new Float64Array(m);
  const uim = new Float64Array(m);
  const half = n / 2;
  for (let k = 0; k < half; k++) {
    ure[k] = re[k];
    uim[k] = im[k];
  }
  for (let k = 1; k < half; k++) {
    ure[m - k] = re[n - k];
    uim[m - k] = im[n - k];
  }
  // The Nyquist bin is split between the two halves so the result stays real.
  ure[half] = re[half] / 2;
  ure[m - half] = re[half] / 2;
  fft(ure, uim, true);
  let peak = 0;
  for (let i = 0; i < m; i++) peak = Math.max(peak, Math.abs(ure[i]));
  return peak / n;
}

export const reconstructedPeakDb = (channels: Float32Array[], factor = 16) => 20 * Math.log10(Math.max(...channels.map((c) => reconstructedPeak(c, factor))));
