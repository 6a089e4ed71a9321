// Scratch for the tasks of one call. A slot is reused only after every other slot has been, and
// where the calling thread copies input into the slots there are enough of them to span
// REUSE_DISTANCE bytes: writing lines that a worker has read recently costs a cross-core
// invalidation per line, which cut the calling thread's copy of W7 from ~18 to ~7 GB/s
// (docs/architecture.md, "Threads").
import type { WasmHeap } from '../wasm/heap.js';

/**
 * Bytes copied between two uses of a slot: more than a last-level cache holds. On W7 with 2
 * threads (interleaved medians): 16 MiB 1.27×, 32 MiB 1.48×, 48 MiB 1.60×, 96 MiB 1.63× one thread.
 */
export const REUSE_DISTANCE = 64 << 20;

export class TaskSlots {
  private readonly slots: number[] = [];
  private readonly idle: number[] = [];
  private most: number;

  /**
   * Slots of `bytes` each, allocated as tasks need them: at least `inFlight` + 1, and enough to
   * span REUSE_DISTANCE when `copied` (the calling thread writes the slots' input).
   */
  constructor(private readonly heap: Pick<WasmHeap, 'alloc' | 'release'>, private readonly bytes: number, private readonly inFlight: number, copied: boolean) {
    this.most = Math.max(inFlight + 1, copied ? Math.ceil(REUSE_DISTANCE / Math.max(bytes, 1)) : 0);
  }

  /**
   * The offset of a slot no task in flight uses: a new one while fewer than the most, else the
   * idle one used longest ago. Where memory runs out before the most, the slots so far serve,
   * if there are more than inFlight of them.
   */
  take(): number {
    const reused = this.slots.length < this.most ? undefined : this.idle.shift();
    if (reused !== undefined) return reused;
    let at: number;
    try {
      at = this.heap.alloc(this.bytes);
    } catch (e) {
      const idle = this.slots.length > this.inFlight ? this.idle.shift() : undefined;
      if (idle === undefined) throw e;
      this.most = this.slots.length;
      return idle;
    }
    this.slots.push(at);
    return at;
  }

  give(at: number): void {
    this.idle.push(at);
  }

  free(): void {
    for (const at of this.slots) this.heap.release(at, this.bytes);
    this.slots.length = 0;
    this.idle.length = 0;
  }
}
