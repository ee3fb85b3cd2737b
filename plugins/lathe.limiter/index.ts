/** lathe.limiter as a WAM 2.0 module: `import(url)` gives the WebAudioModule class. */
import { createLatheWam } from '../wam';
import { LIMITER_INFO } from '../../src/lib/core/dsp/limiter';

export default createLatheWam(LIMITER_INFO);
