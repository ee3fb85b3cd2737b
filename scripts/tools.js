// The reference tools the tests compare against, each with the Debian package that has it.
import { spawnSync } from 'node:child_process';

export const REFERENCE_TOOLS = [
  { cmd: 'ffmpeg', pkg: 'ffmpeg' },
  { cmd: 'sox', pkg: 'sox' },
  { cmd: 'flac', pkg: 'flac' },
  { cmd: 'metaflac', pkg: 'flac' },
  { cmd: 'cd-info', pkg: 'libcdio-utils' },
  { cmd: 'cdrdao', pkg: 'cdrdao' },
  { cmd: 'bchunk', pkg: 'bchunk' },
  { cmd: 'mediainfo', pkg: 'mediainfo' },
  { cmd: 'redis-server', pkg: 'redis-server' },
  { cmd: 'md5sum', pkg: 'coreutils' }
];

/** @param {string} cmd */
export function hasTool(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function missingTools() {
  return REFERENCE_TOOLS.filter((t) => !hasTool(t.cmd));
}
