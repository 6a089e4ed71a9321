// The whole program of a worker, as source text: Node starts it with `eval`, browsers from a Blob
// URL, so no worker file has to be found next to the package (and it runs unchanged from the
// TypeScript sources under a test runner).
//
// Protocol: the first message is { module, memory }: the worker instantiates the main thread's
// compiled module over the main thread's shared memory, once. Every later message is
// [id, calls], calls a list of [kernel, args] run in order; the worker replies [id, result] with
// the last call's result. Workers never allocate: the pointers they
// are given were allocated by the main thread. Any exception (a failed instantiation, a trap) is
// left uncaught on purpose: the pool sees the worker fail and fails its calls.

const RUN = `
const run = (listen, reply) => {
  let kernels;
  listen((m) => {
    if (kernels === undefined) {
      kernels = new WebAssembly.Instance(m.module, { env: { memory: m.memory } }).exports;
      return;
    }
    reply([m[0], m[1].reduce((_, [kernel, args]) => kernels[kernel](...args), 0)]);
  });
};`;

/** The worker program: the shared part plus `start`, the platform's wiring of `run` to its messages. */
export function workerSource(start: string): string {
  return RUN + start;
}
