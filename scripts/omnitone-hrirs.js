// A Vite plugin: `virtual:omnitone-hrirs` gives the second-order SH-HRIRs that the omnitone package
// ships (Apache-2.0, Google), read from the installed package at build time. Omnitone's own loader
// builds a `new Function()`, which the app's CSP (no 'unsafe-eval') refuses.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const ID = 'virtual:omnitone-hrirs';

export function omnitoneHrirs() {
  return {
    name: 'omnitone-hrirs',
    resolveId: (/** @type {string} */ id) => (id === ID ? `\0${ID}` : null),
    load(/** @type {string} */ id) {
      if (id !== `\0${ID}`) return null;
      const file = createRequire(import.meta.url).resolve('omnitone/build/omnitone.esm.js');
      const m = /const OmnitoneSOAHrirBase64 = (\[[\s\S]*?\]);/.exec(readFileSync(file, 'utf8'));
      if (!m) throw new Error(`omnitone-hrirs: no second-order HRIRs found in ${file}`);
      return `export default ${m[1]};`;
    }
  };
}
