// One worker thread as the pool sees it, whatever runs it (Node worker_threads, a browser Worker).

export interface WorkerThread {
  post(message: unknown): void;
  /** Keep the host process alive while this worker has work (Node; a no-op in browsers). */
  ref(): void;
  /** Let the host process exit while this worker is idle. */
  unref(): void;
  /** Stops the worker; a worker stopped this way reports `fail`, like one that died. */
  terminate(): Promise<void>;
}

export interface ThreadEvents {
  message(data: unknown): void;
  /** The worker threw, could not start, or exited: it is gone. May be reported more than once. */
  fail(reason: string): void;
}

export type SpawnThread = (events: ThreadEvents) => WorkerThread;
