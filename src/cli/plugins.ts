import { FIRST_PARTY } from '../lib/core/dsp/plugins';
import { table } from './table';
import { parseCommand, UsageError } from './args';

export const PLUGINS_HELP = `lathe plugins [--json]

Lists the first-party plugins with their parameters (id, label, unit, min, max, default).`;

export async function plugins(args: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parseCommand(args, { json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (values.json) {
    out(JSON.stringify({ plugins: FIRST_PARTY }, null, 2));
    return 0;
  }
  for (const p of FIRST_PARTY) {
    out(`${p.id}  ${p.name}`);
    out(table(['Parameter', 'Label', 'Unit', 'Min', 'Max', 'Default'], p.params.map((x) => [x.id, x.label, x.unit, String(x.min), String(x.max), String(x.default)]), ['left', 'left', 'left', 'right', 'right', 'right']));
    out('');
  }
  return 0;
}
