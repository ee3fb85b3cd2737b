/**
 * Builds the first-party WAM plugins into build/plugins/<id>/index.js after the app's own build:
 * plain ES modules with relative URLs, so any WAM host on any origin can import them.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { readdirSync, statSync } from 'node:fs';

const here = fileURLToPath(new URL('.', import.meta.url));
const ids = readdirSync(here).filter((name) => name.startsWith('lathe.') && statSync(here + name).isDirectory());

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  resolve: { alias: { $lib: fileURLToPath(new URL('../src/lib', import.meta.url)) } },
  worker: { format: 'es' },
  build: {
    outDir: 'build/plugins',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: Object.fromEntries(ids.map((id) => [`${id}/index`, `${here}${id}/index.ts`])),
      preserveEntrySignatures: 'strict',
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'shared/[name]-[hash].js',
        assetFileNames: 'shared/[name]-[hash][extname]'
      }
    }
  }
});
