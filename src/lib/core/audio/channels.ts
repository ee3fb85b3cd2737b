/** The WAVE speaker mask a file without one implies: the usual layout for its channel count. */
export function impliedChannelMask(channels: number): number {
  const masks: Record<number, number> = { 1: 0x4, 2: 0x3, 3: 0x7, 4: 0x33, 5: 0x37, 6: 0x3f, 7: 0x13f, 8: 0x63f };
  return masks[channels] ?? 0;
}
