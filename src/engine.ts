// An engine: one backend (with its WebAssembly memory) and the public functions over it.
import type { ComputeBackend } from './backend.js';
import { JsBackend } from './backends/js.js';
import { WasmBackend } from './backends/wasm.js';
import { InfodivError, asOutOfMemory } from './errors.js';
import { computePairwise } from './measures/pairwise.js';
import { computeRows } from './measures/rows.js';
import { computeTables } from './measures/tables.js';
import { contingencyTable, featureScores, labelScore } from './measures/labels.js';
import { channelCapacity, channelInformation } from './measures/channel.js';
import type {
  CapacityOptions, CapacityResult, ContingencyTable, FeatureScoreOptions, Labels, LabelScoreOptions,
} from './types.js';
import type { KernelExports } from './wasm/abi.js';
import type { Backend, CommonOptions, DivergenceOptions, EngineMatrix, Matrix, PairwiseMeasure, Table, TableBatch, VectorOrBatch } from './types.js';
import { ROOT_NAMES } from './root.js';
import { VERSION } from './version.js';

export interface EngineOptions {
  /** 'simd' (default where the runtime validates SIMD), 'scalar', or 'js' (float64 reference). */
  backend?: Backend;
  /** Bytes of the scratch arena that batches stream through (default 1 MiB, at least 1 KiB). */
  arenaBytes?: number;
  /** Worker threads: a number ≥ 1 or 'auto'. The engine's functions then return Promises. */
  threads?: number | 'auto';
  /**
   * Threaded engines: batches with fewer rows stay on the calling thread. Default: decided by
   * size, batches of one row or under 524,288 elements stay (see src/pool/options.ts).
   */
  minParallelRows?: number;
}

export interface EngineInfo {
  backend: Backend;
  simd: boolean;
  threads: number;
  version: string;
  crossOriginIsolated?: boolean;
}

export const DEFAULT_ARENA_BYTES = 1 << 20;
const MIN_ARENA_BYTES = 1024;

export function arenaBytesOf(opts: EngineOptions | undefined): number {
  const a = opts?.arenaBytes ?? DEFAULT_ARENA_BYTES;
  if (typeof a !== 'number' || !Number.isInteger(a) || a < MIN_ARENA_BYTES || a > 2 ** 31) {
    throw new InfodivError('INVALID_OPTION', `arenaBytes must be an integer from ${MIN_ARENA_BYTES} to 2^31, got ${String(a)}`);
  }
  return a;
}

export function backendOf(opts: EngineOptions | undefined, simd: boolean): Backend {
  const b = opts?.backend ?? (simd ? 'simd' : 'scalar');
  if (b !== 'simd' && b !== 'scalar' && b !== 'js') {
    throw new InfodivError('INVALID_OPTION', `backend must be 'simd', 'scalar' or 'js', got ${String(b)}`);
  }
  if (b === 'simd' && !simd) throw new InfodivError('INVALID_OPTION', 'this runtime does not support WebAssembly SIMD; use backend: \'scalar\'');
  return b;
}

export function makeBackend(kind: Backend, exports: KernelExports | null, arenaBytes: number): ComputeBackend {
  if (kind === 'js') return new JsBackend();
  return new WasmBackend(kind, exports!, arenaBytes);
}

const MATRIX_TYPES = { float32: 'f32', float64: 'f64' } as const;

/** The public functions of API.md over one backend, computed on the calling thread. */
export class Engine {
  private closed = false;

  constructor(
    protected readonly backend: ComputeBackend,
    private readonly extraInfo: { simd: boolean; crossOriginIsolated?: boolean },
  ) {}

  protected use(): ComputeBackend {
    if (this.closed) throw new InfodivError('ENGINE_CLOSED', 'this engine was closed');
    return this.backend;
  }

  entropy(p: VectorOrBatch, opts?: DivergenceOptions): number | Float64Array {
    return computeRows(this.use(), { measure: 'entropy', p, q: null, opts, names: ['p', 'q'] });
  }

  crossEntropy(p: VectorOrBatch, q: VectorOrBatch, opts?: DivergenceOptions): number | Float64Array {
    return computeRows(this.use(), { measure: 'crossEntropy', p, q, opts, names: ['p', 'q'] });
  }

  kl(p: VectorOrBatch, q: VectorOrBatch, opts?: DivergenceOptions): number | Float64Array {
    const names: [string, string] = opts?.convention === 'keras' ? ['y_true', 'y_pred'] : ['p', 'q'];
    return computeRows(this.use(), { measure: 'kl', p, q, opts, names });
  }

  jsd(p: VectorOrBatch, q: VectorOrBatch, opts?: DivergenceOptions): number | Float64Array {
    return computeRows(this.use(), { measure: 'jsd', p, q, opts, names: ['p', 'q'] });
  }

  jsDistance(p: VectorOrBatch, q: VectorOrBatch, opts?: DivergenceOptions): number | Float64Array {
    return computeRows(this.use(), { measure: 'jsd', p, q, opts, names: ['p', 'q'], post: Math.sqrt });
  }

  mutualInformation(P: Table | TableBatch, opts?: CommonOptions): number | Float64Array {
    return computeTables(this.use(), 'mi', P, opts);
  }

  jointEntropy(P: Table | TableBatch, opts?: CommonOptions): number | Float64Array {
    return computeTables(this.use(), 'joint', P, opts);
  }

  conditionalEntropy(P: Table | TableBatch, opts?: CommonOptions): number | Float64Array {
    return computeTables(this.use(), 'cond', P, opts);
  }

  /**
   * rows(A) × rows(B) matrix of `measure` between every row of A and every row of B; without B,
   * A against itself (jsd and jsDistance then computed once per pair and mirrored). The options
   * may take B's place.
   */
  pairwise(measure: PairwiseMeasure, A: VectorOrBatch, opts?: DivergenceOptions): Matrix<Float64Array>;
  pairwise(measure: PairwiseMeasure, A: VectorOrBatch, B: VectorOrBatch | null | undefined, opts?: DivergenceOptions): Matrix<Float64Array>;
  pairwise(measure: PairwiseMeasure, A: VectorOrBatch, B?: unknown, opts?: DivergenceOptions): Matrix<Float64Array> {
    return computePairwise(this.use(), measure, A, B, opts);
  }

  /** Counts of every pair of labels of a and b, with the sorted labels of both. */
  contingency(a: Labels, b: Labels): ContingencyTable {
    return contingencyTable(this.use(), a, b);
  }

  /** scikit-learn's mutual_info_score of two labelings or of a contingency table (nats unless `base`). */
  mutualInfoScore(table: Table, opts?: LabelScoreOptions): number;
  mutualInfoScore(a: Labels, b: Labels, opts?: LabelScoreOptions): number;
  mutualInfoScore(...args: unknown[]): number {
    return labelScore(this.use(), 'mi', args);
  }

  /** scikit-learn's normalized_mutual_info_score (`averageMethod`, default 'arithmetic'). */
  normalizedMutualInfoScore(table: Table, opts?: LabelScoreOptions): number;
  normalizedMutualInfoScore(a: Labels, b: Labels, opts?: LabelScoreOptions): number;
  normalizedMutualInfoScore(...args: unknown[]): number {
    return labelScore(this.use(), 'nmi', args);
  }

  /** scikit-learn's adjusted_mutual_info_score; a table must hold integer counts. */
  adjustedMutualInfoScore(table: Table, opts?: LabelScoreOptions): number;
  adjustedMutualInfoScore(a: Labels, b: Labels, opts?: LabelScoreOptions): number;
  adjustedMutualInfoScore(...args: unknown[]): number {
    return labelScore(this.use(), 'ami', args);
  }

  /** One MI (or NMI, AMI) per feature against `target`, all features counted in one pass. */
  mutualInfoScores(features: readonly Labels[] | Matrix, target: Labels, opts?: FeatureScoreOptions): Float64Array {
    return featureScores(this.use(), features, target, opts);
  }

  /** I(X;Y) of input distribution px (normalized) through W[x][y] = p(y|x); batches of either. */
  channelMutualInformation(px: VectorOrBatch, W: Table | TableBatch, opts?: CommonOptions): number | Float64Array {
    return channelInformation(this.use(), px, W, opts);
  }

  /** Capacity of W by Blahut-Arimoto with certified bounds (an array of results for a batch of channels). */
  channelCapacity(W: Table, opts?: CapacityOptions): CapacityResult;
  channelCapacity(W: TableBatch, opts?: CapacityOptions): CapacityResult[];
  channelCapacity(W: Table | TableBatch, opts?: CapacityOptions): CapacityResult | CapacityResult[] {
    return channelCapacity(this.use(), W, opts);
  }

  /** A rows × cols matrix living in this engine's memory: passing it to this engine copies nothing. */
  matrix(rows: number, cols: number, type: 'float32' | 'float64' = 'float64'): EngineMatrix {
    const dtype = MATRIX_TYPES[type];
    if (!dtype) throw new InfodivError('INVALID_OPTION', `matrix type must be 'float32' or 'float64', got ${String(type)}`);
    return this.use().matrix(rows, cols, dtype);
  }

  info(): EngineInfo {
    const info: EngineInfo = { backend: this.backend.kind, simd: this.backend.kind === 'simd', threads: 1, version: VERSION };
    if (this.extraInfo.crossOriginIsolated !== undefined) info.crossOriginIsolated = this.extraInfo.crossOriginIsolated;
    return info;
  }

  /** Bytes of WebAssembly memory this engine holds (0 for the js backend). */
  memoryBytes(): number {
    return this.backend.memoryBytes();
  }

  close(): void {
    this.closed = true;
  }
}

// Every public function turns the runtime's allocation failures (results, tables or matrices too
// large for the process) into OUT_OF_MEMORY, so that callers see a typed error, never a RangeError.
for (const name of [...ROOT_NAMES, 'matrix'] as const) {
  const method = Engine.prototype[name] as (...args: unknown[]) => unknown;
  Object.defineProperty(Engine.prototype, name, {
    value(this: Engine, ...args: unknown[]) {
      try {
        return method.apply(this, args);
      } catch (e) {
        throw asOutOfMemory(e);
      }
    },
    writable: true,
    configurable: true,
  });
}
