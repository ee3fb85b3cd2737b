/**
 * ADM BWF for the Dolby Atmos Master ADM profile: a BW64 file, 24-bit at 48 or 96 kHz, the bed's
 * channels first (the widest bed layout used, up to 7.1.2) then one channel per object, with `chna`
 * (track UIDs to track and pack formats) and `axml` (ITU-R BS.2076: programme "Atmos_Master",
 * contents, objects, pack, channel, stream and track formats; beds as DirectSpeakers, objects as
 * cartesian Objects block formats following their keyframes). Beside it, the stereo master (Lo/Ro of
 * the same mix, sample for sample in sync). Apple's limits are checked on the immersive render.
 */
import type { Album, Clip } from '../album/model';
import { rescaleAlbum } from '../album/model';
import { layoutAlbum } from '../album/timeline';
import { LatheError } from '../errors';
import { wavHeader } from '../audio/wav';
import { Quantizer, int24le } from '../dsp/dither';
import { LoudnessMeter } from '../analysis/loudness';
import { TruePeakMeter } from '../analysis/truepeak';
import { dbfs, round } from '../analysis/analyzer';
import type { OutputFolder } from '../delivery/cd';
import { escapeHtml } from '../delivery/pqsheet';
import { LAYOUTS, type Layout, type LayoutId } from './layouts';
import { AllocentricPanner } from './panner';
import { SpatialMixer, bedMatrix, type SpatialSource } from './render';
import { assertSpatialLimits, clipSpatial, objectChannels, type ObjectUse, type SpatialObject } from './model';
import { applyMatrix, foldDownMatrix, loudnessWeights } from './downmix';

export const APPLE_MAX_LKFS = -18;
export const APPLE_MAX_DBTP = -1;
/** A start, or the landing after a jump, is held this long so the move after it starts from there. */
const HOLD_SEC = 0.01;
const BLOCK = 16_384;

export interface AdmBlock {
  rtimeSec: number;
  durationSec: number;
  x: number;
  y: number;
  z: number;
  jump: boolean;
  /** Linear gain and size (width, depth, height) of the clip playing then. */
  gain: number;
  size: number;
}

/** One ADM object: an object channel carrying its clips one after another. */
export interface AdmObjectPlan {
  name: string;
  uses: (ObjectUse & { dx: number })[];
  blocks: AdmBlock[];
}

export interface AdmPlan {
  rateHz: number;
  bed: Layout | null;
  objects: AdmObjectPlan[];
  channels: number;
  totalSamples: number;
}

/** Dolby's bed speaker labels, by Lathe's. */
const RC: Record<string, string> = { L: 'RC_L', R: 'RC_R', C: 'RC_C', LFE: 'RC_LFE', Ls: 'RC_Ls', Rs: 'RC_Rs', Lss: 'RC_Lss', Rss: 'RC_Rss', Lrs: 'RC_Lrs', Rrs: 'RC_Rrs', Ltm: 'RC_Lts', Rtm: 'RC_Rts' };

const clampX = (v: number) => Math.max(-1, Math.min(1, v));

/** An object's path as blocks: linear moves interpolate over their block; starts and jumps hold HOLD_SEC. */
export function objectBlocks(o: SpatialObject, lengthSamples: number, rateHz: number, dx = 0, size = o.size): AdmBlock[] {
  const gain = Math.pow(10, o.gainDb / 20);
  const blocks: AdmBlock[] = [];
  const hold = Math.round(HOLD_SEC * rateHz);
  let at = 0;
  let pos = { x: clampX(o.x + dx), y: o.y, z: o.z };
  let placed = false;
  const push = (to: number, p: { x: number; y: number; z: number }, jump: boolean) => {
    if (to <= at) return;
    blocks.push({ rtimeSec: at / rateHz, durationSec: (to - at) / rateHz, ...p, jump, gain, size });
    at = to;
  };
  for (const k of o.keyframes) {
    const t = Math.min(k.atSamples, lengthSamples);
    const next = { x: clampX(k.x + dx), y: k.y, z: k.z };
    if (k.jump) {
      // Held where it is until the jump, then placed anew.
      push(t, pos, true);
      pos = next;
      placed = false;
      continue;
    }
    if (!placed) {
      push(Math.min(t, at + hold), pos, true);
      placed = true;
    }
    push(t, next, false);
    pos = next;
  }
  push(lengthSamples, pos, true);
  return blocks;
}

/**
 * An object channel's clips as blocks on the programme's time line, as the profile has every
 * object span it: each clip's first place held from where the one before ended (its channel is
 * silent there), the last place held to the end.
 */
function channelBlocks(uses: AdmObjectPlan['uses'], rateHz: number, totalSec: number): AdmBlock[] {
  const out: AdmBlock[] = [];
  let cursor = 0;
  for (const u of uses) {
    const o = (u.clip.spatial as { object: SpatialObject }).object;
    const startSec = u.startSamples / rateHz;
    const blocks = objectBlocks(o, u.lengthSamples, rateHz, u.dx, u.dx === 0 ? o.size : 0).map((b) => ({ ...b, rtimeSec: b.rtimeSec + startSec }));
    blocks[0] = { ...blocks[0], rtimeSec: cursor, durationSec: blocks[0].durationSec + startSec - cursor };
    out.push(...blocks);
    const last = out[out.length - 1];
    cursor = last.rtimeSec + last.durationSec;
  }
  const last = out[out.length - 1];
  if (last.jump) out[out.length - 1] = { ...last, durationSec: totalSec - last.rtimeSec };
  else if (totalSec > cursor) out.push({ ...last, rtimeSec: cursor, durationSec: totalSec - cursor, jump: true });
  return out;
}

export function admPlan(albumIn: Album, channelsOf: (clip: Clip) => number, nameOf: (clip: Clip) => string = (c) => c.assetId): AdmPlan {
  if (!albumIn.immersive) throw new LatheError('bad-variant', 'the album is not immersive; an ADM master needs beds and objects.');
  assertSpatialLimits(albumIn, channelsOf);
  const rateHz = albumIn.rateHz === 96_000 ? 96_000 : 48_000;
  const album = rescaleAlbum(albumIn, rateHz);
  const pos = layoutAlbum(album);
  const beds = new Set<LayoutId>();
  for (const t of album.tracks) for (const c of t.clips) {
    const s = clipSpatial(c);
    if ('bed' in s) beds.add(s.bed);
  }
  const objects: AdmObjectPlan[] = objectChannels(album, channelsOf).map((channel, k) => {
    const uses = channel.map((u) => {
      const o = (u.clip.spatial as { object: SpatialObject }).object;
      const stereo = Math.min(2, channelsOf(u.clip)) === 2;
      return { ...u, dx: stereo ? (u.channel ? 1 : -1) * Math.max(o.size, 1e-9) / 2 : 0 };
    });
    const label = (u: (typeof uses)[number]) => `T${u.trackIndex + 1} C${u.clipIndex + 1} ${nameOf(u.clip)}${Math.min(2, channelsOf(u.clip)) === 2 ? (u.channel ? ' R' : ' L') : ''}`;
    const name = uses.length === 1 ? label(uses[0]) : `Object ${k + 1}: ${uses.map(label).join(', ')}`;
    return { name: name.slice(0, 64), uses, blocks: channelBlocks(uses, rateHz, pos.totalSamples / rateHz) };
  });
  // One bed, the widest used; a narrower bed's speakers are placed on it.
  const bed = beds.size ? [...beds].map((b) => LAYOUTS[b]).sort((a, b) => b.speakers.length - a.speakers.length)[0] : null;
  return { rateHz, bed, objects, channels: (bed?.speakers.length ?? 0) + objects.length, totalSamples: pos.totalSamples };
}

const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, '0');
/** BS.2076 time: hh:mm:ss.zzzzz. */
export function admTime(sec: number): string {
  const t = Math.round(sec * 1e5);
  const h = Math.floor(t / 3.6e8);
  const m = Math.floor((t % 3.6e8) / 6e6);
  const s = Math.floor((t % 6e6) / 1e5);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(t % 1e5).padStart(5, '0')}`;
}
/** The profile asks every content to say what it is: mixed content (dialogue and the rest), kind undefined. */
const DIALOGUE = '<dialogue mixedContentKind="0">2</dialogue>';
const num = (x: number) => String(Math.round(x * 1e6) / 1e6);

interface Track {
  uid: string;
  trackFormat: string;
  packFormat: string;
}

function admIds(plan: AdmPlan): Track[] {
  const tracks: Track[] = [];
  plan.bed?.speakers.forEach((_, i) => tracks.push({ uid: '', trackFormat: `AT_0001${hex(0x1001 + i, 4)}_01`, packFormat: 'AP_00011001' }));
  plan.objects.forEach((_, k) => tracks.push({ uid: '', trackFormat: `AT_0003${hex(0x1001 + k, 4)}_01`, packFormat: `AP_0003${hex(0x1001 + k, 4)}` }));
  tracks.forEach((t, i) => (t.uid = `ATU_${hex(i + 1, 8)}`));
  return tracks;
}

export function chnaChunk(plan: AdmPlan): Uint8Array {
  const tracks = admIds(plan);
  const out = new Uint8Array(4 + 40 * tracks.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, tracks.length, true);
  v.setUint16(2, tracks.length, true);
  const put = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  tracks.forEach((t, i) => {
    const at = 4 + 40 * i;
    v.setUint16(at, i + 1, true);
    put(at + 2, t.uid);
    put(at + 14, t.trackFormat);
    put(at + 28, t.packFormat);
  });
  return out;
}

export function axmlChunk(plan: AdmPlan, title: string): string {
  const e = escapeHtml;
  const tracks = admIds(plan);
  const total = admTime(plan.totalSamples / plan.rateHz);
  const contents: string[] = [];
  const objects: string[] = [];
  const packs: string[] = [];
  const channels: string[] = [];
  const streams: string[] = [];
  const trackFormats: string[] = [];
  const uids: string[] = [];
  const stream = (id: string, ch: string, tf: string, name: string, pack: string) => {
    streams.push(`<audioStreamFormat audioStreamFormatID="AS_${id}" audioStreamFormatName="PCM_${e(name)}" formatLabel="0001" formatDefinition="PCM"><audioChannelFormatIDRef>${ch}</audioChannelFormatIDRef><audioPackFormatIDRef>${pack}</audioPackFormatIDRef><audioTrackFormatIDRef>${tf}</audioTrackFormatIDRef></audioStreamFormat>`);
    trackFormats.push(`<audioTrackFormat audioTrackFormatID="${tf}" audioTrackFormatName="PCM_${e(name)}" formatLabel="0001" formatDefinition="PCM"><audioStreamFormatIDRef>AS_${id}</audioStreamFormatIDRef></audioTrackFormat>`);
  };
  let t = 0;
  if (plan.bed) {
    const refs = plan.bed.speakers.map((_, i) => `AC_0001${hex(0x1001 + i, 4)}`);
    contents.push(`<audioContent audioContentID="ACO_1001" audioContentName="Bed"><audioObjectIDRef>AO_1001</audioObjectIDRef>${DIALOGUE}</audioContent>`);
    objects.push(`<audioObject audioObjectID="AO_1001" audioObjectName="Bed" start="00:00:00.00000" duration="${total}"><audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef>${plan.bed.speakers.map((_, i) => `<audioTrackUIDRef>${tracks[i].uid}</audioTrackUIDRef>`).join('')}</audioObject>`);
    packs.push(`<audioPackFormat audioPackFormatID="AP_00011001" audioPackFormatName="Bed ${plan.bed.id}" typeLabel="0001" typeDefinition="DirectSpeakers">${refs.map((r) => `<audioChannelFormatIDRef>${r}</audioChannelFormatIDRef>`).join('')}</audioPackFormat>`);
    plan.bed.speakers.forEach((s, i) => {
      const id = `0001${hex(0x1001 + i, 4)}`;
      channels.push(`<audioChannelFormat audioChannelFormatID="AC_${id}" audioChannelFormatName="${RC[s.label]}" typeLabel="0001" typeDefinition="DirectSpeakers"><audioBlockFormat audioBlockFormatID="AB_${id}_00000001"><speakerLabel>${RC[s.label]}</speakerLabel><cartesian>1</cartesian><position coordinate="X">${num(s.x)}</position><position coordinate="Y">${num(s.y)}</position><position coordinate="Z">${num(s.z)}</position></audioBlockFormat></audioChannelFormat>`);
      stream(id, `AC_${id}`, tracks[i].trackFormat, RC[s.label], 'AP_00011001');
      uids.push(`<audioTrackUID UID="${tracks[i].uid}" sampleRate="${plan.rateHz}" bitDepth="24"><audioTrackFormatIDRef>${tracks[i].trackFormat}</audioTrackFormatIDRef><audioPackFormatIDRef>AP_00011001</audioPackFormatIDRef></audioTrackUID>`);
    });
    t = plan.bed.speakers.length;
  }
  plan.objects.forEach((o, k) => {
    const id = `0003${hex(0x1001 + k, 4)}`;
    // The profile numbers objects by their first track, after the bed's; each spans the programme.
    const ao = `AO_${hex(0x1000 + t + k + 1, 4)}`;
    const tr = tracks[t + k];
    contents.push(`<audioContent audioContentID="ACO_${hex(0x1002 + k, 4)}" audioContentName="${e(o.name)}"><audioObjectIDRef>${ao}</audioObjectIDRef>${DIALOGUE}</audioContent>`);
    objects.push(`<audioObject audioObjectID="${ao}" audioObjectName="${e(o.name)}" start="00:00:00.00000" duration="${total}"><audioPackFormatIDRef>AP_${id}</audioPackFormatIDRef><audioTrackUIDRef>${tr.uid}</audioTrackUIDRef></audioObject>`);
    packs.push(`<audioPackFormat audioPackFormatID="AP_${id}" audioPackFormatName="${e(o.name)}" typeLabel="0003" typeDefinition="Objects"><audioChannelFormatIDRef>AC_${id}</audioChannelFormatIDRef></audioPackFormat>`);
    const blocks = o.blocks.map((b, j) => `<audioBlockFormat audioBlockFormatID="AB_${id}_${hex(j + 1, 8)}" rtime="${admTime(b.rtimeSec)}" duration="${admTime(b.durationSec)}"><cartesian>1</cartesian><position coordinate="X">${num(b.x)}</position><position coordinate="Y">${num(b.y)}</position><position coordinate="Z">${num(b.z)}</position><width>${num(b.size)}</width><depth>${num(b.size)}</depth><height>${num(b.size)}</height><gain>${num(b.gain)}</gain>${b.jump ? '<jumpPosition interpolationLength="0">1</jumpPosition>' : '<jumpPosition>0</jumpPosition>'}</audioBlockFormat>`);
    channels.push(`<audioChannelFormat audioChannelFormatID="AC_${id}" audioChannelFormatName="${e(o.name)}" typeLabel="0003" typeDefinition="Objects">${blocks.join('')}</audioChannelFormat>`);
    stream(id, `AC_${id}`, tr.trackFormat, o.name, `AP_${id}`);
    uids.push(`<audioTrackUID UID="${tr.uid}" sampleRate="${plan.rateHz}" bitDepth="24"><audioTrackFormatIDRef>${tr.trackFormat}</audioTrackFormatIDRef><audioPackFormatIDRef>AP_${id}</audioPackFormatIDRef></audioTrackUID>`);
  });
  const programme = `<audioProgramme audioProgrammeID="APR_1001" audioProgrammeName="Atmos_Master" start="00:00:00.00000" end="${total}">${contents.map((c) => `<audioContentIDRef>${/audioContentID="([^"]+)"/.exec(c)?.[1]}</audioContentIDRef>`).join('')}</audioProgramme>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<ebuCoreMain xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns="urn:ebu:metadata-schema:ebuCore_2016" schema="EBU_CORE_20140201.xsd" version="1.6" xml:lang="en">
<coreMetadata><title><dc:title>${e(title)}</dc:title></title><format><audioFormatExtended version="ITU-R_BS.2076-2">
<profileList><profile profileName="Dolby Atmos Master" profileVersion="1" profileLevel="1">Dolby Atmos Master</profile></profileList>
${[programme, ...contents, ...objects, ...packs, ...channels, ...streams, ...trackFormats, ...uids].join('\n')}
</audioFormatExtended></format></coreMetadata></ebuCoreMain>
`;
}

export interface AdmReport {
  file: string;
  stereoFile: string;
  rateHz: number;
  channels: number;
  bed: LayoutId | null;
  objects: number;
  integratedLkfs: number | null;
  truePeakDbtp: number | null;
  stereo: { integratedLufs: number | null; truePeakDbtp: number | null };
  /** Apple Music's limits for spatial audio, each with whether the master meets it. */
  apple: { label: string; limit: string; ok: boolean }[];
}

/** Renders the ADM BWF and the stereo master from one mix. `source` reads clips at the plan's rate. */
export async function deliverAdm(albumIn: Album, source: SpatialSource, out: OutputFolder, options: { baseName: string; seed: number }, hooks: { onProgress?: (f: number) => void; signal?: { aborted: boolean } } = {}): Promise<AdmReport> {
  const plan = admPlan(albumIn, source.channelsOf, source.nameOf);
  const album = rescaleAlbum(albumIn, plan.rateHz);
  const monitor = LAYOUTS[album.immersive?.monitor ?? '7.1.4'];
  const mixer = new SpatialMixer(album, monitor.id, source, BLOCK);
  const N = plan.channels;
  const rate = plan.rateHz;
  const bedPanner = plan.bed ? new AllocentricPanner(plan.bed) : null;
  const bedMatrices = new Map<LayoutId, Float64Array>();
  const objectIndex = new Map<string, number>();
  plan.objects.forEach((o, k) => o.uses.forEach((u) => objectIndex.set(`${u.clip.id}:${u.channel}`, (plan.bed?.speakers.length ?? 0) + k)));
  const channels = Array.from({ length: N }, () => new Float32Array(BLOCK));
  const render = Array.from({ length: monitor.speakers.length }, () => new Float32Array(BLOCK));
  const stereo = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
  const loRo = foldDownMatrix(monitor, 'LoRo');
  const loud = new LoudnessMeter(rate, monitor.speakers.length, { weights: loudnessWeights(monitor), keepSeries: false });
  const peak = new TruePeakMeter(monitor.speakers.length, rate);
  const stereoLoud = new LoudnessMeter(rate, 2, { weights: [1, 1], keepSeries: false });
  const stereoPeak = new TruePeakMeter(2, rate);
  const file = `adm/${options.baseName} ADM.wav`;
  const stereoFile = `adm/${options.baseName} stereo.wav`;
  const adm = await out.openFile(file);
  const two = await out.openFile(stereoFile);
  const chna = chnaChunk(plan);
  const axml = new TextEncoder().encode(axmlChunk(plan, `${album.artist} - ${album.title}`));
  // Under 4 GiB a RIFF with JUNK room for ds64 (BS.2088 allows it, and readers such as mediainfo 23 take
  // only that); beyond, the writer makes it BW64 with ds64.
  const large = plan.totalSamples * N * 3 > 0xffffffff - 1e6;
  await adm.write(wavHeader({ rateHz: rate, channels: N, encoding: 's24le', frames: plan.totalSamples, ...(large ? { rf64: 'bw64' as const } : {}), extraChunks: [...(large ? [] : [{ id: 'JUNK', data: new Uint8Array(28) }]), { id: 'chna', data: chna }, { id: 'axml', data: axml }] }));
  await two.write(wavHeader({ rateHz: rate, channels: 2, encoding: 's24le', frames: plan.totalSamples }));
  const qAdm = new Quantizer({ bits: 24, channels: N, dither: true, shaping: 'none', seed: options.seed });
  const qTwo = new Quantizer({ bits: 24, channels: 2, dither: true, shaping: 'none', seed: options.seed + 1 });
  const processed = new Uint8Array(BLOCK);
  const intsAdm = new Int32Array(BLOCK * N);
  const intsTwo = new Int32Array(BLOCK * 2);
  for (let from = 0; from < plan.totalSamples; from += BLOCK) {
    if (hooks.signal?.aborted) throw new LatheError('cancelled', 'The render was cancelled.');
    const n = Math.min(BLOCK, plan.totalSamples - from);
    for (const c of channels) c.fill(0, 0, n);
    await mixer.mix(from, n, render, (clip, _ti, audio, at, len) => {
      const s = clipSpatial(clip);
      if ('object' in s) {
        audio.forEach((a, ch) => {
          const dst = channels[objectIndex.get(`${clip.id}:${ch}`) as number];
          for (let i = 0; i < len; i++) dst[at + i] += a[i];
        });
        return;
      }
      const bed = plan.bed as Layout;
      let m = bedMatrices.get(s.bed);
      if (!m) bedMatrices.set(s.bed, (m = bedMatrix(LAYOUTS[s.bed], bed, bedPanner as AllocentricPanner)));
      const map = mixer.bedMap(clip.id);
      for (let r = 0; r < bed.speakers.length; r++) {
        for (let c = 0; c < audio.length; c++) {
          const g = m[r * audio.length + map[c]];
          if (g === 0) continue;
          const dst = channels[r];
          const x = audio[c];
          for (let i = 0; i < len; i++) dst[at + i] += g * x[i];
        }
      }
    });
    loud.process(render, n);
    peak.process(render, n);
    applyMatrix(loRo, render, n, stereo);
    stereoLoud.process(stereo, n);
    stereoPeak.process(stereo, n);
    // Dither only frames off the 24-bit grid: silence and untouched 24-bit audio pass exact.
    for (let i = 0; i < n; i++) {
      let off = 0;
      for (let c = 0; c < N && !off; c++) {
        const v = channels[c][i] * 8_388_608;
        if (v !== Math.round(v)) off = 1;
      }
      processed[i] = off;
    }
    qAdm.quantize(channels, n, processed, intsAdm);
    processed.fill(1, 0, n);
    qTwo.quantize(stereo, n, processed, intsTwo);
    const bAdm = new Uint8Array(n * N * 3);
    int24le(intsAdm, n * N, bAdm);
    const bTwo = new Uint8Array(n * 6);
    int24le(intsTwo, n * 2, bTwo);
    await adm.write(bAdm);
    await two.write(bTwo);
    hooks.onProgress?.((from + n) / plan.totalSamples);
  }
  if ((plan.totalSamples * N * 3) & 1) await adm.write(new Uint8Array(1));
  await adm.close();
  await two.close();
  const lkfs = round(loud.integratedLufs());
  const tp = round(dbfs(peak.maxPeak()));
  const report: AdmReport = {
    file, stereoFile, rateHz: rate, channels: N, bed: plan.bed?.id ?? null, objects: plan.objects.length,
    integratedLkfs: lkfs, truePeakDbtp: tp,
    stereo: { integratedLufs: round(stereoLoud.integratedLufs()), truePeakDbtp: round(dbfs(stereoPeak.maxPeak())) },
    apple: [
      { label: `integrated loudness ${lkfs === null ? '–' : `${lkfs.toFixed(1)} LKFS`}`, limit: `at most ${APPLE_MAX_LKFS} LKFS`, ok: lkfs === null || lkfs <= APPLE_MAX_LKFS },
      { label: `true peak ${tp === null ? '–' : `${tp.toFixed(1)} dBTP`}`, limit: `at most ${APPLE_MAX_DBTP} dBTP`, ok: tp === null || tp <= APPLE_MAX_DBTP }
    ]
  };
  await out.writeFile('adm/report.json', `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

export interface AdmRead {
  rateHz: number;
  channels: number;
  programme: string;
  tracks: { index: number; uid: string; trackFormat: string; packFormat: string }[];
  bed: string[];
  objects: { name: string; startSec: number; durationSec: number; blocks: AdmBlock[] }[];
}

const parseTime = (t: string) => {
  const m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(t);
  if (!m) throw new LatheError('bad-format', `"${t}" is not an ADM time.`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
};

/** Reads an ADM BWF's header (everything before the audio, or the whole file): chna and axml. */
export function readAdm(bytes: Uint8Array, fileName = 'ADM file'): AdmRead {
  const id = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (!['RIFF', 'RF64', 'BW64'].includes(id(0)) || id(8) !== 'WAVE') throw new LatheError('bad-format', 'this is not a BW64 file.', { file: fileName });
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let rateHz = 0;
  let channels = 0;
  let chna: Uint8Array | null = null;
  let axml = '';
  for (let at = 12; at + 8 <= bytes.length; ) {
    const name = id(at);
    let size = v.getUint32(at + 4, true);
    if (name === 'data') {
      // Past the audio, where the size allows (an RF64/BW64 data size is in ds64; axml after it is not read).
      if (size === 0xffffffff || at + 8 + size > bytes.length) break;
    }
    const body = bytes.subarray(at + 8, at + 8 + size);
    if (name === 'fmt ') {
      channels = v.getUint16(at + 10, true);
      rateHz = v.getUint32(at + 12, true);
    } else if (name === 'chna') chna = body;
    else if (name === 'axml') axml = new TextDecoder().decode(body);
    if (size === 0xffffffff) size = 0;
    at += 8 + size + (size & 1);
  }
  if (!chna || !axml) throw new LatheError('bad-format', `the file has no ${chna ? 'axml' : 'chna'} chunk: it is not ADM.`, { file: fileName });
  const c = new DataView(chna.buffer, chna.byteOffset, chna.byteLength);
  const str = (at: number, n: number) => String.fromCharCode(...chna!.subarray(at, at + n)).replace(/\0+$/, '');
  const tracks = Array.from({ length: c.getUint16(2, true) }, (_, i) => ({ index: c.getUint16(4 + 40 * i, true), uid: str(6 + 40 * i, 12), trackFormat: str(18 + 40 * i, 14), packFormat: str(32 + 40 * i, 11) }));
  const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1] ?? '';
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const programme = unescape(attr(/<audioProgramme [^>]*>/.exec(axml)?.[0] ?? '', 'audioProgrammeName'));
  const channelFormats = new Map<string, string>();
  for (const m of axml.matchAll(/<audioChannelFormat ([^>]*)>([\s\S]*?)<\/audioChannelFormat>/g)) channelFormats.set(attr(m[1], 'audioChannelFormatID'), m[0]);
  const packs = new Map<string, string>();
  for (const m of axml.matchAll(/<audioPackFormat ([^>]*)>([\s\S]*?)<\/audioPackFormat>/g)) packs.set(attr(m[1], 'audioPackFormatID'), m[0]);
  const channelsOf = (pack: string) => [...(packs.get(pack) ?? '').matchAll(/<audioChannelFormatIDRef>([^<]+)</g)].map((m) => channelFormats.get(m[1]) ?? '');
  const pos = (block: string, axis: string) => Number(new RegExp(`coordinate="${axis}">([^<]+)<`).exec(block)?.[1] ?? 0);
  const bed: string[] = [];
  const objects: AdmRead['objects'] = [];
  for (const m of axml.matchAll(/<audioObject ([^>]*)>([\s\S]*?)<\/audioObject>/g)) {
    const pack = /<audioPackFormatIDRef>([^<]+)</.exec(m[2])?.[1] ?? '';
    const type = attr(/<audioPackFormat [^>]*>/.exec(packs.get(pack) ?? '')?.[0] ?? '', 'typeDefinition');
    if (type === 'DirectSpeakers') {
      for (const ch of channelsOf(pack)) bed.push(/<speakerLabel>([^<]+)</.exec(ch)?.[1] ?? '');
      continue;
    }
    const blocks = [...(channelsOf(pack)[0] ?? '').matchAll(/<audioBlockFormat ([^>]*)>([\s\S]*?)<\/audioBlockFormat>/g)].map((b) => ({
      rtimeSec: parseTime(attr(b[1], 'rtime')),
      durationSec: parseTime(attr(b[1], 'duration')),
      x: pos(b[2], 'X'),
      y: pos(b[2], 'Y'),
      z: pos(b[2], 'Z'),
      jump: /<jumpPosition[^>]*>1</.test(b[2]),
      gain: Number(/<gain>([^<]+)</.exec(b[2])?.[1] ?? 1),
      size: Number(/<width>([^<]+)</.exec(b[2])?.[1] ?? 0)
    }));
    objects.push({ name: unescape(attr(m[1], 'audioObjectName')), startSec: parseTime(attr(m[1], 'start')), durationSec: parseTime(attr(m[1], 'duration')), blocks });
  }
  return { rateHz, channels, programme, tracks, bed, objects };
}
