// Starts a TypeScript module in a worker thread through tsx, as bin/lathe.js does for the CLI.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
