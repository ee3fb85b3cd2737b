import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // Client-side only: every route falls back to the SPA shell.
    adapter: adapter({ fallback: 'index.html', strict: false }),
    alias: { $workers: 'src/workers' }
  }
};
