import { main } from '../../src/cli/main';

/** Runs a lathe command in-process, capturing what it prints. */
export async function runLathe(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}
