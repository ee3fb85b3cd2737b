/** lathe.imager as a WAM 2.0 module: `import(url)` gives the WebAudioModule class. */
import { createLatheWam } from '../wam';
import { IMAGER_INFO } from '../../src/lib/core/dsp/imager';

export default createLatheWam(IMAGER_INFO);
