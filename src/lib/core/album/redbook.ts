import type { Album } from './model';
import type { Problem } from '../problems';
import { layoutAlbum, formatMsf, CD_FRAMES_PER_SEC, trackPregapAudioSamples } from './timeline';

export const MAX_TRACKS = 99;
export const MIN_TRACK_SEC = 4;
export const MIN_FIRST_PREGAP_SEC = 2;
/** 74:00 is the nominal maximum; plants commonly accept up to about 79:57. */
export const NOMINAL_MAX_SEC = 74 * 60;
export const PLANT_MAX_FRAMES = (79 * 60 + 57) * CD_FRAMES_PER_SEC;

/** Every Red Book problem of an album's layout. */
export function checkRedBook(album: Album): Problem[] {
  const problems: Problem[] = [];
  const rate = album.rateHz;
  const layout = layoutAlbum(album);
  if (album.tracks.length === 0) {
    problems.push({ code: 'no-tracks', severity: 'error', message: 'The album has no tracks.' });
    return problems;
  }
  if (album.tracks.length > MAX_TRACKS) {
    problems.push({
      code: 'too-many-tracks',
      severity: 'error',
      message: `The album has ${album.tracks.length} tracks; a CD holds at most ${MAX_TRACKS}.`
    });
  }
  const first = layout.tracks[0];
  if (first.index01Samples < MIN_FIRST_PREGAP_SEC * rate) {
    problems.push({
      code: 'first-pregap-short',
      severity: 'error',
      trackIndex: 0,
      message: `Track 1 starts at ${formatMsf(first.index01Samples, rate)}; its INDEX 01 must be at 00:02:00 or later.`
    });
  }
  layout.tracks.forEach((placement, i) => {
    const track = album.tracks[i];
    const pregapAudio = trackPregapAudioSamples(track);
    if (pregapAudio > placement.gapSamples) {
      problems.push({
        code: 'pregap-audio-too-long',
        severity: 'error',
        trackIndex: i,
        message: `Track ${i + 1} has ${formatMsf(pregapAudio, rate)} of audio before its INDEX 01 but a pause of only ${formatMsf(placement.gapSamples, rate)}.`
      });
    }
    if (track.clips.length === 0) {
      problems.push({ code: 'empty-track', severity: 'error', trackIndex: i, message: `Track ${i + 1} has no audio.` });
    }
    if (placement.lengthSamples < MIN_TRACK_SEC * rate) {
      problems.push({
        code: 'track-too-short',
        severity: 'error',
        trackIndex: i,
        message: `Track ${i + 1} is ${formatMsf(placement.lengthSamples, rate)} long; a CD track must last at least 00:04:00.`
      });
    }
  });
  const totalFrames = Math.floor((layout.totalSamples * CD_FRAMES_PER_SEC) / rate);
  if (totalFrames > PLANT_MAX_FRAMES) {
    problems.push({
      code: 'over-79-57',
      severity: 'warning',
      message: `The album runs ${formatMsf(layout.totalSamples, rate)}, past 79:57:00; many plants will refuse it.`
    });
  } else if (layout.totalSamples > NOMINAL_MAX_SEC * rate) {
    problems.push({
      code: 'over-74-00',
      severity: 'info',
      message: `The album runs ${formatMsf(layout.totalSamples, rate)}, past the nominal 74:00:00; check that the plant accepts it.`
    });
  }
  return problems;
}
