/**
 * The layer rules of ../shared/DESIGN.md, checked by `npm run check`: imports point down
 * (routes -> ui -> web -> core), core is pure, and nothing goes round in a circle.
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Modules that import each other, directly or round a loop.', from: {}, to: { circular: true } },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'core runs in Node, workers, worklets and tests alike: it imports only core and pure libraries.',
      from: { path: '^src/lib/core/' },
      to: { pathNot: ['^src/lib/core/', '^node_modules/valibot/', '^node_modules/hash-wasm/', '^node_modules/browser-id3-writer/'] }
    },
    { name: 'core-no-node', severity: 'error', comment: 'core knows no Node built-ins.', from: { path: '^src/lib/core/' }, to: { dependencyTypes: ['core'] } },
    { name: 'web-not-up', severity: 'error', comment: 'web adapts core to the browser; it knows no components or pages.', from: { path: '^src/lib/web/' }, to: { path: ['^src/lib/ui/', '^src/routes/'] } },
    { name: 'web-not-workers', severity: 'error', comment: 'Workers are entry points over web; web starts them by URL and owns their API types.', from: { path: '^src/lib/web/' }, to: { path: '^src/workers/' } },
    { name: 'ui-not-down-past-web', severity: 'error', comment: 'Components reach workers through web.', from: { path: '^src/lib/ui/' }, to: { path: ['^src/workers/', '^src/routes/', '^src/cli/'] } },
    { name: 'workers-not-ui', severity: 'error', from: { path: '^src/workers/' }, to: { path: ['^src/lib/ui/', '^src/routes/'] } },
    { name: 'worklets-core-only', severity: 'error', comment: 'The audio thread runs core kernels and nothing of the page.', from: { path: '^worklets/' }, to: { path: ['^src/lib/web/', '^src/lib/ui/', '^src/routes/', '^src/workers/'] } },
    { name: 'plugins-not-app', severity: 'error', comment: 'Our WAM plugins run in any host: they use core kernels and the WAM SDK, nothing of the app.', from: { path: '^plugins/' }, to: { path: ['^src/lib/web/', '^src/lib/ui/', '^src/routes/', '^src/workers/'] } },
    { name: 'cli-not-browser', severity: 'error', comment: 'The CLI runs core in Node; the browser layers are not its to import.', from: { path: '^src/cli/' }, to: { path: ['^src/lib/ui/', '^src/routes/', '^src/workers/'] } },
    { name: 'not-into-tests', severity: 'error', comment: 'Only tests, and the benchmarks beside them, use the test helpers.', from: { pathNot: ['^tests/', '^bench/'] }, to: { path: '^tests/' } }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^\\.svelte-kit/', '^build/'] },
    tsConfig: { fileName: 'tsconfig.layers.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.svelte', '.json'] },
    extraExtensionsToScan: ['.svelte'],
    reporterOptions: { text: { highlightFocused: true } }
  }
};
