#!/usr/bin/env node
// The `lathe` command: TypeScript sources run through tsx, so the CLI shares the app's core.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../src/cli/main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
