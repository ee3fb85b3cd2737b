import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../../../src/lib/core/audio/wav';
import { Analyzer } from '../../../src/lib/core/analysis/analyzer';
import { ffmpegEbur128, hasFfmpeg } from '../../helpers/ffmpeg';
import { programme, type ProgrammeSpec } from '../../helpers/programme';

if (!hasFfmpeg) console.log('ffmpeg.test: skipped, ffmpeg is not installed (apt-get install ffmpeg)');

const SIGNALS: [string, ProgrammeSpec][] = [
  ['dense, loud, 44.1 kHz', { rateHz: 44_100, seconds: 40, seed: 1, sectionsDb: [-2, 0, -1, 0], width: 0.3 }],
  ['quiet intro then loud, 48 kHz', { rateHz: 48_000, seconds: 45, seed: 2, sectionsDb: [-24, -18, -3, -2, -12], width: 0.6 }],
  ['wide, 96 kHz', { rateHz: 96_000, seconds: 30, seed: 3, sectionsDb: [-8, -6, -10], width: 0.9 }]
];

describe.skipIf(!hasFfmpeg)('agreement with ffmpeg ebur128 on programme-like signals', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-ffmpeg-'));
  for (const [name, spec] of SIGNALS) {
    it(name, () => {
      const planar = programme(spec);
      const file = join(dir, `${spec.seed}.wav`);
      writeFileSync(file, encodeWav(planar, { rateHz: spec.rateHz, encoding: 'f32le' }));
      const a = new Analyzer({ rateHz: spec.rateHz, channels: 2, bitDepth: 32, sampleFormat: 'float' });
      a.process(planar, planar[0].length);
      const ours = a.finish();
      const ref = ffmpegEbur128(file);
      expect(Math.abs((ours.integratedLufs as number) - ref.integratedLufs)).toBeLessThanOrEqual(0.1);
      expect(Math.abs((ours.truePeakDbtp as number) - ref.truePeakDbtp)).toBeLessThanOrEqual(0.2);
      expect(Math.abs((ours.loudnessRangeLu as number) - ref.loudnessRangeLu)).toBeLessThanOrEqual(1);
    });
  }
});
