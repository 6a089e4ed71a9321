// Exports shared by the Node and browser entries.
export { InfodivError, type ErrorCode } from './errors.js';
export type { Engine, EngineInfo, EngineOptions } from './engine.js';
export type * from './types.js';
export { VERSION } from './version.js';
