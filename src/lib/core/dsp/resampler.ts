/**
 * Rational-ratio resampling designed for mastering: flat to 20 kHz within 0.01 dB, and everything
 * that could alias or image attenuated by 130 dB (stopband from the lower Nyquist frequency).
 * Output j sits exactly at input time j·M/L; streams block by block with no allocation.
 *
 * Two methods compute the same interpolation, out(t) = sum_n x[n] g(t - n) with g a Kaiser-windowed
 * sinc. Where L and M have no prime factor above 7 (every pair of standard audio rates), it runs in
 * the frequency domain: an M·k-point transform of a block of input, the bins below the lower
 * Nyquist weighted by g's spectrum, an L·k-point inverse transform gives the outputs directly,
 * two channels per complex transform. Otherwise (pull-up/down rates), a polyphase filter: going
 * down, the sharp part runs first at the source rate as an FFT convolution and the polyphase stage
 * then needs few taps; going up, one polyphase stage does it all.
 */
import { Fft, smoothFactors } from './fft';

export interface ResamplerDesign {
  fromHz: number;
  toHz: number;
  /** Upsampling factor L and downsampling factor M, reduced: out = in * L / M. */
  up: number;
  down: number;
  method: 'spectral' | 'polyphase';
  /** Taps of the FFT pre-filter at the source rate (polyphase going down; else 0). */
  prefilterTaps: number;
  /** Taps per phase of the polyphase stage (0 for the spectral method). */
  tapsPerPhase: number;
  /** Source frames one output depends on: how much real audio must precede an exact output. */
  spanInputFrames: number;
  passbandHz: number;
  stopbandHz: number;
}

const PASSBAND_HZ = 20_000;
const ATTENUATION_DB = 130;
const CHUNK = 16_384;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Modified Bessel function I0, by its series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 60; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

const BETA = 0.1102 * (ATTENUATION_DB - 8.7);

/** Kaiser's length for the attenuation, in samples, for a transition of `transition` cycles per sample. */
function kaiserSpan(transition: number): number {
  return (ATTENUATION_DB - 7.95) / (2.285 * 2 * Math.PI * transition);
}

/** The Kaiser-windowed sinc with cutoff `cutoff` (cycles per sample), at time t from its centre. */
function windowedSinc(cutoff: number, halfSpan: number, t: number, i0b: number): number {
  if (Math.abs(t) > halfSpan) return 0;
  const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
  const r = t / halfSpan;
  return sinc * (besselI0(BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0b);
}

/** An odd-length Kaiser-windowed sinc low-pass at `rateHz`, gain `gain` at DC. */
function kaiserLowpass(rateHz: number, passHz: number, stopHz: number, gain: number): Float64Array {
  const cutoff = (passHz + stopHz) / 2 / rateHz;
  const length = 2 * Math.ceil(kaiserSpan((stopHz - passHz) / rateHz) / 2) + 1;
  const center = (length - 1) / 2;
  const i0b = besselI0(BETA);
  const h = new Float64Array(length);
  for (let n = 0; n < length; n++) h[n] = windowedSinc(cutoff, center, n - center, i0b) * gain;
  return h;
}

interface ResamplerFilters {
  design: ResamplerDesign;
  /** The pre-filter's impulse response (empty when going up). */
  prefilter: Float64Array;
  /** Polyphase taps: phase p holds prototype taps p, p + L, p + 2L... */
  phases: Float64Array[];
  /** Delay of the polyphase prototype, in prototype samples (at the source rate times L). */
  protoDelay: number;
}

function bands(fromHz: number, toHz: number) {
  const g = gcd(fromHz, toHz);
  const nyquist = Math.min(fromHz, toHz) / 2;
  return { up: toHz / g, down: fromHz / g, nyquist, passband: Math.min(PASSBAND_HZ, nyquist * 0.9) };
}

function designPolyphase(fromHz: number, toHz: number): ResamplerFilters {
  const { up, down, nyquist, passband } = bands(fromHz, toHz);
  const going = toHz < fromHz ? 'down' : 'up';
  const prefilter = going === 'down' ? kaiserLowpass(fromHz, passband, nyquist, 1) : new Float64Array(0);
  // After the pre-filter the source holds nothing above the new Nyquist, so its first image lies
  // at fromHz - nyquist and the polyphase stage only has to stop there.
  const polyStop = going === 'down' ? fromHz - nyquist : nyquist;
  const proto = kaiserLowpass(fromHz * up, passband, polyStop, up);
  const tapsPerPhase = Math.ceil(proto.length / up);
  const phases = Array.from({ length: up }, (_, p) => {
    const h = new Float64Array(tapsPerPhase);
    for (let k = 0; k < tapsPerPhase && p + k * up < proto.length; k++) h[k] = proto[p + k * up];
    return h;
  });
  return {
    design: {
      fromHz,
      toHz,
      up,
      down,
      method: 'polyphase',
      prefilterTaps: prefilter.length,
      tapsPerPhase,
      spanInputFrames: prefilter.length + tapsPerPhase,
      passbandHz: passband,
      stopbandHz: nyquist
    },
    prefilter,
    phases,
    protoDelay: (proto.length - 1) / 2
  };
}

/** Overlap-save convolution with a fixed filter; channels go through in pairs (real and imaginary). */
class FftPrefilter {
  private readonly fft: Fft;
  private readonly size: number;
  private readonly taps: number;
  /** Input frames per transform. */
  readonly hop: number;
  private readonly spectrumRe: Float64Array;
  private readonly spectrumIm: Float64Array;
  /** Per channel pair: the last taps-1 inputs, then up to `hop` new ones. */
  private readonly inRe: Float64Array[];
  private readonly inIm: Float64Array[];
  /** Per channel: the filtered frames of the last transform, at [taps - 1, size). */
  readonly filtered: Float64Array[];
  filled = 0;

  constructor(h: Float64Array, readonly channels: number) {
    this.taps = h.length;
    let size = 1024;
    while (size < 8 * h.length) size *= 2;
    this.size = size;
    this.hop = size - h.length + 1;
    this.fft = new Fft(size);
    this.spectrumRe = new Float64Array(size);
    this.spectrumIm = new Float64Array(size);
    // The inverse transform's 1/size is folded into the spectrum.
    for (let i = 0; i < h.length; i++) this.spectrumRe[i] = h[i] / size;
    this.fft.transform(this.spectrumRe, this.spectrumIm);
    const pairs = Math.ceil(channels / 2);
    this.inRe = Array.from({ length: pairs }, () => new Float64Array(size));
    this.inIm = Array.from({ length: pairs }, () => new Float64Array(size));
    this.filtered = Array.from({ length: pairs * 2 }, () => new Float64Array(size));
  }

  /** Takes up to the free room of frames from `input` at `offset` (zeros when null); returns how many. */
  feed(input: Float32Array[] | null, offset: number, n: number): number {
    const take = Math.min(n, this.hop - this.filled);
    const at = this.taps - 1 + this.filled;
    for (let c = 0; c < this.channels; c++) {
      const dst = (c & 1) === 0 ? this.inRe[c >> 1] : this.inIm[c >> 1];
      if (input) {
        // A typed-array copy widens float32 to float64 natively, several times a loop's speed.
        dst.set(input[c].subarray(offset, offset + take), at);
      } else dst.fill(0, at, at + take);
    }
    this.filled += take;
    return take;
  }

  /** Filters a full hop; the results are in `filtered[c]` at [taps - 1, size). */
  run(): void {
    const { size, taps, spectrumRe: hr, spectrumIm: hi } = this;
    for (let p = 0; p < this.inRe.length; p++) {
      const re = this.filtered[2 * p];
      const im = this.filtered[2 * p + 1];
      re.set(this.inRe[p]);
      im.set(this.inIm[p]);
      this.fft.transform(re, im);
      for (let k = 0; k < size; k++) {
        const xr = re[k];
        const xi = im[k];
        re[k] = xr * hr[k] - xi * hi[k];
        im[k] = xr * hi[k] + xi * hr[k];
      }
      this.fft.transform(re, im, true, false);
      this.inRe[p].copyWithin(0, size - (taps - 1));
      this.inIm[p].copyWithin(0, size - (taps - 1));
    }
    this.filled = 0;
  }
}

/** Streams through the polyphase filters; output j sits at input time j * down / up. */
class PolyphaseResampler implements ResamplerMethod {
  readonly design: ResamplerDesign;
  private readonly phases: Float64Array[];
  private readonly prefilter: FftPrefilter | null;
  /** Per channel: the last T-1 inputs of the polyphase stage, then the current chunk. */
  private readonly history: Float64Array[];
  /** Prototype-rate position of output 0: the pre-filter's delay plus the prototype's. */
  private readonly posOffset: number;
  private consumedIn = 0;
  private consumed = 0;
  private produced = 0;
  private toSkip: number;
  private tail = 0;

  constructor(
    fromHz: number,
    toHz: number,
    readonly channels: number,
    discardOutputs = 0
  ) {
    const d = designPolyphase(fromHz, toHz);
    this.design = d.design;
    this.phases = d.phases;
    this.prefilter = d.prefilter.length ? new FftPrefilter(d.prefilter, channels) : null;
    const preDelay = d.prefilter.length ? (d.prefilter.length - 1) / 2 : 0;
    this.posOffset = preDelay * this.design.up + d.protoDelay;
    this.history = Array.from({ length: channels }, () => new Float64Array(CHUNK + this.design.tapsPerPhase));
    this.toSkip = discardOutputs;
  }

  /** The most outputs `inFrames` more input can complete. */
  maxOutput(inFrames: number): number {
    return Math.ceil(((this.consumedIn + inFrames) * this.design.up) / this.design.down) - this.produced + 1;
  }

  /** Consumes `n` input frames (zeros when `input` is null) and writes the outputs they complete. */
  process(input: Float32Array[] | null, n: number, out: Float32Array[], outOffset = 0): number {
    this.consumedIn += n;
    const pre = this.prefilter;
    if (!pre) {
      let written = 0;
      for (let fed = 0; fed < n; fed += CHUNK) written += this.polyphase(input, fed, Math.min(CHUNK, n - fed), out, outOffset + written);
      return written;
    }
    let written = 0;
    for (let fed = 0; fed < n; ) {
      fed += pre.feed(input, fed, n - fed);
      if (pre.filled === pre.hop) {
        pre.run();
        written += this.polyphase(pre.filtered, this.design.prefilterTaps - 1, pre.hop, out, outOffset + written);
      }
    }
    return written;
  }

  /** Pushes `n` (at most CHUNK) frames into the polyphase stage and writes the outputs they complete. */
  private polyphase(input: ArrayLike<number>[] | null, offset: number, n: number, out: Float32Array[], outOffset: number): number {
    const { up, down, tapsPerPhase: T } = this.design;
    for (let c = 0; c < this.channels; c++) {
      const h = this.history[c];
      h.copyWithin(0, this.tail, this.tail + T - 1);
      if (input) {
        const src = input[c];
        for (let i = 0; i < n; i++) h[T - 1 + i] = src[offset + i];
      } else h.fill(0, T - 1, T - 1 + n);
    }
    this.tail = n;
    const base = this.consumed - (T - 1);
    this.consumed += n;
    let written = 0;
    for (;;) {
      const pos = this.produced * down + this.posOffset;
      const newest = Math.floor(pos / up);
      if (newest >= this.consumed) break;
      this.produced++;
      if (this.toSkip > 0) {
        this.toSkip--;
        continue;
      }
      const coeffs = this.phases[pos - newest * up];
      const at = newest - base;
      let c = 0;
      for (; c + 1 < this.channels; c += 2) dot2(coeffs, T, this.history[c], this.history[c + 1], at, out[c], out[c + 1], outOffset + written);
      if (c < this.channels) out[c][outOffset + written] = dot1(coeffs, T, this.history[c], at);
      written++;
    }
    return written;
  }
}

interface ResamplerMethod {
  readonly design: ResamplerDesign;
  maxOutput(inFrames: number): number;
  process(input: Float32Array[] | null, n: number, out: Float32Array[], outOffset: number): number;
}

interface SpectralDesign {
  design: ResamplerDesign;
  /** Input and output transform sizes (M·k and L·k). */
  sizeIn: number;
  sizeOut: number;
  /** Input frames before the block's first output time, and input frames each block advances. */
  lead: number;
  hop: number;
  /** g's spectrum at the bins kept (below the lower Nyquist), with the 1/sizeIn of the inverse. */
  gain: Float64Array;
}

const spectralDesigns = new Map<string, SpectralDesign | null>();

/** The frequency-domain design, made once per pair of rates; null when L or M has a factor above 7. */
function designSpectral(fromHz: number, toHz: number): SpectralDesign | null {
  const key = `${fromHz}>${toHz}`;
  if (spectralDesigns.has(key)) return spectralDesigns.get(key) ?? null;
  const { up, down, nyquist, passband } = bands(fromHz, toHz);
  let made: SpectralDesign | null = null;
  if (smoothFactors(up) && smoothFactors(down)) {
    // g in input samples: cutoff between the passband and the lower Nyquist.
    const cutoff = (passband + nyquist) / 2 / fromHz;
    const half = kaiserSpan((nyquist - passband) / fromHz) / 2;
    // Outputs of a block must see all of g inside it: `lead` frames before, half + 1 after.
    const lead = down * Math.ceil((half + 1) / down);
    let k = 2;
    while (down * k < 8 * 2 * half || down * k - lead - half - 1 < down) k *= 2;
    const sizeIn = down * k;
    const sizeOut = up * k;
    const hop = down * Math.floor((sizeIn - lead - half - 1) / down);
    // g's continuous spectrum at the input bins: g sampled R times finer, one transform.
    const R = 8;
    const size = R * sizeIn;
    const re = new Float64Array(size);
    const im = new Float64Array(size);
    const i0b = besselI0(BETA);
    for (let j = 0; j <= R * half; j++) {
      const v = windowedSinc(cutoff, half, j / R, i0b);
      re[j] = v;
      if (j > 0) re[size - j] = v;
    }
    new Fft(size).transform(re, im);
    const bins = Math.min(sizeIn, sizeOut) / 2;
    const gain = new Float64Array(bins);
    for (let b = 0; b < bins; b++) gain[b] = re[b] / R / sizeIn;
    const span = Math.ceil(half) + 1;
    made = {
      design: { fromHz, toHz, up, down, method: 'spectral', prefilterTaps: 0, tapsPerPhase: 0, spanInputFrames: 2 * span, passbandHz: passband, stopbandHz: nyquist },
      sizeIn,
      sizeOut,
      lead,
      hop,
      gain
    };
  }
  spectralDesigns.set(key, made);
  return made;
}

/**
 * Block k holds input frames [k·hop - lead, k·hop - lead + sizeIn) and gives the outputs for input
 * times [k·hop, (k + 1)·hop). Input before the first frame is silence.
 */
class SpectralResampler implements ResamplerMethod {
  readonly design: ResamplerDesign;
  private readonly fftIn: Fft;
  private readonly fftOut: Fft;
  /** Per channel pair: the block's input, as real and imaginary parts. */
  private readonly inRe: Float64Array[];
  private readonly inIm: Float64Array[];
  private filled: number;
  private consumedIn = 0;
  private produced = 0;

  constructor(
    private readonly d: SpectralDesign,
    readonly channels: number,
    private toSkip: number
  ) {
    this.design = d.design;
    this.fftIn = new Fft(d.sizeIn);
    this.fftOut = new Fft(d.sizeOut);
    const pairs = Math.ceil(channels / 2);
    this.inRe = Array.from({ length: pairs }, () => new Float64Array(d.sizeIn));
    this.inIm = Array.from({ length: pairs }, () => new Float64Array(d.sizeIn));
    this.filled = d.lead;
  }

  maxOutput(inFrames: number): number {
    return Math.ceil(((this.consumedIn + inFrames) * this.design.up) / this.design.down) - this.produced + 1;
  }

  process(input: Float32Array[] | null, n: number, out: Float32Array[], outOffset = 0): number {
    this.consumedIn += n;
    const { sizeIn } = this.d;
    let written = 0;
    for (let fed = 0; fed < n; ) {
      const take = Math.min(n - fed, sizeIn - this.filled);
      for (let c = 0; c < this.channels; c++) {
        const dst = (c & 1) === 0 ? this.inRe[c >> 1] : this.inIm[c >> 1];
        if (input) {
          dst.set(input[c].subarray(fed, fed + take), this.filled);
        } else dst.fill(0, this.filled, this.filled + take);
      }
      this.filled += take;
      fed += take;
      if (this.filled === sizeIn) written += this.block(out, outOffset + written);
    }
    return written;
  }

  private block(out: Float32Array[], outOffset: number): number {
    const { sizeIn, sizeOut, lead, hop, gain } = this.d;
    const { up, down } = this.design;
    const first = (lead * up) / down;
    const count = (hop * up) / down;
    const skip = Math.min(this.toSkip, count);
    const bins = gain.length;
    const keep = sizeIn - hop;
    // The transforms run in their own arrays: the input stays where it is for the next block.
    const { re: fr, im: fi } = this.fftIn;
    const { re: yr, im: yi } = this.fftOut;
    for (let p = 0; p < this.inRe.length; p++) {
      const xr = this.inRe[p];
      const xi = this.inIm[p];
      fr.set(xr);
      fi.set(xi);
      this.fftIn.transform();
      // The bins below the lower Nyquist, positive and negative, weighted; the rest silent.
      yr[0] = fr[0] * gain[0];
      yi[0] = fi[0] * gain[0];
      for (let b = 1; b < bins; b++) {
        const g = gain[b];
        yr[b] = fr[b] * g;
        yi[b] = fi[b] * g;
        yr[sizeOut - b] = fr[sizeIn - b] * g;
        yi[sizeOut - b] = fi[sizeIn - b] * g;
      }
      yr.fill(0, bins, sizeOut - bins + 1);
      yi.fill(0, bins, sizeOut - bins + 1);
      this.fftOut.transform(undefined, undefined, true, false);
      out[2 * p].set(yr.subarray(first + skip, first + count), outOffset);
      if (2 * p + 1 < this.channels) out[2 * p + 1].set(yi.subarray(first + skip, first + count), outOffset);
      // The next block starts with this one's last frames.
      xr.copyWithin(0, hop);
      xi.copyWithin(0, hop);
    }
    this.filled = keep;
    this.toSkip -= skip;
    this.produced += count;
    return count - skip;
  }
}

/**
 * Streams planar audio at one rate to another. Output j sits at input time j * down / up, the
 * filters' delay already removed; `discardOutputs` drops the first outputs (pre-roll).
 */
export class Resampler {
  private readonly method: ResamplerMethod;

  constructor(fromHz: number, toHz: number, channels: number, discardOutputs = 0) {
    const spectral = designSpectral(fromHz, toHz);
    this.method = spectral ? new SpectralResampler(spectral, channels, discardOutputs) : new PolyphaseResampler(fromHz, toHz, channels, discardOutputs);
  }

  get design(): ResamplerDesign {
    return this.method.design;
  }

  /** The most outputs `inFrames` more input can complete. */
  maxOutput(inFrames: number): number {
    return this.method.maxOutput(inFrames);
  }

  /** Consumes `n` input frames (zeros when `input` is null) and writes the outputs they complete. */
  process(input: Float32Array[] | null, n: number, out: Float32Array[], outOffset = 0): number {
    return this.method.process(input, n, out, outOffset);
  }
}

/**
 * Two channels against one phase of taps, with four independent sums per channel: the adds do
 * not wait on each other, which is most of the speed in a long dot product.
 */
function dot2(c: Float64Array, T: number, l: Float64Array, r: Float64Array, at: number, outL: Float32Array, outR: Float32Array, i: number): void {
  let l0 = 0, l1 = 0, l2 = 0, l3 = 0, r0 = 0, r1 = 0, r2 = 0, r3 = 0;
  let k = 0;
  for (; k + 3 < T; k += 4) {
    const x = at - k;
    const c0 = c[k], c1 = c[k + 1], c2 = c[k + 2], c3 = c[k + 3];
    l0 += c0 * l[x]; l1 += c1 * l[x - 1]; l2 += c2 * l[x - 2]; l3 += c3 * l[x - 3];
    r0 += c0 * r[x]; r1 += c1 * r[x - 1]; r2 += c2 * r[x - 2]; r3 += c3 * r[x - 3];
  }
  for (; k < T; k++) {
    l0 += c[k] * l[at - k];
    r0 += c[k] * r[at - k];
  }
  outL[i] = l0 + l1 + (l2 + l3);
  outR[i] = r0 + r1 + (r2 + r3);
}

function dot1(c: Float64Array, T: number, h: Float64Array, at: number): number {
  let y0 = 0, y1 = 0, y2 = 0, y3 = 0;
  let k = 0;
  for (; k + 3 < T; k += 4) {
    const x = at - k;
    y0 += c[k] * h[x]; y1 += c[k + 1] * h[x - 1]; y2 += c[k + 2] * h[x - 2]; y3 += c[k + 3] * h[x - 3];
  }
  for (; k < T; k++) y0 += c[k] * h[at - k];
  return y0 + y1 + (y2 + y3);
}
