// The engine createEngine({ threads }) returns: the functions of Engine, returning Promises. Row and
// table measures over large batches run on the worker pool; everything else (small batches,
// functions without a parallel plan, engines without workers) runs on the calling thread.
import type { ComputeBackend, RowJob, TableMeasure } from '../backend.js';
import type { WasmBackend } from '../backends/wasm.js';
import type { Engine, EngineInfo } from '../engine.js';
import { InfodivError, asOutOfMemory } from '../errors.js';
import { finishRows, prepareRows, type RowCall } from '../measures/rows.js';
import { finishTables, prepareTables } from '../measures/tables.js';
import { ROOT_NAMES, type RootName } from '../root.js';
import type { CommonOptions, DivergenceOptions, EngineMatrix, Table, TableBatch, VectorOrBatch } from '../types.js';
import { callControl, type CallControl, type UsePool } from './options.js';
import { abortReason } from './pipeline.js';
import type { WorkerPool } from './pool.js';
import { parallelRows } from './row-tasks.js';
import { parallelTables } from './table-tasks.js';

/** The test hook: `engine[POOL]` is the engine's WorkerPool (or null). */
export const POOL = Symbol.for('infodiv.pool');

/** F returning a Promise; two overloads are kept (a plain function matches as two equal ones). */
type Async<F> = F extends { (...a: infer A1): infer R1; (...a: infer A2): infer R2 }
  ? { (...a: A1): Promise<R1>; (...a: A2): Promise<R2> }
  : never;

type ParallelName = 'entropy' | 'crossEntropy' | 'kl' | 'jsd' | 'jsDistance' | 'mutualInformation' | 'jointEntropy' | 'conditionalEntropy';

/** Root functions with no parallel plan: computed on the calling thread, returned as Promises. */
type CallingThreadFunctions = { [K in Exclude<RootName, ParallelName>]: Async<Engine[K]> };

export type ThreadedDivergenceOptions = DivergenceOptions & CallControl;
export type ThreadedTableOptions = CommonOptions & CallControl;

/** Where the pool computes: the shared memory's backend and its workers. */
export interface PoolBackend {
  backend: WasmBackend;
  pool: WorkerPool;
  usePool: UsePool;
  /**
   * Where the calling thread computes tasks of its own, between the workers' replies: a backend
   * over memory of its own (copying into it is fast, unlike into shared memory) and the way to
   * wait for those replies. null where the calling thread must stay free (a browser page).
   */
  caller: CallerBackend | null;
}

/** The calling thread's own backend and the way it waits for the workers' replies. */
export interface CallerBackend {
  backend: WasmBackend;
  afterEvents: (f: () => void) => void;
}

// Declaration merging adds the calling-thread functions, which the static block defines.
export interface ThreadedEngine extends CallingThreadFunctions {}

export class ThreadedEngine {
  static {
    for (const name of ROOT_NAMES) {
      if (Object.hasOwn(ThreadedEngine.prototype, name)) continue;
      Object.defineProperty(ThreadedEngine.prototype, name, {
        value(this: ThreadedEngine, ...args: unknown[]) {
          return this.onCallingThread(name, args);
        },
        writable: true,
        configurable: true,
      });
    }
  }

  private closed = false;

  /**
   * `inner` computes on the calling thread over `backend`; `parallel` (null: no workers) shares that
   * backend's memory with the pool.
   */
  constructor(
    private readonly inner: Engine,
    private readonly backend: ComputeBackend,
    private readonly parallel: PoolBackend | null,
  ) {}

  get [POOL](): WorkerPool | null {
    return this.parallel?.pool ?? null;
  }

  entropy(p: VectorOrBatch, opts?: ThreadedDivergenceOptions): Promise<number | Float64Array> {
    return this.rows({ measure: 'entropy', p, q: null, opts, names: ['p', 'q'] });
  }

  crossEntropy(p: VectorOrBatch, q: VectorOrBatch, opts?: ThreadedDivergenceOptions): Promise<number | Float64Array> {
    return this.rows({ measure: 'crossEntropy', p, q, opts, names: ['p', 'q'] });
  }

  kl(p: VectorOrBatch, q: VectorOrBatch, opts?: ThreadedDivergenceOptions): Promise<number | Float64Array> {
    const names: [string, string] = opts?.convention === 'keras' ? ['y_true', 'y_pred'] : ['p', 'q'];
    return this.rows({ measure: 'kl', p, q, opts, names });
  }

  jsd(p: VectorOrBatch, q: VectorOrBatch, opts?: ThreadedDivergenceOptions): Promise<number | Float64Array> {
    return this.rows({ measure: 'jsd', p, q, opts, names: ['p', 'q'] });
  }

  jsDistance(p: VectorOrBatch, q: VectorOrBatch, opts?: ThreadedDivergenceOptions): Promise<number | Float64Array> {
    return this.rows({ measure: 'jsd', p, q, opts, names: ['p', 'q'], post: Math.sqrt });
  }

  mutualInformation(P: Table | TableBatch, opts?: ThreadedTableOptions): Promise<number | Float64Array> {
    return this.tables('mi', P, opts);
  }

  jointEntropy(P: Table | TableBatch, opts?: ThreadedTableOptions): Promise<number | Float64Array> {
    return this.tables('joint', P, opts);
  }

  conditionalEntropy(P: Table | TableBatch, opts?: ThreadedTableOptions): Promise<number | Float64Array> {
    return this.tables('cond', P, opts);
  }

  /** A rows × cols matrix in the engine's shared memory: workers read it in place. */
  matrix(rows: number, cols: number, type: 'float32' | 'float64' = 'float64'): EngineMatrix {
    return this.inner.matrix(rows, cols, type);
  }

  info(): EngineInfo {
    return { ...this.inner.info(), threads: this.parallel?.pool.size ?? 1 };
  }

  /** Bytes of WebAssembly memory this engine holds (0 for the js backend). */
  memoryBytes(): number {
    return this.inner.memoryBytes();
  }

  /** Stops the workers; calls still running reject with ENGINE_CLOSED, later calls too. */
  async close(): Promise<void> {
    this.closed = true;
    this.inner.close();
    await this.parallel?.pool.close();
  }

  /** Checks common to every call; returns the call's signal and progress callback. */
  private begin(opts: unknown): CallControl {
    if (this.closed) throw new InfodivError('ENGINE_CLOSED', 'this engine was closed');
    const control = callControl(opts);
    if (control.signal?.aborted) throw abortReason(control.signal);
    return control;
  }

  private rows(call: RowCall): Promise<number | Float64Array> {
    return typedFailures(async () => {
      const control = this.begin(call.opts);
      const prep = prepareRows(call);
      const job: RowJob = { measure: call.measure, convention: prep.convention, p: prep.p, q: prep.q, rows: prep.rows, out: prep.out };
      const par = this.parallel;
      const onPool = par?.usePool(prep.rows, prep.rows * prep.p.cols) ? parallelRows(par, job, control) : null;
      const bad = onPool ? await onPool : this.here(control, prep.rows, () => this.backend.rowMeasure(job));
      return finishRows(call, prep, bad);
    });
  }

  private tables(measure: TableMeasure, P: unknown, opts: ThreadedTableOptions | undefined): Promise<number | Float64Array> {
    return typedFailures(async () => {
      const control = this.begin(opts);
      const prep = prepareTables(measure, P, opts);
      const par = this.parallel;
      const onPool = par?.usePool(prep.job.count, prep.job.cells.rows * prep.job.cols) ? parallelTables(par.backend, par.pool, prep.job, control) : null;
      const bad = onPool ? await onPool : this.here(control, prep.job.count, () => this.backend.tableMeasure(prep.job));
      return finishTables(prep, bad);
    });
  }

  private here(control: CallControl, rows: number, compute: () => number): number {
    const bad = compute();
    control.onProgress?.(rows, rows);
    return bad;
  }

  private async onCallingThread(name: RootName, args: unknown[]): Promise<unknown> {
    const control = this.begin(args[args.length - 1]);
    const result = (this.inner[name] as (...a: unknown[]) => unknown)(...args);
    const n = result instanceof Float64Array ? result.length : 1;
    control.onProgress?.(n, n);
    return result;
  }
}

/** The runtime's allocation failures as OUT_OF_MEMORY, as Engine's functions report them. */
async function typedFailures<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw asOutOfMemory(e);
  }
}
