/**
 * What streaming platforms do to a master's level, and the preview of it: the gain each applies
 * and the level the listener hears. The figures change; each entry names its source and the date
 * it was taken, and says when only third-party sources give it.
 */

export const PLATFORM_IDS = ['spotify', 'apple', 'youtube', 'tidal', 'amazon', 'deezer', 'soundcloud'] as const;
export type PlatformId = (typeof PLATFORM_IDS)[number];

export interface Platform {
  id: PlatformId;
  name: string;
  /** The loudness it normalizes to (BS.1770 integrated); null when it does not normalize. */
  referenceLufs: number | null;
  /** Whether it turns quiet masters up (else only down). */
  raisesQuiet: boolean;
  /** A raise stops where the true peak would pass this (Spotify leaves 1 dB). */
  raiseCeilingDbtp: number | null;
  /** Album playback: one gain for the whole album, or each track on its own. */
  albumMode: boolean;
  /** The true-peak ceiling it advises for a master. */
  advisedTruePeakDbtp: number;
  /** A lower ceiling advised for masters louder than the reference (Spotify: -2 dBTP). */
  loudAdvisedTruePeakDbtp: number | null;
  /** What it streams: codec and bitrate, the lossy tier most listeners get. */
  codec: string;
  bitrateKbps: number;
  /** Where the figures come from, and the date they were taken. */
  source: string;
  checkedOn: string;
  /** True when only third-party sources give the figures (the platform publishes none). */
  unofficial: boolean;
  notes: string;
}

/** Taken from the figures the project holds (../shared/DOMAIN.md) and the sources they cite. */
const CHECKED_ON = '2026-12-02';

export const PLATFORMS: readonly Platform[] = [
  {
    id: 'spotify', name: 'Spotify', referenceLufs: -14, raisesQuiet: true, raiseCeilingDbtp: -1, albumMode: true,
    advisedTruePeakDbtp: -1, loudAdvisedTruePeakDbtp: -2, codec: 'Ogg Vorbis', bitrateKbps: 320,
    source: 'https://support.spotify.com/us/artists/article/loudness-normalization/', checkedOn: CHECKED_ON, unofficial: false,
    notes: 'Album playback applies one gain to the album; shuffle and playlists per track. Premium levels: Loud -11 (limiter at -1 dB), Normal -14, Quiet -19. The web player and third-party devices do not normalize.'
  },
  {
    id: 'apple', name: 'Apple Music', referenceLufs: -16, raisesQuiet: true, raiseCeilingDbtp: null, albumMode: false,
    advisedTruePeakDbtp: -1, loudAdvisedTruePeakDbtp: null, codec: 'AAC', bitrateKbps: 256,
    source: 'Sound Check level from third-party measurements; Apple Digital Masters guide for the encoder headroom', checkedOn: CHECKED_ON, unofficial: true,
    notes: 'Sound Check, about -16 LUFS; Apple publishes no figure. Keep about -1 dBTP for the AAC encoder.'
  },
  {
    id: 'youtube', name: 'YouTube', referenceLufs: -14, raisesQuiet: false, raiseCeilingDbtp: null, albumMode: false,
    advisedTruePeakDbtp: -1, loudAdvisedTruePeakDbtp: null, codec: 'Opus', bitrateKbps: 160,
    source: 'Third-party measurements of YouTube\'s "content loudness"', checkedOn: CHECKED_ON, unofficial: true,
    notes: 'About -14 LUFS; turns loud tracks down, never up.'
  },
  {
    id: 'tidal', name: 'Tidal', referenceLufs: -14, raisesQuiet: false, raiseCeilingDbtp: null, albumMode: false,
    advisedTruePeakDbtp: -1, loudAdvisedTruePeakDbtp: null, codec: 'AAC', bitrateKbps: 320,
    source: 'Tidal\'s 2016 announcement of loudness normalization, as reported by third parties', checkedOn: CHECKED_ON, unofficial: true,
    notes: '-14 LUFS, down only. Lossless tiers stream FLAC.'
  },
  {
    id: 'amazon', name: 'Amazon Music', referenceLufs: -14, raisesQuiet: false, raiseCeilingDbtp: null, albumMode: false,
    advisedTruePeakDbtp: -2, loudAdvisedTruePeakDbtp: null, codec: 'Opus', bitrateKbps: 320,
    source: 'Third-party measurements; Amazon publishes no figure', checkedOn: CHECKED_ON, unofficial: true,
    notes: '-14 LUFS; -2 dBTP advised.'
  },
  {
    id: 'deezer', name: 'Deezer', referenceLufs: -15, raisesQuiet: false, raiseCeilingDbtp: null, albumMode: false,
    advisedTruePeakDbtp: -1, loudAdvisedTruePeakDbtp: null, codec: 'MP3', bitrateKbps: 320,
    source: 'Third-party measurements; Deezer publishes no figure', checkedOn: CHECKED_ON, unofficial: true,
    notes: 'About -15 LUFS.'
  },
  {
    id: 'soundcloud', name: 'SoundCloud', referenceLufs: null, raisesQuiet: false, raiseCeilingDbtp: null, albumMode: false,
    advisedTruePeakDbtp: -1, loudAdvisedTruePeakDbtp: null, codec: 'Opus', bitrateKbps: 64,
    source: 'SoundCloud publishes no normalization figure', checkedOn: CHECKED_ON, unofficial: true,
    notes: 'No official normalization: a master plays at its own level.'
  }
];

export function platform(id: string): Platform | undefined {
  return PLATFORMS.find((p) => p.id === id);
}

/** A measured programme: a track, or the album gated as one. */
export interface Measured {
  integratedLufs: number | null;
  truePeakDbtp: number | null;
}

export type GainLimit = 'reference' | 'peak' | 'down-only' | 'no-normalization' | 'silent';

export interface Preview {
  /** The gain the platform applies, in dB. */
  gainDb: number;
  /** What stopped it short of the reference, if anything. */
  limitedBy: GainLimit;
  /** The level the listener hears, and the true peak that reaches the decoder. */
  heardLufs: number | null;
  heardTruePeakDbtp: number | null;
}

/**
 * The gain a platform applies to a programme: reference minus loudness, never up on down-only
 * platforms, and a raise stopped where the true peak reaches the platform's raise ceiling.
 */
export function platformGain(p: Platform, m: Measured): { gainDb: number; limitedBy: GainLimit } {
  if (p.referenceLufs === null) return { gainDb: 0, limitedBy: 'no-normalization' };
  if (m.integratedLufs === null) return { gainDb: 0, limitedBy: 'silent' };
  const wanted = p.referenceLufs - m.integratedLufs;
  if (wanted <= 0) return { gainDb: wanted, limitedBy: 'reference' };
  if (!p.raisesQuiet) return { gainDb: 0, limitedBy: 'down-only' };
  if (p.raiseCeilingDbtp !== null && m.truePeakDbtp !== null && m.truePeakDbtp + wanted > p.raiseCeilingDbtp) {
    return { gainDb: Math.max(0, p.raiseCeilingDbtp - m.truePeakDbtp), limitedBy: 'peak' };
  }
  return { gainDb: wanted, limitedBy: 'reference' };
}

function heard(m: Measured, gainDb: number, limitedBy: GainLimit): Preview {
  return {
    gainDb,
    limitedBy,
    heardLufs: m.integratedLufs === null ? null : m.integratedLufs + gainDb,
    heardTruePeakDbtp: m.truePeakDbtp === null ? null : m.truePeakDbtp + gainDb
  };
}

export function previewTrack(p: Platform, m: Measured): Preview {
  const { gainDb, limitedBy } = platformGain(p, m);
  return heard(m, gainDb, limitedBy);
}

export interface AlbumPreview {
  platform: Platform;
  /** Each track played on its own (shuffle, playlists). */
  tracks: Preview[];
  /** Album playback: one gain for all, on platforms with an album mode; else each track's own. */
  album: { gainDb: number | null; limitedBy: GainLimit | 'per-track'; tracks: Preview[]; heardLufs: number | null };
  /** Where the master misses the platform's advice. */
  advice: string[];
}

const fmt = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(1)}`;

/** Every track and the album in album mode, on one platform, with its advice. */
export function previewAlbum(p: Platform, tracks: readonly Measured[], album: Measured): AlbumPreview {
  const each = tracks.map((t) => previewTrack(p, t));
  let albumPart: AlbumPreview['album'];
  if (p.albumMode) {
    const { gainDb, limitedBy } = platformGain(p, album);
    albumPart = { gainDb, limitedBy, tracks: tracks.map((t) => heard(t, gainDb, limitedBy)), heardLufs: album.integratedLufs === null ? null : album.integratedLufs + gainDb };
  } else {
    albumPart = { gainDb: null, limitedBy: 'per-track', tracks: each, heardLufs: album.integratedLufs === null ? null : album.integratedLufs + platformGain(p, album).gainDb };
  }
  const advice: string[] = [];
  tracks.forEach((t, i) => {
    if (t.truePeakDbtp === null) return;
    const loud = p.referenceLufs !== null && t.integratedLufs !== null && t.integratedLufs > p.referenceLufs;
    const ceiling = loud && p.loudAdvisedTruePeakDbtp !== null ? p.loudAdvisedTruePeakDbtp : p.advisedTruePeakDbtp;
    if (t.truePeakDbtp > ceiling) advice.push(`Track ${i + 1} peaks at ${t.truePeakDbtp.toFixed(1)} dBTP; ${p.name} advises ${ceiling} dBTP${loud && ceiling === p.loudAdvisedTruePeakDbtp ? ` for masters louder than ${p.referenceLufs} LUFS` : ''} (${fmt(ceiling - t.truePeakDbtp)} dB would meet it).`);
    const g = each[i];
    if (g.limitedBy === 'peak') advice.push(`Track ${i + 1} is raised only ${fmt(g.gainDb)} dB, to ${g.heardLufs?.toFixed(1)} LUFS: its true peak leaves no more room under ${p.raiseCeilingDbtp} dBTP.`);
  });
  return { platform: p, tracks: each, album: albumPart, advice };
}

export function previewPlatforms(tracks: readonly Measured[], album: Measured, ids: readonly PlatformId[] = PLATFORM_IDS): AlbumPreview[] {
  return ids.map((id) => previewAlbum(platform(id) as Platform, tracks, album));
}

/** A monitor gain from an album position on (album samples), until the next step. */
export interface GainStep {
  fromSamples: number;
  gainDb: number;
}

/**
 * The gains that play the album as a platform would: one for all in album playback (where the
 * platform has it), else each track's own from its INDEX 01 (a streaming file starts there).
 */
export function monitorSteps(preview: AlbumPreview, albumPlayback: boolean, index01Samples: readonly number[]): GainStep[] {
  const tracks = albumPlayback && preview.platform.albumMode ? preview.album.tracks : preview.tracks;
  return tracks.map((t, i) => ({ fromSamples: i === 0 ? 0 : index01Samples[i], gainDb: t.gainDb }));
}
