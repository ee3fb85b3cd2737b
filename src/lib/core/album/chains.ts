/**
 * Pure edits of plugin chains: the master's, a track's or a clip's. Each takes an album and returns
 * a new one. Slots are copied deeply, so a chain copied to other clips can be changed on its own.
 */
import { LatheError } from '../errors';
import type { Album, Chain, ChainSlot } from './model';

export type ChainTarget = { kind: 'master' } | { kind: 'track'; trackId: string } | { kind: 'clip'; clipId: string };

function copySlot(s: ChainSlot): ChainSlot {
  return structuredClone(s);
}

export function getChain(album: Album, target: ChainTarget): Chain {
  if (target.kind === 'master') return album.masterChain;
  if (target.kind === 'track') {
    const track = album.tracks.find((t) => t.id === target.trackId);
    if (!track) throw new LatheError('no-such-track', `No track with id ${target.trackId}.`);
    return track.chain;
  }
  for (const t of album.tracks) {
    const clip = t.clips.find((c) => c.id === target.clipId);
    if (clip) return clip.chain;
  }
  throw new LatheError('no-such-clip', `No clip with id ${target.clipId}.`);
}

/** How errors and the UI name a chain: "the master chain", "track 2", "clip 1 of track 2". */
export function chainName(album: Album, target: ChainTarget): string {
  if (target.kind === 'master') return 'the master chain';
  for (let i = 0; i < album.tracks.length; i++) {
    const t = album.tracks[i];
    if (target.kind === 'track' && t.id === target.trackId) return `track ${i + 1}`;
    if (target.kind === 'clip') {
      const k = t.clips.findIndex((c) => c.id === target.clipId);
      if (k >= 0) return `clip ${k + 1} of track ${i + 1}`;
    }
  }
  throw new LatheError('no-such-chain', 'No such chain in this album.');
}

export function setChain(album: Album, target: ChainTarget, chain: Chain): Album {
  getChain(album, target);
  if (target.kind === 'master') return { ...album, masterChain: chain };
  return {
    ...album,
    tracks: album.tracks.map((t) => {
      if (target.kind === 'track') return t.id === target.trackId ? { ...t, chain } : t;
      return t.clips.some((c) => c.id === target.clipId) ? { ...t, clips: t.clips.map((c) => (c.id === target.clipId ? { ...c, chain } : c)) } : t;
    })
  };
}

function slotIndex(chain: Chain, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= chain.length) throw new LatheError('no-such-slot', `The chain has no slot ${index + 1}.`);
  return index;
}

function mapSlot(album: Album, target: ChainTarget, index: number, f: (s: ChainSlot) => ChainSlot): Album {
  const chain = getChain(album, target);
  slotIndex(chain, index);
  return setChain(album, target, chain.map((s, i) => (i === index ? f(s) : s)));
}

export function addSlot(album: Album, target: ChainTarget, slot: ChainSlot, atIndex?: number): Album {
  const chain = getChain(album, target).slice();
  chain.splice(atIndex ?? chain.length, 0, copySlot(slot));
  return setChain(album, target, chain);
}

export function removeSlot(album: Album, target: ChainTarget, index: number): Album {
  const chain = getChain(album, target);
  slotIndex(chain, index);
  return setChain(album, target, chain.filter((_, i) => i !== index));
}

export function moveSlot(album: Album, target: ChainTarget, from: number, to: number): Album {
  const chain = getChain(album, target).slice();
  slotIndex(chain, from);
  const [slot] = chain.splice(from, 1);
  chain.splice(Math.max(0, Math.min(chain.length, to)), 0, slot);
  return setChain(album, target, chain);
}

export function setSlotBypass(album: Album, target: ChainTarget, index: number, bypass: boolean): Album {
  return mapSlot(album, target, index, (s) => ({ ...s, bypass }));
}

/** New parameter values (and the plugin's own state, for third-party plugins). */
export function setSlotParams(album: Album, target: ChainTarget, index: number, params: Record<string, number>, state?: unknown): Album {
  for (const [id, value] of Object.entries(params)) {
    if (!Number.isFinite(value)) throw new LatheError('bad-value', `Parameter ${id} must be a number.`);
  }
  return mapSlot(album, target, index, (s) => ({ ...s, params: { ...params }, ...(state === undefined ? {} : { state: structuredClone(state) }) }));
}

/** Latency to add to what the plugin reports, for plugins that report none or the wrong one. */
export function setSlotLatency(album: Album, target: ChainTarget, index: number, manualLatencySamples: number): Album {
  if (!Number.isInteger(manualLatencySamples) || manualLatencySamples < 0) throw new LatheError('bad-value', 'A manual latency must be a whole number of samples, 0 or more.');
  return mapSlot(album, target, index, (s) => ({ ...s, manualLatencySamples }));
}

/** The latency to compensate for a slot instead of what its plugin reports; undefined goes back to the reported figure. */
export function setSlotLatencyOverride(album: Album, target: ChainTarget, index: number, latencyOverrideSamples: number | undefined): Album {
  if (latencyOverrideSamples !== undefined && (!Number.isInteger(latencyOverrideSamples) || latencyOverrideSamples < 0)) {
    throw new LatheError('bad-value', 'A latency must be a whole number of samples, 0 or more.');
  }
  return mapSlot(album, target, index, (s) => {
    const { latencyOverrideSamples: _, ...rest } = s;
    return latencyOverrideSamples === undefined ? rest : { ...rest, latencyOverrideSamples };
  });
}

/** Puts a copy of one chain on other clips or tracks, replacing theirs. */
export function copyChain(album: Album, from: ChainTarget, to: ChainTarget[]): Album {
  const chain = getChain(album, from);
  return to.reduce((a, target) => setChain(a, target, chain.map(copySlot)), album);
}
