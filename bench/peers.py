"""numpy and scipy on the benchmark's data (written by bench/run.mjs), timed like benchmark.js:
a few warm-up calls, then calls until MAX_TIME seconds have passed and at least MIN_SAMPLES were
taken; the median is reported. Prints one JSON document on stdout.

usage: python3 bench/peers.py DATA_DIR MIN_SAMPLES MAX_TIME
"""
import json
import os
import platform
import sys
import time

import numpy as np
import scipy
from scipy.spatial.distance import cdist, jensenshannon, pdist, squareform
from scipy.special import rel_entr

data_dir, MIN_SAMPLES, MAX_TIME = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
WARMUP = 2


def load(w, key):
    return np.fromfile(os.path.join(data_dir, w["files"][key]), dtype=w["dtype"] if key != "ref" else np.float64)


def timed(fn):
    for _ in range(WARMUP):
        fn()
    samples, start = [], time.perf_counter()
    while len(samples) < MIN_SAMPLES or time.perf_counter() - start < MAX_TIME:
        t = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - t)
    return samples, result


def max_rel_err(got, ref):
    """Relative error, absolute where the reference is 0 (a pairwise diagonal)."""
    got = np.asarray(got, dtype=np.float64).reshape(-1)
    err = np.abs(got - ref)
    nz = ref != 0
    err[nz] /= np.abs(ref[nz])
    return float(np.max(err))


def cases(w):
    p = load(w, "p")
    q = load(w, "q") if "q" in w["files"] else None
    kind, rows, cols = w["kind"], w["rows"], w["cols"]
    if kind in ("kl", "jsd"):
        p, q = p.reshape(rows, cols), q.reshape(rows, cols)
    if kind in ("kl", "kl1"):
        axis = 1 if kind == "kl" else None
        yield "numpy", "sum(p*log(p/q))", lambda: np.sum(p * np.log(p / q), axis=axis)
        yield "scipy", "sum(rel_entr(p, q))", lambda: np.sum(rel_entr(p, q), axis=axis)
    elif kind == "jsd":
        def expr():
            m = 0.5 * (p + q)
            return 0.5 * np.sum(p * np.log(p / m) + q * np.log(q / m), axis=1)
        yield "numpy", "expression", expr
        yield "scipy", "jensenshannon(p, q, axis=1)**2", lambda: jensenshannon(p, q, axis=1) ** 2
    elif kind == "mi":
        T = p.reshape(w["tables"], rows, cols)

        def outer():
            return T.sum(2, keepdims=True) * T.sum(1, keepdims=True)
        yield "numpy", "sum(T*log(T/(px*py)))", lambda: np.sum(T * np.log(T / outer()), axis=(1, 2))
        yield "scipy", "rel_entr(T, px*py).sum", lambda: rel_entr(T, outer()).sum(axis=(1, 2))
    elif kind == "pairwise":
        A = p.reshape(rows, cols)
        yield "scipy", "cdist(A, A, 'jensenshannon')**2", lambda: cdist(A, A, "jensenshannon") ** 2
        yield "scipy", "squareform(pdist(A, 'jensenshannon'))**2", lambda: squareform(pdist(A, "jensenshannon")) ** 2


def main():
    with open(os.path.join(data_dir, "manifest.json")) as f:
        manifest = json.load(f)
    results = []
    for w in manifest:
        ref = load(w, "ref")
        for lib, what, fn in cases(w):
            samples, result = timed(fn)
            results.append({"workload": w["id"], "lib": lib, "what": what, "samples": samples, "maxRelErr": max_rel_err(result, ref)})
            print(f"  python {w['id']} {lib} {what}: {np.median(samples) * 1e3:.2f} ms", file=sys.stderr)
    print(json.dumps({
        "python": platform.python_version(), "executable": sys.executable,
        "numpy": np.__version__, "scipy": scipy.__version__, "results": results,
    }))


main()
