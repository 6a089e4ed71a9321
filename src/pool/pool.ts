// A fixed number of persistent workers over one shared memory. Workers start on first use (start-up
// costs tens of milliseconds, so they are kept), are referenced only while they have work (an idle
// pool never keeps a Node process alive), and a worker that fails takes down exactly the kernel
// calls it was running: they reject with WORKER_FAILED and the next call starts a new worker.
import { InfodivError } from '../errors.js';
import type { SpawnThread, WorkerThread } from './thread.js';

interface Pending {
  resolve(value: number): void;
  reject(error: InfodivError): void;
}

interface Slot {
  thread: WorkerThread;
  pending: Map<number, Pending>;
}

export interface PoolModule {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
}

export class WorkerPool {
  private readonly slots: (Slot | undefined)[];
  private nextId = 0;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly spawn: SpawnThread,
    private readonly init: PoolModule,
  ) {
    this.slots = new Array<Slot | undefined>(size).fill(undefined);
  }

  /** The running workers (a test hook: terminating one simulates a crash). */
  get workers(): (WorkerThread | undefined)[] {
    return this.slots.map((s) => s?.thread);
  }

  /** Runs `kernel(...args)` on the least busy of the first `workers` workers; resolves with the kernel's return value. */
  run(kernel: string, args: number[], workers = this.size): Promise<number> {
    return this.runInOrder([[kernel, args]], workers);
  }

  /** Runs each [kernel, args] of `calls` in order on one worker, as run does; resolves with the last one's value. */
  runInOrder(calls: [string, number[]][], workers = this.size): Promise<number> {
    if (this.closed) return Promise.reject(new InfodivError('ENGINE_CLOSED', 'this engine was closed'));
    let slot: Slot;
    try {
      slot = this.leastBusy(Math.min(workers, this.size));
    } catch (e) {
      return Promise.reject(new InfodivError('WORKER_FAILED', `could not start a worker: ${e instanceof Error ? e.message : String(e)}`));
    }
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      if (slot.pending.size === 0) slot.thread.ref();
      slot.pending.set(id, { resolve, reject });
      slot.thread.post([id, calls]);
    });
  }

  /** Stops every worker; calls still running reject with ENGINE_CLOSED. */
  async close(): Promise<void> {
    this.closed = true;
    const stopping: Promise<void>[] = [];
    this.slots.forEach((slot, i) => {
      if (!slot) return;
      this.slots[i] = undefined;
      fail(slot, new InfodivError('ENGINE_CLOSED', 'this engine was closed'));
      stopping.push(slot.thread.terminate());
    });
    await Promise.all(stopping);
  }

  private leastBusy(workers: number): Slot {
    let best = -1;
    for (let i = 0; i < workers; i++) {
      const slot = this.slots[i];
      if (!slot) {
        best = i;
        break;
      }
      if (best < 0 || slot.pending.size < this.slots[best]!.pending.size) best = i;
    }
    return this.slots[best] ?? (this.slots[best] = this.start(best));
  }

  private start(index: number): Slot {
    const pending = new Map<number, Pending>();
    const thread = this.spawn({
      message: (data) => {
        const [id, value] = data as [number, number];
        const call = pending.get(id);
        if (!call) return;
        pending.delete(id);
        if (pending.size === 0) thread.unref();
        call.resolve(value);
      },
      fail: (reason) => {
        // Only the first report counts; a replacement may already hold the slot.
        if (this.slots[index]?.thread !== thread) return;
        this.slots[index] = undefined;
        fail(slot, new InfodivError('WORKER_FAILED', `a worker thread failed: ${reason}`));
        void thread.terminate();
      },
    });
    const slot: Slot = { thread, pending };
    thread.unref();
    thread.post(this.init);
    return slot;
  }
}

function fail(slot: Slot, error: InfodivError): void {
  const calls = [...slot.pending.values()];
  slot.pending.clear();
  slot.thread.unref();
  for (const c of calls) c.reject(error);
}
