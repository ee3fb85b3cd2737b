/** lathe.compressor as a WAM 2.0 module: `import(url)` gives the WebAudioModule class. */
import { createLatheWam } from '../wam';
import { COMPRESSOR_INFO } from '../../src/lib/core/dsp/compressor';

export default createLatheWam(COMPRESSOR_INFO);
