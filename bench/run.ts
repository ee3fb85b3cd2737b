/**
 * npm run bench: Lathe against the reference tools on the same generated audio, in the same run.
 * Prints times and ratios; it asserts nothing (tests assert correctness, never times).
 */
import { analyzeBench } from './analyze';
import { cdBench } from './cd';
import { limiterBench } from './limiter';
import { importBench } from './import';
import { montageBench } from './montage';
import { variantsBench } from './variants';
import { admBench } from './adm';
import { queueBench } from './queue';

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'analyze') await analyzeBench();
if (which === 'all' || which === 'cd') await cdBench();
if (which === 'all' || which === 'limiter') await limiterBench();
if (which === 'all' || which === 'import') await importBench();
if (which === 'all' || which === 'montage') await montageBench();
if (which === 'all' || which === 'variants') await variantsBench();
if (which === 'all' || which === 'adm') await admBench();
if (which === 'all' || which === 'queue') await queueBench();
