/** lathe.deesser as a WAM 2.0 module: `import(url)` gives the WebAudioModule class. */
import { createLatheWam } from '../wam';
import { DEESSER_INFO } from '../../src/lib/core/dsp/deesser';

export default createLatheWam(DEESSER_INFO);
