/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { PcmDigest } from '$lib/core/audio/ingest';
import { Analyzer } from '$lib/core/analysis/analyzer';
import type { MeasureWorkerApi } from '$lib/web/store/measure-client';
import { installErrorTransfer } from '$lib/web/threads';

installErrorTransfer();
let digest: PcmDigest | null = null;
let analyzer: Analyzer | null = null;

const api: MeasureWorkerApi = {
  start(info) {
    const a = new Analyzer({ rateHz: info.rateHz, channels: info.channels, bitDepth: info.bitDepth, sampleFormat: info.sampleFormat, channelMask: info.channelMask });
    analyzer = a;
    digest = new PcmDigest(info, (planar, n) => a.process(planar, n));
  },
  push(slice, frames) {
    digest?.push(slice, frames);
  },
  finish() {
    if (!digest || !analyzer) throw new Error('measure worker: finish before start');
    return { peaks: digest.finish(), analysis: analyzer.finish() };
  }
};

Comlink.expose(api);
