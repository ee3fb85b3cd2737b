/** lathe.eq as a WAM 2.0 module: `import(url)` gives the WebAudioModule class. */
import { createLatheWam } from '../wam';
import { EQ_INFO } from '../../src/lib/core/dsp/eq';

export default createLatheWam(EQ_INFO);
