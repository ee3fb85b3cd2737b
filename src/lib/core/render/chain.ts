/**
 * The chain API the renderer calls for clips, tracks and the master. Kernels come from a factory
 * (the first-party plugins unless told otherwise); a chain naming anything else cannot run outside
 * the browser's plugin host and is refused with the plugin and the slot named.
 */
import type { Chain } from '../album/model';
import { LatheError } from '../errors';
import type { ChainKernel, KernelFactory } from '../dsp/kernel';
import { firstPartyKernel } from '../dsp/plugins';

export type { ChainKernel, KernelFactory };

export interface ChainOptions {
  /** Leave out slots no kernel is made for instead of refusing them (live playback). */
  skipUnavailable?: boolean;
  kernels?: KernelFactory;
}

/** A kernel in its chain, with what errors call it: "slot 2 of track 1 (lathe.eq)", and its slot's index. */
interface Placed {
  kernel: ChainKernel;
  name: string;
  slot: number;
}

/** Hears a dynamics slot's gain reduction as the chain processes: its index, the album sample it was reached at, dB. */
export type ReductionListener = (slot: number, atSample: number, reductionDb: number) => void;

/** Frames between two meter readings when a chain is metered (about 23 ms at 44.1 kHz). */
const METER_FRAMES = 1024;

export class ChainRunner {
  private constructor(
    private readonly placed: Placed[],
    private readonly manualLatencySamples: number
  ) {}

  /** Builds the kernels of a chain; `where` names it in errors ("the master chain", "track 2"). */
  static create(chain: Chain, rateHz: number, channels: number, where: string, options: ChainOptions = {}): ChainRunner {
    const make = options.kernels ?? firstPartyKernel;
    let manual = 0;
    const kernels = chain.flatMap((slot, i) => {
      if (slot.bypass) return [];
      const kernel = make(slot.plugin, slot.params, rateHz, channels);
      if (!kernel && options.skipUnavailable) return [];
      if (!kernel) {
        throw new LatheError('plugin-unavailable', `slot ${i + 1} of ${where} holds ${slot.plugin}, which this renderer cannot run (only first-party Lathe plugins render outside the browser).`);
      }
      manual += slot.manualLatencySamples ?? 0;
      return [{ kernel, name: `slot ${i + 1} of ${where} (${slot.plugin})`, slot: i }];
    });
    return new ChainRunner(kernels, manual);
  }

  get empty(): boolean {
    return this.placed.length === 0;
  }

  get latencySamples(): number {
    return this.placed.reduce((n, p) => n + p.kernel.latencySamples, this.manualLatencySamples);
  }

  /** Set by live playback to feed the GUIs' gain-reduction meters; renders leave it unset. */
  onReduction?: ReductionListener;
  /** Set by live playback to hear what one slot outputs (a GUI's spectrum): slot index and listener. */
  tap?: { slot: number; listener: (atSample: number, channels: Float32Array[], n: number) => void };

  /**
   * Runs the chain in place; a slot that throws or leaves NaN/Inf stops it, named. `atSample` is
   * where the block starts on the album, for meters.
   */
  process(channels: Float32Array[], n: number, atSample = 0): void {
    const listener = this.onReduction;
    if (!listener || !this.placed.some((p) => p.kernel.reductionDb !== undefined)) return this.run(channels, n, atSample);
    // Metered: in pieces (the kernels give the same output for any block size), read after each.
    for (let off = 0; off < n; off += METER_FRAMES) {
      const m = Math.min(METER_FRAMES, n - off);
      this.run(off === 0 && m === n ? channels : channels.map((c) => c.subarray(off, off + m)), m, atSample + off);
      for (const p of this.placed) if (p.kernel.reductionDb !== undefined) listener(p.slot, atSample + off + m, p.kernel.reductionDb);
    }
  }

  private run(channels: Float32Array[], n: number, atSample: number): void {
    const tap = this.tap;
    for (const p of this.placed) {
      try {
        p.kernel.process(channels, channels, n);
      } catch (e) {
        throw new LatheError('plugin-error', `${p.name} failed: ${e instanceof Error ? e.message : String(e)}; nothing was delivered.`);
      }
      for (const ch of channels) {
        for (let i = 0; i < n; i++) {
          // x - x is 0 for finite x and NaN for NaN and ±Inf.
          if (ch[i] - ch[i] !== 0) throw new LatheError('plugin-nan', `${p.name} output ${Number.isNaN(ch[i]) ? 'NaN' : 'Inf'}; nothing was delivered.`);
        }
      }
      if (tap && tap.slot === p.slot) tap.listener(atSample, channels, n);
    }
  }
}
