// Lathe runs entirely in the browser: no server rendering, no prerendering.
export const ssr = false;
export const prerender = false;
