/** The part of omnitone (Apache-2.0, Google) that Lathe uses: its higher-order ambisonic HRIR convolver. */
declare module 'omnitone/build/omnitone.esm.js' {
  interface HOAConvolver {
    input: AudioNode;
    output: AudioNode;
  }
  const Omnitone: {
    createHOAConvolver(context: BaseAudioContext, ambisonicOrder: 2 | 3, hrirBufferList: AudioBuffer[]): HOAConvolver;
  };
  export default Omnitone;
}

/** Omnitone's second-order SH-HRIRs as base64 WAVs (scripts/omnitone-hrirs.js). */
declare module 'virtual:omnitone-hrirs' {
  const hrirs: string[];
  export default hrirs;
}
