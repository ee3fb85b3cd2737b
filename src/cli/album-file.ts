/** Loads album.json and the headers of the audio it names, relative to its folder. */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { albumFromDocument, documentSources, parseAlbumJson, type AlbumDocument, type SourceAsset } from '../lib/core/album/json';
import type { Album } from '../lib/core/album/model';
import { LatheError } from '../lib/core/errors';
import { readCompressedInfo, readPcmInfo, sniffAudio } from '../lib/core/audio/sniff';
import type { PcmInfo } from '../lib/core/audio/wav';
import { fileSource } from './node-source';

export interface SourceFile extends SourceAsset {
  path: string;
  info?: PcmInfo;
}

export interface LoadedAlbum {
  path: string;
  doc: AlbumDocument;
  album: Album;
  sources: Map<string, SourceFile>;
}

export async function loadAlbumFile(path: string): Promise<LoadedAlbum> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new LatheError('no-file', 'the file does not exist or cannot be read.', { file: path });
  }
  const doc = parseAlbumJson(text, path);
  const dir = dirname(resolve(path));
  const sources = new Map<string, SourceFile>();
  for (const rel of documentSources(doc)) {
    const abs = resolve(dir, rel);
    const src = await fileSource(abs, rel);
    try {
      const head = await src.read(0, 64 * 1024);
      const kind = sniffAudio(head);
      if (kind === 'flac') {
        const c = readCompressedInfo(rel, head);
        if (!c.frames) throw new LatheError('unsupported', 'this FLAC file does not state its length.', { file: rel });
        sources.set(rel, { id: rel, path: abs, rateHz: c.rateHz, frames: c.frames });
      } else if (kind === 'mp3' || kind === 'ogg') {
        throw new LatheError('unsupported', `the command line reads WAV, BW64, RF64, AIFF and FLAC lengths, not ${kind.toUpperCase()}.`, { file: rel });
      } else {
        const info = await readPcmInfo(src);
        sources.set(rel, { id: rel, path: abs, rateHz: info.rateHz, frames: info.frames, info });
      }
    } finally {
      await src.close();
    }
  }
  return { path, doc, album: albumFromDocument(doc, sources, path), sources };
}
