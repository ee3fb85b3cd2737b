// npm start: build the app, then serve it and print its URL.
import { spawnSync } from 'node:child_process';
import { serve } from './serve.js';

const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const port = Number(process.env.PORT ?? 4173);
serve({ port })
  .then(() => console.log(`\nLathe is running at http://127.0.0.1:${port}/  (Ctrl+C to stop)\n`))
  .catch((e) => {
    console.error(`Could not serve on port ${port}: ${e.message}. Set PORT to use another.`);
    process.exit(1);
  });
