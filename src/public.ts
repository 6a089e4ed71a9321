// Exports shared by the Node and browser entries.
export { InfodivError, type ErrorCode } from './errors.js';
export type { Engine, EngineInfo, EngineOptions } from './engine.js';
export type { ThreadedEngine, ThreadedDivergenceOptions, ThreadedTableOptions } from './pool/threaded-engine.js';
export type { CallControl } from './pool/options.js';
export type * from './types.js';
export { VERSION } from './version.js';
