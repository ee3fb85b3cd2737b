/**
 * The Red Book rules, in one place: checked on the album's CD layout (the one the render writes)
 * and on a DDP read back, by the same function.
 */
import type { Album } from './model';
import type { Problem } from '../problems';
import { formatMsf, layoutAlbum, trackPregapAudioSamples } from './timeline';
import { cdLayout, cdTrackFrames, msf, FIRST_INDEX01_FRAME, type CdLayout, type CdTrack } from './cd-layout';
import { CD_FRAMES_PER_SEC, SAMPLES_PER_CD_FRAME } from './timeline';


export const MAX_TRACKS = 99;
export const MIN_TRACK_SEC = 4;
export const MIN_FIRST_PREGAP_SEC = 2;
/** 74:00 is the nominal maximum; plants commonly accept up to about 79:57. */
export const NOMINAL_MAX_FRAMES = 74 * 60 * CD_FRAMES_PER_SEC;
export const PLANT_MAX_FRAMES = (79 * 60 + 57) * CD_FRAMES_PER_SEC;

/** The rules of the disc itself: track count and numbering, track 1's pregap, track lengths, total time. */
export function checkCdTracks(tracks: readonly CdTrack[], leadOut: number): Problem[] {
  const out: Problem[] = [];
  if (tracks.length === 0) {
    out.push({ code: 'no-tracks', severity: 'error', message: 'The album has no tracks.' });
    return out;
  }
  if (tracks.length > MAX_TRACKS) out.push({ code: 'too-many-tracks', severity: 'error', message: `The album has ${tracks.length} tracks; a CD holds at most ${MAX_TRACKS}.` });
  if (tracks[0].index01 < FIRST_INDEX01_FRAME) {
    out.push({ code: 'first-pregap-short', severity: 'error', trackIndex: 0, message: `Track 1 starts at ${msf(tracks[0].index01)}; its INDEX 01 must be at 00:02:00 or later.` });
  }
  tracks.forEach((t, i) => {
    if (t.number !== i + 1) out.push({ code: 'track-numbering', severity: 'error', trackIndex: i, message: `Track ${i + 1} is numbered ${t.number}.` });
    const length = cdTrackFrames(tracks, i, leadOut);
    if (length < MIN_TRACK_SEC * CD_FRAMES_PER_SEC) {
      out.push({ code: 'track-too-short', severity: 'error', trackIndex: i, message: `Track ${i + 1} is ${msf(length)} long; a CD track must last at least 00:04:00.` });
    }
  });
  if (leadOut > PLANT_MAX_FRAMES) {
    out.push({ code: 'over-79-57', severity: 'warning', message: `The album runs ${msf(leadOut)}, past 79:57:00; many plants will refuse it.` });
  } else if (leadOut > NOMINAL_MAX_FRAMES) {
    out.push({ code: 'over-74-00', severity: 'info', message: `The album runs ${msf(leadOut)}, past the nominal 74:00:00; check that the plant accepts it.` });
  }
  return out;
}

/** A mark after the audio it marks makes a player that starts there skip the attack. */
export function checkMarksBeforeAudio(layout: CdLayout): Problem[] {
  const out: Problem[] = [];
  layout.tracks.forEach((t, i) => {
    const audio = layout.audio[i];
    const late = t.index01 * SAMPLES_PER_CD_FRAME - audio.startSample;
    if (late > 0) {
      out.push({ code: 'mark-after-audio', severity: 'warning', trackIndex: i, index: 1, message: `Track ${i + 1}'s INDEX 01 (${msf(t.index01)}) is ${late} samples after its audio starts: a player starting the track skips them.` });
    }
    t.indexes.forEach((f, k) => {
      const lateMark = f * SAMPLES_PER_CD_FRAME - audio.indexSamples[k];
      if (lateMark > 0) {
        out.push({ code: 'mark-after-audio', severity: 'warning', trackIndex: i, index: k + 2, message: `Track ${i + 1}'s INDEX ${String(k + 2).padStart(2, '0')} (${msf(f)}) is ${lateMark} samples after the audio it marks.` });
      }
    });
  });
  return out;
}

/** Every Red Book problem of an album, found on the CD layout it renders to. */
export function checkRedBook(album: Album): Problem[] {
  if (album.tracks.length === 0) return [{ code: 'no-tracks', severity: 'error', message: 'The album has no tracks.' }];
  const layout = cdLayout(album);
  const placed = layoutAlbum(album);
  const rate = album.rateHz;
  const problems: Problem[] = [];
  album.tracks.forEach((track, i) => {
    if (track.clips.length === 0) problems.push({ code: 'empty-track', severity: 'error', trackIndex: i, message: `Track ${i + 1} has no audio.` });
    const pregapAudio = trackPregapAudioSamples(track);
    // In a segue the audio before INDEX 01 plays over the previous track: it may reach back to that
    // track's INDEX 01, never before. Elsewhere it must fit in the pause.
    const segue = i > 0 && placed.tracks[i].gapSamples === 0 && track.overlapSamples > 0;
    const room = segue ? placed.tracks[i].index01Samples - placed.tracks[i - 1].index01Samples : placed.tracks[i].gapSamples;
    if (pregapAudio > room) {
      problems.push({
        code: 'pregap-audio-too-long',
        severity: 'error',
        trackIndex: i,
        message: segue
          ? `Track ${i + 1} has ${formatMsf(pregapAudio, rate)} of audio before its INDEX 01, reaching back past track ${i}'s INDEX 01.`
          : `Track ${i + 1} has ${formatMsf(pregapAudio, rate)} of audio before its INDEX 01 but a pause of only ${formatMsf(placed.tracks[i].gapSamples, rate)}.`
      });
    }
  });
  return [...checkCdTracks(layout.tracks, layout.leadOut), ...problems, ...checkMarksBeforeAudio(layout)];
}
