// The module's exports: one kernel family per file; the host (src/wasm/) calls these with
// pointers into this module's memory, which it owns and allocates above heapBase().
export {
  entropyRowsF32, entropyRowsF64, crossEntropyRowsF32, crossEntropyRowsF64, klRowsF32, klRowsF64,
  divSegmentF32, divSegmentF64, divFinish,
} from './divergence';
export {
  jsdRowsF32, jsdRowsF64, sumMinSegmentF32, sumMinSegmentF64, jsdSegmentF32, jsdSegmentF64, jsdFastOk,
} from './jsd';
export { tablesF64, tableSegment, tableScale, tableFinish } from './joint';
export { pairPrepF32, pairPrepF64, pairTileF32, pairTileF64 } from './pairwise';
export { countPairs, groupPairs, scanCodes, countCodes } from './contingency';
export { entropyTermsI32, entropyTermsF64, groupedEntropyTerms, rowSumsI32, tableStatsF64, expectedMutualInfo } from './labels';
export { channelScratchBytes, channelInformation, channelCapacity } from './channel';

export function heapBase(): usize {
  return __heap_base;
}
