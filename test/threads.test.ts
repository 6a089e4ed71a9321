// createEngine({ threads }): results bit-identical to one thread, concurrent calls, worker failure,
// abort, and an idle or closed pool never keeping the process alive. A 4 KiB arena and
// minParallelRows: 0 make every batch run in many small tasks on the workers (and, for copied
// input, on the calling thread too).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createEngine, createEngineSync } from '../src/index.node.js';
import { WasmBackend } from '../src/backends/wasm.js';
import { InfodivError } from '../src/errors.js';
import type { Engine } from '../src/engine.js';
import type { WorkerPool } from '../src/pool/pool.js';
import { REUSE_DISTANCE, TaskSlots } from '../src/pool/task-slots.js';
import type { ThreadedEngine } from '../src/pool/threaded-engine.js';
import { ROOT_NAMES } from '../src/root.js';
import { decodeNumbers, loadFixture } from './helpers/fixtures.js';
import { ROW_KINDS, rng, row } from './helpers/random.js';

const ARENA = 4096;
const POOL = Symbol.for('infodiv.pool');
const poolOf = (e: ThreadedEngine) => (e as unknown as Record<symbol, WorkerPool>)[POOL];

const threaded = await createEngine({ threads: 2, minParallelRows: 0, arenaBytes: ARENA });
const single = createEngineSync({ arenaBytes: ARENA });
afterAll(() => threaded.close());

type Outcome = { value: unknown } | { code: string; index: number[] | null; argument: string | null };

/** What a call gives: its value, or its error's code, index and argument. */
async function outcome(f: () => unknown): Promise<Outcome> {
  try {
    return { value: await f() };
  } catch (e) {
    if (!(e instanceof InfodivError)) throw e;
    return { code: e.code, index: e.index, argument: e.argument };
  }
}

/** Both engines agree exactly: the same numbers (bit for bit) or the same error. */
async function same(call: (e: Engine | ThreadedEngine) => unknown): Promise<void> {
  const one = await outcome(() => call(single));
  const two = await outcome(() => call(threaded));
  expect(two).toEqual(one);
}

describe('conformance batches: threads give exactly the one-thread results', () => {
  type Case = { id: string; args: Record<string, unknown>; options: Record<string, unknown>; expected: unknown };
  type Call = (e: Engine | ThreadedEngine, c: Case, arg: (name: string) => unknown) => unknown;
  const opts = (c: Case) => {
    const o: Record<string, unknown> = {};
    if (c.options.convention !== undefined) o.convention = c.options.convention;
    if (c.options.base !== undefined) o.base = c.options.base;
    return o;
  };
  const rows = (fn: 'entropy' | 'kl' | 'crossEntropy' | 'jsd' | 'jsDistance', a: string, b?: string): Call => (e, c, arg) =>
    fn === 'entropy' ? e.entropy(arg(a) as never, opts(c)) : e[fn](arg(a) as never, arg(b!) as never, opts(c));
  const table = (fn: 'mutualInformation' | 'jointEntropy' | 'conditionalEntropy'): Call => (e, c, arg) => e[fn](arg('joint') as never, opts(c));
  const files: [string, Call][] = [
    ['entropy', rows('entropy', 'p')],
    ['kl', rows('kl', 'p', 'q')],
    ['cross_entropy', rows('crossEntropy', 'p', 'q')],
    ['jsd', rows('jsd', 'p', 'q')],
    ['js_distance', rows('jsDistance', 'p', 'q')],
    ['keras_kl', rows('kl', 'y_true', 'y_pred')],
    ['mutual_info_joint', table('mutualInformation')],
    ['joint_entropy', table('jointEntropy')],
    ['conditional_entropy', table('conditionalEntropy')],
  ];
  const asDtype = (x: unknown, dtype: unknown): unknown => {
    const v = decodeNumbers(x);
    if (dtype !== 'float32') return v;
    if (Array.isArray(v) && Array.isArray(v[0])) return (v as number[][]).map((r) => Float32Array.from(r));
    return Float32Array.from(v as number[]);
  };
  for (const [file, call] of files) {
    it(file, async () => {
      for (const c of loadFixture(file).cases as Case[]) await same((e) => call(e, c, (name) => asDtype(c.args[name], c.options.dtype)));
    });
  }
});

/** rows × cols of mixed row kinds (tiny, huge, subnormal, zeros, ...), with some invalid values. */
function randomBatch(seed: number, rows: number, cols: number, f32: boolean): Float32Array | Float64Array {
  const rand = rng(seed);
  const data = f32 ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    data.set(row(rand, cols, ROW_KINDS[(seed + r) % ROW_KINDS.length]), r * cols);
    if (rand() < 0.03) data[r * cols + Math.floor(rand() * cols)] = rand() < 0.5 ? -1 : NaN;
  }
  return data;
}

/** A copy of `data` in an engine matrix of that engine's memory. */
function inEngine(e: Engine | ThreadedEngine, data: Float32Array | Float64Array, rows: number, cols: number) {
  const m = e.matrix(rows, cols, data instanceof Float32Array ? 'float32' : 'float64');
  m.data.set(data);
  return m;
}

describe('random batches: threads give exactly the one-thread results', () => {
  // The 1000-column rows do not fit a 4 KiB arena: they stream in segments (on the workers, and on
  // the calling thread too where input is copied).
  const shapes: [number, number][] = [[1, 5], [3, 1], [37, 17], [500, 33], [2000, 8], [40, 1000]];
  const conventions = [{}, { convention: 'raw' as const }, { convention: 'keras' as const, base: 2 }];
  for (const f32 of [true, false]) {
    for (const [rows, cols] of shapes) {
      it(`${f32 ? 'float32' : 'float64'} ${rows} × ${cols}: plain arrays, engine matrices, a broadcast row`, async () => {
        const p = randomBatch(rows * 7 + cols, rows, cols, f32), q = randomBatch(rows + cols * 3, rows, cols, f32);
        const P = { data: p, rows, cols }, Q = { data: q, rows, cols };
        const v = q.subarray(0, cols);
        const errors = () => ({ onInvalid: 'nan' as const, errors: [] as InfodivError[] });
        const collect = (e: Engine | ThreadedEngine, o: { errors: InfodivError[] }, r: unknown) =>
          Promise.resolve(r).then((x) => [x, o.errors.map((err) => [err.code, err.index])]);
        for (const conv of conventions) {
          await same((e) => { const o = { ...errors(), ...conv }; return collect(e, o, e.kl(P, Q, o)); });
        }
        await same((e) => { const o = errors(); return collect(e, o, e.entropy(P, o)); });
        await same((e) => { const o = { ...errors(), convention: 'raw' as const }; return collect(e, o, e.crossEntropy(P, v, o)); });
        await same((e) => { const o = errors(); return collect(e, o, e.jsd(v, Q, o)); });
        await same((e) => { const o = { ...errors(), base: 10 }; return collect(e, o, e.jsDistance(P, Q, o)); });
        await same((e) => e.kl(P, Q));
        if (rows <= 40) {
          const nested = (d: Float32Array | Float64Array) => Array.from({ length: rows }, (_, r) => Array.from(d.subarray(r * cols, (r + 1) * cols)));
          await same((e) => e.jsd(nested(p), nested(q), errors()));
        }
        // Engine matrices are read in place by the workers.
        await same((e) => {
          const mp = inEngine(e, p, rows, cols), mq = inEngine(e, q, rows, cols), mv = inEngine(e, v, 1, cols);
          const o = errors();
          return collect(e, o, e.kl(mp, mq, o)).then(async (r) => [
            r, await e.entropy(mp, { onInvalid: 'nan' }), await e.crossEntropy(mp, mv, { onInvalid: 'nan' }),
            // one input in place, the other copied
            await e.kl(P, mq, { onInvalid: 'nan' }), await e.jsd(mp, v, { onInvalid: 'nan' }),
          ]);
        });
      });
    }
  }

  it('rows that take several messages: copied segments in groups of 8 MiB', async () => {
    // 2.5M float32 pairs per row: with a 4 KiB arena, three groups of segments per row.
    const rows = 2, cols = 2_500_000;
    const rand = rng(77);
    const p = Float32Array.from({ length: rows * cols }, () => rand()), q = Float32Array.from({ length: rows * cols }, () => rand());
    p[cols + 1_234_567] = 0;
    const P = { data: p, rows, cols }, Q = { data: q, rows, cols };
    const messages = vi.spyOn(poolOf(threaded), 'runInOrder');
    try {
      await same((e) => e.kl(P, Q));
      // Both rows go to the worker (it holds two tasks), each in three groups of segments.
      expect(messages.mock.calls.filter(([calls]) => calls.length > 1).length).toBeGreaterThanOrEqual(2 * 3);
    } finally {
      messages.mockRestore();
    }
    await same((e) => e.jsd(P, Q));
  });

  it('batches of joint tables (and tables too large for the arena)', async () => {
    for (const [count, rows, cols] of [[1, 3, 4], [300, 3, 4], [50, 7, 9], [6, 20, 30]]) {
      const data = randomBatch(count + rows, count * rows, cols, false);
      const P = { data, tables: count, rows, cols };
      for (const fn of ['mutualInformation', 'jointEntropy', 'conditionalEntropy'] as const) {
        await same((e) => {
          const o = { onInvalid: 'nan' as const, errors: [] as InfodivError[], base: 2 };
          return Promise.resolve(e[fn](P, o)).then((r) => [r, o.errors.map((err) => [err.code, err.index])]);
        });
      }
    }
  });
});

describe('threaded engine', () => {
  it('reports its threads and returns Promises, also with threads: 1', async () => {
    expect(threaded.info()).toMatchObject({ backend: 'simd', simd: true, threads: 2 });
    const one = await createEngine({ threads: 1 });
    expect(one.info().threads).toBe(1);
    const r = one.kl([0.5, 0.5], [0.9, 0.1]);
    expect(r).toBeInstanceOf(Promise);
    expect(await r).toBe(single.kl([0.5, 0.5], [0.9, 0.1]));
    await one.close();
  });

  it('rejects bad options with INVALID_OPTION', async () => {
    await expect(createEngine({ threads: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(createEngine({ threads: 2, minParallelRows: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(threaded.kl([1], [1], { signal: 'no' } as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('keeps batches below minParallelRows on the calling thread', async () => {
    const e = await createEngine({ threads: 2, minParallelRows: 100 });
    const p = randomBatch(1, 99, 10, false);
    expect(await e.entropy({ data: p, rows: 99, cols: 10 }, { onInvalid: 'nan' })).toEqual(single.entropy({ data: p, rows: 99, cols: 10 }, { onInvalid: 'nan' }));
    expect(poolOf(e).workers.every((w) => w === undefined)).toBe(true);
    await e.entropy({ data: randomBatch(1, 100, 10, false), rows: 100, cols: 10 }, { onInvalid: 'nan' });
    expect(poolOf(e).workers.some((w) => w !== undefined)).toBe(true);
    await e.close();
  });

  it('by default decides by size: one row or under 2^19 elements stay on the calling thread', async () => {
    const e = await createEngine({ threads: 2 });
    const call = (rows: number, cols: number) => e.entropy({ data: randomBatch(2, rows, cols, true), rows, cols }, { onInvalid: 'nan' });
    await call(1, 1 << 19);
    await call(4000, 64);
    expect(poolOf(e).workers.every((w) => w === undefined)).toBe(true);
    await call(2, 1 << 18);
    expect(poolOf(e).workers.some((w) => w !== undefined)).toBe(true);
    await e.close();
  });

  it('functions without a parallel plan return Promises of the calling-thread result', async () => {
    const parallel = new Set(['entropy', 'crossEntropy', 'kl', 'jsd', 'jsDistance', 'mutualInformation', 'jointEntropy', 'conditionalEntropy']);
    for (const name of ROOT_NAMES.filter((n) => !parallel.has(n))) {
      expect(typeof (threaded as unknown as Record<string, unknown>)[name], name).toBe('function');
    }
    const A = { data: randomBatch(3, 30, 12, false), rows: 30, cols: 12 };
    const result = threaded.pairwise('jsd', A, { onInvalid: 'nan' });
    expect(result).toBeInstanceOf(Promise);
    await same((e) => e.pairwise('jsd', A, { onInvalid: 'nan' }));
  });

  it('scalar kernels on threads (the shared-scalar build); the js backend on the calling thread', async () => {
    const P = { data: randomBatch(11, 700, 21, true), rows: 700, cols: 21 }, Q = { data: randomBatch(12, 700, 21, false), rows: 700, cols: 21 };
    const scalar = await createEngine({ threads: 2, backend: 'scalar', minParallelRows: 0, arenaBytes: ARENA });
    expect(scalar.info()).toMatchObject({ backend: 'scalar', threads: 2 });
    expect(await scalar.kl(P, Q, { onInvalid: 'nan' })).toEqual(createEngineSync({ backend: 'scalar', arenaBytes: ARENA }).kl(P, Q, { onInvalid: 'nan' }));
    await scalar.close();
    const js = await createEngine({ threads: 2, backend: 'js' });
    expect(js.info()).toMatchObject({ backend: 'js', threads: 1 });
    expect(await js.jsd(P, Q, { onInvalid: 'nan' })).toEqual(createEngineSync({ backend: 'js' }).jsd(P, Q, { onInvalid: 'nan' }));
    await js.close();
  });

  it('memory grown while workers compute is seen by them', async () => {
    let grown: ReturnType<ThreadedEngine['matrix']> | undefined;
    const rows = 6000, cols = 64;
    const p = { data: randomBatch(21, rows, cols, false), rows, cols }, q = { data: randomBatch(22, rows, cols, false), rows, cols };
    const r = await threaded.kl(p, q, {
      onInvalid: 'nan',
      onProgress: () => {
        grown ??= threaded.matrix(rows, cols * 40, 'float64'); // ~120 MB: memory.grow mid-call
      },
    });
    expect(r).toEqual(single.kl(p, q, { onInvalid: 'nan' }));
    // The newest pages, read in place by the workers.
    const top = threaded.matrix(rows, cols, 'float64');
    top.data.set(p.data);
    expect(await threaded.kl(top, q, { onInvalid: 'nan' })).toEqual(r);
    top.free();
    grown!.free();
  });

  it('copied input: the calling thread computes tasks too, in its own memory; engine matrices: only the workers', async () => {
    const rows = 2000, cols = 8;
    const P = { data: randomBatch(5, rows, cols, true), rows, cols }, Q = { data: randomBatch(6, rows, cols, true), rows, cols };
    const onCaller = vi.spyOn(WasmBackend.prototype, 'rowMeasure');
    try {
      const nan = { onInvalid: 'nan' as const };
      const [kl, jsd] = [await threaded.kl(P, Q, nan), await threaded.jsd(P, Q, nan)];
      expect(onCaller).toHaveBeenCalled();
      expect(onCaller.mock.calls.reduce((n, [job]) => n + job.rows, 0)).toBeLessThan(2 * rows);
      expect([kl, jsd]).toEqual([single.kl(P, Q, nan), single.jsd(P, Q, nan)]);
      onCaller.mockClear();
      const mp = threaded.matrix(rows, cols, 'float32'), mq = threaded.matrix(rows, cols, 'float32');
      mp.data.set(P.data);
      mq.data.set(Q.data);
      expect(await threaded.kl(mp, mq, nan)).toEqual(kl);
      expect(onCaller).not.toHaveBeenCalled();
      mp.free();
      mq.free();
    } finally {
      onCaller.mockRestore();
    }
  });

  it("the runtime's allocation failures come out as OUT_OF_MEMORY; the engine goes on", async () => {
    const P = { data: randomBatch(7, 300, 5, false), rows: 300, cols: 5 };
    const fail = vi.spyOn(WasmBackend.prototype, 'rowLayout').mockImplementation(() => {
      throw new RangeError('Array buffer allocation failed');
    });
    try {
      await expect(threaded.entropy(P, { onInvalid: 'nan' })).rejects.toMatchObject({ code: 'OUT_OF_MEMORY' });
    } finally {
      fail.mockRestore();
    }
    expect(await threaded.entropy(P, { onInvalid: 'nan' })).toEqual(single.entropy(P, { onInvalid: 'nan' }));
  });

  it('50 concurrent calls with different inputs each get their own result', async () => {
    const calls = Array.from({ length: 50 }, (_, i) => {
      const rows = 20 + ((i * 37) % 200), cols = 3 + ((i * 11) % 60);
      const p = { data: randomBatch(i, rows, cols, i % 2 === 0), rows, cols }, q = { data: randomBatch(i + 100, rows, cols, i % 2 === 0), rows, cols };
      const opts = { onInvalid: 'nan' as const };
      const fn = (['kl', 'jsd', 'crossEntropy'] as const)[i % 3];
      return { expected: single[fn](p, q, opts), actual: threaded[fn](p, q, opts) };
    });
    const results = await Promise.all(calls.map((c) => c.actual));
    results.forEach((r, i) => expect(r).toEqual(calls[i].expected));
  });

  it('reuses freed memory: repeated calls do not grow it', async () => {
    const p = { data: randomBatch(5, 3000, 40, false), rows: 3000, cols: 40 };
    const q = { data: randomBatch(6, 3000, 40, true), rows: 3000, cols: 40 };
    await threaded.kl(p, q, { onInvalid: 'nan' });
    const before = threaded.memoryBytes();
    for (let i = 0; i < 20; i++) await Promise.all([threaded.kl(p, q, { onInvalid: 'nan' }), threaded.jsd(q, p, { onInvalid: 'nan' })]);
    expect(threaded.memoryBytes()).toBe(before);
  });

  /** A call long enough (thousands of tasks) to act on while it runs. */
  const longCall = (e: ThreadedEngine, onProgress: (done: number, total: number) => void, signal?: AbortSignal) => {
    const rows = 20000, cols = 64;
    const p = randomBatch(7, rows, cols, false), q = randomBatch(8, rows, cols, false);
    return e.kl({ data: p, rows, cols }, { data: q, rows, cols }, { onInvalid: 'nan', onProgress, signal });
  };

  it('onProgress counts rows up to the total', async () => {
    const seen: number[] = [];
    const r = (await longCall(threaded, (done, total) => {
      expect(total).toBe(20000);
      seen.push(done);
    })) as Float64Array;
    expect(r.length).toBe(20000);
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.every((d, i) => i === 0 || d > seen[i - 1])).toBe(true);
    expect(seen[seen.length - 1]).toBe(20000);
  });

  it('signal aborts a long call; the engine goes on', async () => {
    const before = threaded.memoryBytes();
    const ac = new AbortController();
    let last = 0;
    const call = longCall(threaded, (done) => {
      last = done;
      if (done > 1000) ac.abort();
    }, ac.signal);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    const atAbort = last;
    await new Promise((r) => setTimeout(r, 50));
    expect(last).toBe(atAbort);
    await expect(threaded.kl([1], [1], { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(await threaded.kl([[0.5, 0.5]], [[0.9, 0.1]])).toEqual(single.kl([[0.5, 0.5]], [[0.9, 0.1]]));
    expect(threaded.memoryBytes()).toBe(before);
  });

  it('a killed worker fails the pending call with WORKER_FAILED; the next call succeeds', async () => {
    let killed = false;
    const call = longCall(threaded, () => {
      if (!killed) void poolOf(threaded).workers[0]!.terminate();
      killed = true;
    });
    await expect(call).rejects.toBeInstanceOf(InfodivError);
    await expect(call).rejects.toMatchObject({ code: 'WORKER_FAILED' });
    const p = { data: randomBatch(9, 500, 30, true), rows: 500, cols: 30 };
    expect(await threaded.entropy(p, { onInvalid: 'nan' })).toEqual(single.entropy(p, { onInvalid: 'nan' }));
  });

  it('close() rejects later calls with ENGINE_CLOSED', async () => {
    const e = await createEngine({ threads: 2, minParallelRows: 0 });
    await e.kl([[0.5, 0.5]], [[0.9, 0.1]]);
    await e.close();
    await expect(e.kl([[0.5, 0.5]], [[0.9, 0.1]])).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
  });
});

describe('task slots', () => {
  /** A heap that hands out consecutive offsets and records what is released. */
  const fakeHeap = () => {
    let top = 0;
    const released: number[] = [];
    return { released, alloc: (bytes: number) => (top += bytes) - bytes, release: (at: number) => void released.push(at) };
  };

  it('copied input: a slot is reused only after REUSE_DISTANCE bytes of others, the idle one used longest ago first', () => {
    const heap = fakeHeap();
    const bytes = REUSE_DISTANCE / 4;
    const slots = new TaskSlots(heap, bytes, 2, true);
    const first = [slots.take(), slots.take()];
    slots.give(first[1]);
    slots.give(first[0]);
    expect([slots.take(), slots.take()]).toEqual([2 * bytes, 3 * bytes]);
    expect([slots.take(), slots.take()]).toEqual([first[1], first[0]]);
    slots.free();
    expect(heap.released.sort((a, b) => a - b)).toEqual([0, bytes, 2 * bytes, 3 * bytes]);
  });

  it('input used in place: inFlight + 1 slots, whatever their size', () => {
    const heap = fakeHeap();
    const slots = new TaskSlots(heap, 64, 2, false);
    const taken = [slots.take(), slots.take(), slots.take()];
    taken.forEach((at) => slots.give(at));
    expect(slots.take()).toBe(taken[0]);
  });

  it('where memory runs out, reuses the slots it has (more than inFlight), else fails', () => {
    const failAlloc = (): number => {
      throw new InfodivError('OUT_OF_MEMORY', 'no more');
    };
    const heap = fakeHeap();
    let allocations = 0;
    const limited = { alloc: (bytes: number) => (allocations++ < 3 ? heap.alloc(bytes) : failAlloc()), release: heap.release };
    const slots = new TaskSlots(limited, REUSE_DISTANCE / 8, 2, true);
    const taken = [slots.take(), slots.take(), slots.take()];
    slots.give(taken[0]!);
    expect(slots.take()).toBe(taken[0]);
    slots.give(taken[2]!);
    slots.give(taken[1]!);
    expect([slots.take(), slots.take()]).toEqual([taken[2], taken[1]]);
    const few = new TaskSlots({ alloc: failAlloc, release: () => {} }, 64, 2, true);
    expect(() => few.take()).toThrow(InfodivError);
  });

  it('takes a new slot rather than one a task still uses', () => {
    const heap = fakeHeap();
    const slots = new TaskSlots(heap, 64, 1, false);
    expect([slots.take(), slots.take(), slots.take()]).toEqual([0, 64, 128]);
  });
});

describe('process exit', () => {
  // The child runs the sources transpiled to plain JS (Node 20 cannot import .ts).
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'infodiv-threads-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const transpile = (from: string, to: string) => {
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const src = join(from, entry.name);
      if (entry.isDirectory()) transpile(src, join(to, entry.name));
      else if (entry.name.endsWith('.ts')) {
        const out = ts.transpileModule(readFileSync(src, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
        mkdirSync(to, { recursive: true });
        writeFileSync(join(to, entry.name.replace(/\.ts$/, '.js')), out.outputText);
      }
    }
  };
  transpile(join(root, 'src'), join(dir, 'src'));
  cpSync(join(root, 'build'), join(dir, 'build'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
  const entry = pathToFileURL(join(dir, 'src', 'index.node.js')).href;

  const run = (close: boolean) => {
    const code = `
      const { createEngine } = await import(${JSON.stringify(entry)});
      const e = await createEngine({ threads: 2, minParallelRows: 0 });
      const r = await e.kl([[0.5, 0.5], [0.2, 0.8]], [[0.4, 0.6], [0.3, 0.7]]);
      if (r.length !== 2) process.exit(3);
      ${close ? 'await e.close();' : ''}
      console.log('done');`;
    const started = Date.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: dirname(entry.replace('file://', '')), timeout: 10_000, encoding: 'utf8' });
    return { ...child, ms: Date.now() - started };
  };

  it('a closed engine lets the process exit', () => {
    const r = run(true);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('done');
    expect(r.status).toBe(0);
    expect(r.ms).toBeLessThan(5000);
  });

  it('an engine never closed lets the process exit too (idle workers are unref\'d)', () => {
    const r = run(false);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('done');
    expect(r.status).toBe(0);
    expect(r.ms).toBeLessThan(5000);
  });
});
