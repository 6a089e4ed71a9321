// Every JavaScript implementation of every workload. `prepare(w)` does whatever a user would do
// once (create engines, fill zero-copy matrices, build tensors) and returns the timed call, or a
// string saying why the implementation does not apply. Each call returns its result so that it
// can be checked against the float64 reference.
import { distance } from 'ml-distance';

const matrixOf = (w, data) => ({ data, rows: w.kind === 'mi' ? w.tables * w.rows : w.rows, cols: w.cols });

// ---- naive loops: the code a user writes first (no zero guards: the data is strictly positive)

function naiveKl(p, q, rows, cols) {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = r * cols, end = k + cols; k < end; k++) s += p[k] * Math.log(p[k] / q[k]);
    out[r] = s;
  }
  return out;
}

function naiveJsd(p, q, rows, cols) {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let k = r * cols, end = k + cols; k < end; k++) {
      const a = p[k], b = q[k], m = 0.5 * (a + b);
      s += a * Math.log(a / m) + b * Math.log(b / m);
    }
    out[r] = 0.5 * s;
  }
  return out;
}

function naiveMi(cells, tables, rows, cols) {
  const out = new Float64Array(tables);
  const px = new Float64Array(rows), py = new Float64Array(cols);
  for (let t = 0; t < tables; t++) {
    const base = t * rows * cols;
    px.fill(0);
    py.fill(0);
    for (let x = 0; x < rows; x++) {
      for (let y = 0; y < cols; y++) {
        const v = cells[base + x * cols + y];
        px[x] += v;
        py[y] += v;
      }
    }
    let s = 0;
    for (let x = 0; x < rows; x++) {
      for (let y = 0; y < cols; y++) {
        const v = cells[base + x * cols + y];
        if (v > 0) s += v * Math.log(v / (px[x] * py[y]));
      }
    }
    out[t] = s;
  }
  return out;
}

/** Upper triangle, mirrored (what anyone does for a symmetric measure); `jsdPair` per pair. */
function pairMatrix(a, rows, cols, jsdPair) {
  const out = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    const x = a.subarray(i * cols, (i + 1) * cols);
    for (let j = i + 1; j < rows; j++) {
      const v = jsdPair(x, a.subarray(j * cols, (j + 1) * cols));
      out[i * rows + j] = v;
      out[j * rows + i] = v;
    }
  }
  return out;
}

function naiveJsdPair(x, y) {
  let s = 0;
  for (let k = 0; k < x.length; k++) {
    const a = x[k], b = y[k], m = 0.5 * (a + b);
    s += a * Math.log(a / m) + b * Math.log(b / m);
  }
  return 0.5 * s;
}

// ---- infodiv

function infodivCall(engine, w, P, Q) {
  switch (w.kind) {
    case 'kl': return () => engine.kl(P, Q);
    case 'jsd': return () => engine.jsd(P, Q);
    case 'mi': return () => engine.mutualInformation({ data: P.data, tables: w.tables, rows: w.rows, cols: w.cols });
    case 'kl1': return () => engine.kl(P, Q);
    case 'pairwise': return () => engine.pairwise('jsd', P).data;
  }
}

function plainInputs(w) {
  if (w.kind === 'kl1') return [w.p, w.q];
  return [matrixOf(w, w.p), w.q ? matrixOf(w, w.q) : null];
}

// ---- TensorFlow.js: tensors built once outside the timing; float32 only (no float64 dtype)

function tfjsCall(tf, w) {
  const f32 = (x) => (x instanceof Float32Array ? x : Float32Array.from(x));
  const tensors = [];
  const keep = (t) => (tensors.push(t), t);
  let body;
  switch (w.kind) {
    case 'kl': case 'kl1': {
      const shape = w.kind === 'kl' ? [w.rows, w.cols] : [w.cols];
      const p = keep(tf.tensor(f32(w.p), shape)), q = keep(tf.tensor(f32(w.q), shape));
      body = () => tf.sum(tf.mul(p, tf.log(tf.div(p, q))), -1);
      break;
    }
    case 'jsd': {
      const p = keep(tf.tensor2d(f32(w.p), [w.rows, w.cols])), q = keep(tf.tensor2d(f32(w.q), [w.rows, w.cols]));
      body = () => {
        const m = tf.mul(tf.add(p, q), 0.5);
        return tf.mul(tf.sum(tf.add(tf.mul(p, tf.log(tf.div(p, m))), tf.mul(q, tf.log(tf.div(q, m)))), -1), 0.5);
      };
      break;
    }
    case 'mi': {
      const T = keep(tf.tensor3d(f32(w.p), [w.tables, w.rows, w.cols]));
      body = () => tf.sum(tf.mul(T, tf.log(tf.div(T, tf.mul(tf.sum(T, 2, true), tf.sum(T, 1, true))))), [1, 2]);
      break;
    }
    case 'pairwise': {
      // Broadcast a block of rows against all rows: [b, 1, K] vs [1, R, K], block by block so the
      // temporaries stay near 1e7 elements; the full matrix (no symmetry shortcut in tensor code).
      const A = keep(tf.tensor2d(f32(w.p), [w.rows, w.cols]));
      const all = keep(tf.expandDims(A, 0));
      const block = 32;
      body = () => {
        const parts = [];
        for (let i = 0; i < w.rows; i += block) {
          const x = tf.expandDims(tf.slice(A, [i, 0], [Math.min(block, w.rows - i), w.cols]), 1);
          const m = tf.mul(tf.add(x, all), 0.5);
          parts.push(tf.mul(tf.sum(tf.add(tf.mul(x, tf.log(tf.div(x, m))), tf.mul(all, tf.log(tf.div(all, m)))), -1), 0.5));
        }
        return tf.concat(parts, 0);
      };
      break;
    }
  }
  const fn = () => {
    const r = tf.tidy(body);
    const data = r.dataSync();
    r.dispose();
    return data;
  };
  return { fn, cleanup: () => tensors.forEach((t) => t.dispose()) };
}

/**
 * The implementations, in table order. `family` colours the chart; `prepare` returns
 * { fn, enter?, cleanup? }, a string (why it is not applicable) or null (not part of this
 * workload). `enter` runs before each round of calls to fn, outside the timing: the workload's
 * implementations take turns, and TensorFlow.js has one active backend at a time.
 */
export function implementations({ infodiv, tf, mlDistanceVersion, tfjsVersion }) {
  const engines = {};
  const engine = (backend) => (engines[backend] ??= infodiv.createEngineSync({ backend }));
  const f64Note = (w) => (w.p instanceof Float64Array ? ' (float32 tensors)' : '');
  const tfjs = (backend) => ({
    key: `tfjs-${backend}`,
    family: 'tfjs',
    label: `TensorFlow.js ${tfjsVersion} ${backend} backend`,
    async prepare(w) {
      if (backend === 'cpu' && w.kind === 'pairwise') return 'not run: about 9 s per call (extrapolated from W3), too slow for the time budget';
      const enter = async () => {
        await tf.setBackend(backend);
        await tf.ready();
      };
      await enter();
      return { ...tfjsCall(tf, w), enter, note: f64Note(w) };
    },
  });
  return [
    {
      key: 'simd', family: 'infodiv', label: 'infodiv SIMD, typed arrays (copy included)',
      prepare(w) {
        const [P, Q] = plainInputs(w);
        return { fn: infodivCall(engine('simd'), w, P, Q) };
      },
    },
    {
      key: 'simd-zero-copy', family: 'infodiv', label: 'infodiv SIMD, engine.matrix (zero-copy)',
      prepare(w) {
        if (w.kind === 'mi') return 'n/a: table batches are always copied (no zero-copy table input)';
        const e = engine('simd');
        const type = w.p instanceof Float32Array ? 'float32' : 'float64';
        const mats = [w.p, w.q].filter(Boolean).map((x) => {
          const m = e.matrix(w.rows, w.cols, type);
          m.data.set(x);
          return m;
        });
        return { fn: infodivCall(e, w, mats[0], mats[1]), cleanup: () => mats.forEach((m) => m.free()) };
      },
    },
    {
      key: 'scalar', family: 'infodiv-other', label: 'infodiv scalar wasm',
      prepare(w) {
        const [P, Q] = plainInputs(w);
        return { fn: infodivCall(engine('scalar'), w, P, Q) };
      },
    },
    {
      key: 'js', family: 'infodiv-other', label: 'infodiv js reference (float64, compensated)',
      prepare(w) {
        const [P, Q] = plainInputs(w);
        return { fn: infodivCall(engine('js'), w, P, Q) };
      },
    },
    {
      key: 'naive', family: 'js', label: 'naive JS loop (Math.log)',
      prepare(w) {
        switch (w.kind) {
          case 'kl': case 'kl1': return { fn: () => naiveKl(w.p, w.q, w.rows, w.cols) };
          case 'jsd': return { fn: () => naiveJsd(w.p, w.q, w.rows, w.cols) };
          case 'mi': return { fn: () => naiveMi(w.p, w.tables, w.rows, w.cols) };
          case 'pairwise': return { fn: () => pairMatrix(w.p, w.rows, w.cols, naiveJsdPair) };
        }
      },
    },
    {
      key: 'ml-distance', family: 'js', label: `ml-distance ${mlDistanceVersion}, per row (W6: per pair)`,
      prepare(w) {
        const rowsOf = (x, r) => x.subarray(r * w.cols, (r + 1) * w.cols);
        switch (w.kind) {
          case 'kl': case 'jsd': {
            const f = w.kind === 'kl' ? distance.kullbackLeibler : distance.jensenShannon;
            return {
              fn: () => {
                const out = new Float64Array(w.rows);
                for (let r = 0; r < w.rows; r++) out[r] = f(rowsOf(w.p, r), rowsOf(w.q, r));
                return out;
              },
            };
          }
          case 'kl1': return { fn: () => distance.kullbackLeibler(w.p, w.q) };
          case 'mi': {
            // ml-distance has no mutual information: KL(joint ‖ px ⊗ py), the outer product built per table.
            const n = w.rows * w.cols;
            const outer = new Float64Array(n), px = new Float64Array(w.rows), py = new Float64Array(w.cols);
            return {
              fn: () => {
                const out = new Float64Array(w.tables);
                for (let t = 0; t < w.tables; t++) {
                  const T = w.p.subarray(t * n, (t + 1) * n);
                  px.fill(0);
                  py.fill(0);
                  for (let x = 0; x < w.rows; x++) for (let y = 0; y < w.cols; y++) { px[x] += T[x * w.cols + y]; py[y] += T[x * w.cols + y]; }
                  for (let x = 0; x < w.rows; x++) for (let y = 0; y < w.cols; y++) outer[x * w.cols + y] = px[x] * py[y];
                  out[t] = distance.kullbackLeibler(T, outer);
                }
                return out;
              },
            };
          }
          case 'pairwise': return { fn: () => pairMatrix(w.p, w.rows, w.cols, distance.jensenShannon) };
        }
      },
    },
    {
      key: 'ml-distance-full', family: 'js', label: `ml-distance ${mlDistanceVersion}, every ordered pair (no mirroring)`,
      prepare(w) {
        if (w.kind !== 'pairwise') return null;
        // What A.map(a => A.map(b => jensenShannon(a, b))) computes: all rows² cells.
        return {
          fn: () => {
            const out = new Float64Array(w.rows * w.rows);
            for (let i = 0; i < w.rows; i++) {
              const x = w.p.subarray(i * w.cols, (i + 1) * w.cols);
              for (let j = 0; j < w.rows; j++) out[i * w.rows + j] = distance.jensenShannon(x, w.p.subarray(j * w.cols, (j + 1) * w.cols));
            }
            return out;
          },
        };
      },
    },
    tfjs('cpu'),
    tfjs('wasm'),
  ];
}
