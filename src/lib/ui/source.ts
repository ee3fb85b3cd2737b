import type { Asset } from '$lib/core/album/model';

/** "96 kHz · 24-bit · 2 ch · wav": what a clip's source is, as the clip and track show it. */
export function sourceText(asset: Pick<Asset, 'rateHz' | 'bitDepth' | 'sampleFormat' | 'channels' | 'container'>): string {
  const khz = asset.rateHz / 1000;
  const rate = `${Number.isInteger(khz) ? khz : khz.toFixed(1)} kHz`;
  const depth = `${asset.bitDepth}-bit${asset.sampleFormat === 'float' ? ' float' : ''}`;
  return `${rate} · ${depth} · ${asset.channels} ch · ${asset.container}`;
}
