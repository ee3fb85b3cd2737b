import { describe, expect, it } from 'vitest';
import { runLathe } from '../../helpers/cli';

// A typo in an option must not run the command without it: every command refuses, naming it.
describe('every command refuses an option it does not know', () => {
  const cases: [string[], string][] = [
    [['render', 'album.json', '--out', 'x', '--shapping', 'lipshitz'], '--shapping'],
    [['info', 'album.json', '--jsn'], '--jsn'],
    [['analyze', 'a.wav', '--masterr'], '--masterr'],
    [['ddp', 'verify', 'DIR', '--jason'], '--jason'],
    [['plugins', '--all'], '--all'],
    [['validate-wam', 'lathe.eq', '--timout', '3'], '--timout'],
    [['render', 'album.json', '-o', 'x'], '-o']
  ];
  for (const [args, bad] of cases) {
    it(`lathe ${args.join(' ')}`, async () => {
      const r = await runLathe(...args);
      expect(r.code).toBe(64);
      expect(r.err).toContain(`unknown option ${bad}`);
      expect(r.err).toContain(`lathe ${args[0]}`);
      expect(r.out).toBe('');
    });
  }

  it('refuses a bad value for a known option with exit 64', async () => {
    const r = await runLathe('render', 'album.json', '--out', 'x', '--shaping', 'shibata');
    expect(r.code).toBe(64);
    expect(r.err).toContain('--shaping must be none or lipshitz');
    const s = await runLathe('render', 'album.json', '--out', 'x', '--seed', 'abc');
    expect(s.code).toBe(64);
    expect(s.err).toContain('--seed must be an integer');
  });

  it('refuses an option that is missing its value', async () => {
    const r = await runLathe('render', 'album.json', '--out');
    expect(r.code).toBe(64);
    expect(r.err).toMatch(/--out/);
  });
});
