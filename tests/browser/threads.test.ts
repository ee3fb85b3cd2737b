import { describe, expect, it } from 'vitest';
import { isLatheError, type LatheError } from '$lib/core/errors';
import { createProject } from '$lib/web/store/projects';
import { importAudioFile } from '$lib/web/files/import';
import { analyzeInWorker } from '$lib/web/analysis-client';
import { renderCdZip } from '$lib/web/delivery/client';
import { freshDb } from './util';

async function failure(p: Promise<unknown>): Promise<LatheError> {
  try {
    await p;
  } catch (e) {
    if (isLatheError(e)) return e;
    throw new Error(`not a LatheError: ${String(e)}`);
  }
  throw new Error('did not fail');
}

// One way across every worker: a LatheError arrives as a LatheError, with its code, file and words.
describe('errors from workers', () => {
  it('keep their code in the analysis, import and render workers', async () => {
    const db = freshDb();
    const analysis = await failure(analyzeInWorker(db.name, 'no-such-id', () => {}));
    expect(analysis.code).toBe('no-such-project');
    expect(analysis.message).toMatch(/no such project/i);

    const id = await createProject(db, 'Errors');
    const notAudio = await failure(importAudioFile(new File(['hello, this is text, not audio at all'], 'notes.txt'), id, db.name, () => {}));
    expect(notAudio.code).toBe('not-audio');
    expect(notAudio.file).toBe('notes.txt');
    // The file is named once: in `file`, and at the head of the message, not again in the detail.
    expect(notAudio.message.startsWith('notes.txt: ')).toBe(true);
    expect(notAudio.detail).not.toContain('notes.txt');

    const render = await failure(renderCdZip(db.name, id, 'x', { shaping: 'none', seed: 1 }, () => {}));
    expect(render.code).toBe('not-cd-ready');
  });
});
