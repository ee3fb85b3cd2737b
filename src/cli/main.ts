import { errorMessage } from '../lib/core/errors';
import { UsageError } from './args';
import { info, INFO_HELP } from './info';
import { analyze, ANALYZE_HELP } from './analyze';
import { render, RENDER_HELP } from './render';
import { ddp, DDP_HELP } from './ddp';
import { plugins, PLUGINS_HELP } from './plugins';
import { validateWamCommand, VALIDATE_HELP } from './validate-wam';
import { spatialCommand, SPATIAL_HELP } from './spatial';
import { compareCommand, COMPARE_HELP } from './compare';
import { queueCommand, QUEUE_HELP, workerCommand, WORKER_HELP } from './queue';

const HELP = `lathe: album mastering from the command line

Commands:
  ${INFO_HELP.split('\n')[0]}
  ${ANALYZE_HELP.split('\n')[0]}
  ${COMPARE_HELP.split('\n')[0]}
  ${RENDER_HELP.split('\n')[0]}
  ${DDP_HELP.split('\n')[0]}
  ${DDP_HELP.split('\n')[1]}
  ${PLUGINS_HELP.split('\n')[0]}
  ${VALIDATE_HELP.split('\n')[0]}
  ${SPATIAL_HELP.split('\n')[0]}
  ${QUEUE_HELP.split('\n')[0]}
  ${WORKER_HELP.split('\n')[0]}

Run 'lathe <command> --help' for more.`;

type Command = (args: string[], out: (s: string) => void) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  info: { run: info, help: INFO_HELP },
  analyze: { run: analyze, help: ANALYZE_HELP },
  compare: { run: compareCommand, help: COMPARE_HELP },
  render: { run: render, help: RENDER_HELP },
  ddp: { run: ddp, help: DDP_HELP },
  plugins: { run: plugins, help: PLUGINS_HELP },
  'validate-wam': { run: validateWamCommand, help: VALIDATE_HELP },
  'spatial-check': { run: spatialCommand, help: SPATIAL_HELP },
  queue: { run: queueCommand, help: QUEUE_HELP },
  worker: { run: workerCommand, help: WORKER_HELP }
};

/** Runs a command; returns the exit status. Errors are one plain line on stderr, never a stack. */
export async function main(argv: string[], out = (s: string) => console.log(s), err = (s: string) => console.error(s)): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(HELP);
    return name ? 0 : 64;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(`lathe: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}.`);
    return 64;
  }
  if (args.includes('--help') || args.includes('-h')) {
    out(command.help);
    return 0;
  }
  try {
    return await command.run(args, out);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`lathe ${name}: ${e.message} (see 'lathe ${name} --help')`);
      return 64;
    }
    err(`lathe ${name}: ${errorMessage(e)}`);
    return 1;
  }
}
