/**
 * Every command's options, parsed strictly by Node's util.parseArgs: an option the command does
 * not know is refused by name (exit 64), never silently ignored.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad usage: main prints the message and the command's help, and exits 64. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommand<O extends Options>(args: string[], options: O): { values: ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>>['values']; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { values, positionals };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const m = /'([^']+)'/.exec((e as Error).message);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${m ? m[1] : ''}`.trim());
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError((e as Error).message.replace(/^Option /, 'option '));
    throw new UsageError((e as Error).message);
  }
}
