/** The demo album: short pieces synthesized in code, with seeded noise so they are always the same. */

export interface DemoTrack {
  title: string;
  performer: string;
  channels: Float32Array[];
}

/** Mulberry32: a small seeded generator, so every run makes the same bytes. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const midiHz = (note: number) => 440 * Math.pow(2, (note - 69) / 12);

interface Voice {
  startSec: number;
  lengthSec: number;
  note: number;
  level: number;
  pan: number;
}

function render(rateHz: number, lengthSec: number, voices: Voice[], drums: { kickEverySec: number; hatEverySec: number; level: number } | null, seed: number): Float32Array[] {
  const n = Math.round(lengthSec * rateHz);
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  for (const v of voices) {
    const f = midiHz(v.note);
    const s0 = Math.round(v.startSec * rateHz);
    const len = Math.min(n - s0, Math.round(v.lengthSec * rateHz));
    const gl = v.level * Math.cos(((v.pan + 1) * Math.PI) / 4);
    const gr = v.level * Math.sin(((v.pan + 1) * Math.PI) / 4);
    for (let i = 0; i < len; i++) {
      const t = i / rateHz;
      const env = Math.min(1, t / 0.02) * Math.exp(-t * 1.6) * Math.min(1, (len - i) / (0.05 * rateHz));
      const w = 2 * Math.PI * f * t;
      const x = env * (Math.sin(w) + 0.35 * Math.sin(2 * w) + 0.12 * Math.sin(3 * w));
      l[s0 + i] += gl * x;
      r[s0 + i] += gr * x;
    }
  }
  if (drums) {
    const rand = seededRandom(seed);
    const kick = Math.round(drums.kickEverySec * rateHz);
    const hat = Math.round(drums.hatEverySec * rateHz);
    for (let s = 0; s < n; s += kick) {
      for (let i = 0; i < Math.min(n - s, 0.25 * rateHz); i++) {
        const t = i / rateHz;
        const x = drums.level * Math.sin(2 * Math.PI * (50 + 90 * Math.exp(-t * 30)) * t) * Math.exp(-t * 14);
        l[s + i] += x;
        r[s + i] += x;
      }
    }
    let hp = 0;
    for (let s = hat >> 1; s < n; s += hat) {
      for (let i = 0; i < Math.min(n - s, 0.05 * rateHz); i++) {
        const noise = rand() * 2 - 1;
        const x = (noise - hp) * 0.25 * drums.level * Math.exp((-i / rateHz) * 80);
        hp = noise;
        l[s + i] += 0.8 * x;
        r[s + i] += x;
      }
    }
  }
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(l[i]), Math.abs(r[i]));
  const g = peak > 0 ? 0.5 / peak : 1;
  for (let i = 0; i < n; i++) {
    l[i] *= g;
    r[i] *= g;
  }
  return [l, r];
}

function arpeggio(chords: number[][], beatSec: number, startSec: number, level: number): Voice[] {
  const voices: Voice[] = [];
  chords.forEach((chord, ci) => {
    for (let k = 0; k < 8; k++) {
      const note = chord[k % chord.length] + (k >= chord.length ? 12 : 0);
      voices.push({ startSec: startSec + (ci * 8 + k) * beatSec, lengthSec: beatSec * 3, note, level, pan: k % 2 ? 0.4 : -0.4 });
    }
    voices.push({ startSec: startSec + ci * 8 * beatSec, lengthSec: beatSec * 8, note: chord[0] - 24, level: level * 1.2, pan: 0 });
  });
  return voices;
}

/** Three short pieces at 44.1 kHz: enough to sequence, hear and measure at once. */
export function demoAlbumTracks(rateHz = 44_100): DemoTrack[] {
  const prog1 = [[57, 60, 64], [53, 57, 60], [48, 52, 55], [55, 59, 62]];
  const prog2 = [[62, 65, 69], [58, 62, 65], [60, 64, 67], [57, 61, 64]];
  const prog3 = [[52, 55, 59], [48, 52, 55], [50, 54, 57], [47, 50, 54]];
  return [
    { title: 'First Light', performer: 'The Lathe Ensemble', channels: render(rateHz, 12, arpeggio(prog1, 0.18, 0.2, 0.5), { kickEverySec: 0.72, hatEverySec: 0.36, level: 0.6 }, 1) },
    { title: 'Cutting Room', performer: 'The Lathe Ensemble', channels: render(rateHz, 10, arpeggio(prog2, 0.15, 0.1, 0.5), { kickEverySec: 0.6, hatEverySec: 0.15, level: 0.7 }, 2) },
    { title: 'Run-out Groove', performer: 'The Lathe Ensemble', channels: render(rateHz, 14, arpeggio(prog3, 0.22, 0.3, 0.5), null, 3) }
  ];
}
