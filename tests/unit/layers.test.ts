import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';

const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs');

/** Cruises a small made-up tree with the project's rules; returns the names of the broken rules. */
async function broken(files: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-layers-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const roots = [...new Set(Object.keys(files).map((p) => p.split('/')[0]))];
    const result = await cruise(roots, { ...config.options, tsConfig: undefined, baseDir: dir, validate: true, ruleSet: { forbidden: config.forbidden } });
    const output = result.output as { summary: { violations: { rule: { name: string } }[] } };
    return [...new Set(output.summary.violations.map((v) => v.rule.name))].sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The rules of npm run check catch each kind of wrong import (the project itself has none).
describe('layer rules', () => {
  it('pass a tree whose imports point down', async () => {
    expect(
      await broken({
        'src/lib/core/a.ts': 'export const a = 1;\n',
        'src/lib/web/b.ts': "import { a } from '../core/a';\nexport const b = a;\n",
        'src/lib/ui/c.ts': "import { b } from '../web/b';\nexport const c = b;\n"
      })
    ).toEqual([]);
  });

  it('catch core importing the browser layers or Node, and cycles', async () => {
    expect(
      await broken({
        'src/lib/core/a.ts': "import { b } from '../web/b';\nimport { readFileSync } from 'node:fs';\nexport const a = [b, readFileSync];\n",
        'src/lib/web/b.ts': 'export const b = 1;\n',
        'src/lib/core/x.ts': "import { y } from './y';\nexport const x = y;\n",
        'src/lib/core/y.ts': "import { x } from './x';\nexport const y = () => x;\n"
      })
    ).toEqual(['core-is-pure', 'core-no-node', 'no-circular']);
  });

  it('catch web importing ui, routes or workers, ui importing workers, worklets importing web', async () => {
    expect(
      await broken({
        'src/lib/ui/u.ts': "import { w } from '../../workers/w';\nexport const u = w;\n",
        'src/lib/web/v.ts': "import { u } from '../ui/u';\nexport const v = u;\n",
        'src/lib/web/z.ts': "import { w } from '../../workers/w';\nexport const z = w;\n",
        'src/workers/w.ts': 'export const w = 1;\n',
        'worklets/k.ts': "import { z } from '../src/lib/web/z';\nexport const k = z;\n",
        'plugins/p.ts': "import { z } from '../src/lib/web/z';\nexport const p = z;\n"
      })
    ).toEqual(['plugins-not-app', 'ui-not-down-past-web', 'web-not-up', 'web-not-workers', 'worklets-core-only']);
  });
});
