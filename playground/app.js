// The playground: parses the two boxes, calls an infodiv engine and shows the per-row scores and one
// row's per-element contributions. Every score comes from the library; the chart's terms are
// recomputed here element by element, because the library returns row totals only.
import { createEngine, InfodivError } from '/dist/index.browser.js';

const el = (id) => document.getElementById(id);
const ui = {
  p: el('p'), q: el('q'), pFile: el('p-file'), qFile: el('q-file'), qBox: el('q-box'), swap: el('swap'),
  measure: el('measure'), base: el('base'), convention: el('convention'), backend: el('backend'), example: el('example'),
  compute: el('compute'), error: el('error'), errorText: el('error-text'), errorGoto: el('error-goto'),
  status: el('status'), body: el('scores-body'), tableNote: el('table-note'), scores: el('scores'), download: el('download'),
  row: el('row'), chartTitle: el('chart-title'), chart: el('chart'),
};

/** Conventions each measure accepts (API.md); the others are disabled in the menu. */
const CONVENTIONS = {
  entropy: ['scipy', 'raw'], crossEntropy: ['scipy', 'raw'], kl: ['scipy', 'raw', 'keras'], jsd: ['scipy'], jsDistance: ['scipy'],
};
const JS_TERM = '½·[p·log(p/m) + q·log(q/m)], m = (p+q)/2';
const TERM = { entropy: '−p·log p', crossEntropy: '−p·log q', kl: 'p·log(p/q)', jsd: JS_TERM, jsDistance: JS_TERM };
/** Which box an InfodivError's `argument` points at (kl with the keras convention names them y_true, y_pred). */
const BOX_OF = { p: 'p', y_true: 'p', q: 'q', y_pred: 'q' };
/** Rendering more table rows than this makes big batches sluggish; the rest are in the text box. */
const TABLE_ROWS = 500;

let engine;          // Promise<Engine> for the chosen backend
let result = null;   // the last successful computation, for the chart and the download
let started = 0;
let gotoTarget = null;

// ---- parsing ----------------------------------------------------------------------------------

const cell = (text) => {
  const v = Number(text);
  // Cells that are not numbers are passed on as strings: the library rejects them as NON_FINITE and
  // says where, which is the error message this page shows.
  return text !== '' && !Number.isNaN(v) ? v : text;
};

/**
 * Rows of the box (blank and # lines skipped; a first line of words is a header), with their line
 * numbers; `numeric` when every cell is a number and the rows have equal lengths.
 */
function parseTable(text) {
  const rows = [], lines = [];
  let header = null, numeric = true;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const sep = line.includes(';') ? ';' : line.includes(',') ? ',' : /\s+/;
    const cells = line.split(sep).map((c) => c.trim());
    if (rows.length === 0 && header === null && cells.every((c) => c !== '' && Number.isNaN(Number(c)))) {
      header = cells;
      return;
    }
    const row = cells.map(cell);
    numeric &&= row.every((v) => typeof v === 'number') && (rows.length === 0 || row.length === rows[0].length);
    rows.push(row);
    lines.push(i);
  });
  return { rows, lines, header, numeric: numeric && rows.length > 0 };
}

// Menu changes recompute without re-parsing boxes whose text did not change (big batches parse slowly).
const parsed = { p: { text: null, table: null }, q: { text: null, table: null } };

function tableOf(box) {
  const cached = parsed[box], text = ui[box].value;
  if (cached.text !== text) Object.assign(cached, { text, table: parseTable(text) });
  return cached.table;
}

/**
 * What the library gets for a box: a single line against a batch goes in as a vector (used against
 * every row); clean numeric input as a row-major Float64Array Matrix, the fast path; anything else as
 * the nested arrays, so that the library can point at the offending cell or row.
 */
function asArgument(table, otherRows) {
  const { rows, numeric } = table;
  if (rows.length === 1 && otherRows > 1) return numeric ? Float64Array.from(rows[0]) : rows[0];
  if (!numeric) return rows;
  const cols = rows[0].length, data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => data.set(row, r * cols));
  return { data, rows: rows.length, cols };
}

// ---- computing --------------------------------------------------------------------------------

async function compute() {
  started += 1;
  ui.status.dataset.started = String(started);
  clearError();
  const measure = ui.measure.value;
  const opts = { convention: ui.convention.value };
  if (ui.base.value !== 'e') opts.base = Number(ui.base.value);
  const input = { p: tableOf('p'), q: measure === 'entropy' ? null : tableOf('q') };
  const p = asArgument(input.p, input.q ? input.q.rows.length : 0), q = input.q && asArgument(input.q, input.p.rows.length);
  try {
    const eng = await engine;
    const t0 = performance.now();
    // Threaded engines return Promises.
    const out = q ? await eng[measure](p, q, opts) : await eng.entropy(p, opts);
    const ms = performance.now() - t0;
    result = { measure, opts, ...input, scores: typeof out === 'number' ? Float64Array.of(out) : out };
    renderScores(ms, eng.info().backend);
    selectRow(0);
  } catch (e) {
    result = null;
    clearResults(e);
    showError(e, input);
  } finally {
    ui.status.dataset.done = String(Number(ui.status.dataset.done) + 1);
  }
}

function recompute() {
  if (result) compute();
}

async function useBackend(backend) {
  // threads: 'auto' uses workers on cross-origin-isolated pages and the calling thread elsewhere.
  engine = createEngine({ ...(backend ? { backend } : {}), threads: 'auto' });
  try {
    const eng = await engine;
    // One tiny call per measure, so that the times shown are not a first call's one-off compilation.
    for (const m of Object.keys(CONVENTIONS)) await (m === 'entropy' ? eng.entropy([1, 1]) : eng[m]([1, 1], [1, 1]));
    const info = eng.info();
    ui.backend.value = info.backend;
    el('info-backend').textContent = info.backend;
    el('info-simd').textContent = info.simd ? 'yes' : 'no';
    el('info-threads').textContent = String(info.threads);
    el('info-coi').textContent = info.crossOriginIsolated ? 'yes' : 'no';
    el('info-version').textContent = info.version;
  } catch (e) {
    showError(e);
  }
}

// ---- results ----------------------------------------------------------------------------------

const fmt = (v, digits = 6) => (Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v));
const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const baseName = (opts) => (opts.base === undefined ? 'e' : String(opts.base));

function renderScores(ms, backend) {
  const { scores, measure, opts } = result;
  const shown = Math.min(scores.length, TABLE_ROWS);
  let html = '';
  for (let r = 0; r < shown; r++) {
    html += `<tr data-row="${r}"><td>${r}</td><td${Number.isFinite(scores[r]) ? '' : ' class="bad"'}>${fmt(scores[r], 10)}</td></tr>`;
  }
  ui.body.innerHTML = html;
  ui.tableNote.textContent = scores.length > shown
    ? `first ${shown} of ${scores.length.toLocaleString('en')} rows listed; any row can be charted`
    : '';
  ui.scores.value = Array.from(scores, String).join('\n');
  ui.row.max = String(scores.length - 1);
  const n = scores.length.toLocaleString('en');
  const label = ui.measure.selectedOptions[0].textContent;
  ui.status.textContent = `${n} row${scores.length === 1 ? '' : 's'} · ${label} · base ${baseName(opts)} · ${opts.convention}`
    + ` — computed in ${ms.toFixed(2)} ms on ${backend}`;
  ui.status.dataset.measure = measure;
}

function clearResults(e) {
  ui.body.innerHTML = '';
  ui.tableNote.textContent = '';
  ui.scores.value = '';
  ui.chart.innerHTML = '';
  ui.chartTitle.textContent = '';
  ui.status.textContent = `No scores: ${e instanceof InfodivError ? e.code : 'error'}`;
}

function selectRow(r) {
  if (!result) return;
  const row = Math.min(Math.max(0, Math.trunc(r) || 0), result.scores.length - 1);
  ui.row.value = String(row);
  ui.body.querySelector('tr.selected')?.classList.remove('selected');
  ui.body.querySelector(`tr[data-row="${row}"]`)?.classList.add('selected');
  drawChart(row);
}

// ---- the chart: each element's term of the row's sum ------------------------------------------

/** The row as the convention sees it: normalized (scipy), as given (raw) or clipped (keras). */
function prepare(v, convention) {
  if (convention === 'keras') return v.map((x) => Math.min(Math.max(x, 1e-7), 1));
  if (convention === 'raw') return v;
  const s = v.reduce((a, b) => a + b, 0);
  return v.map((x) => x / s);
}

const xlogy = (x, y) => (x === 0 ? 0 : x * Math.log(y));

function term(measure, p, q) {
  switch (measure) {
    case 'entropy': return -xlogy(p, p);
    case 'crossEntropy': return -xlogy(p, q);
    case 'kl': return xlogy(p, p / q);
    default: {
      const m = (p + q) / 2;
      return (xlogy(p, p / m) + xlogy(q, q / m)) / 2;
    }
  }
}

const rowAt = (rows, r) => rows[rows.length === 1 ? 0 : r];

function drawChart(r) {
  const { measure, opts, p, q, scores } = result;
  const pr = rowAt(p.rows, r), qr = q && rowAt(q.rows, r);
  const tp = prepare(pr, opts.convention), tq = qr && prepare(qr, opts.convention);
  const ln = Math.log(opts.base ?? Math.E);
  const terms = tp.map((x, i) => term(measure, x, tq?.[i]) / ln);
  const sum = terms.reduce((a, b) => a + b, 0);
  ui.chartTitle.textContent = `${TERM[measure]} per element, base ${baseName(opts)} · Σ = ${fmt(sum, 8)} · score ${fmt(scores[r], 8)}`
    + (measure === 'jsDistance' ? ' = √Σ' : '');
  ui.chart.innerHTML = barChart(terms, p.header ?? q?.header ?? null, pr, qr);
}

/** 0 plus about five round values spanning [lo, hi]. */
function ticks(lo, hi) {
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const first = Math.floor(lo / step), last = Math.ceil(hi / step);
  const out = [];
  for (let k = first; k <= last; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

const W = 720, H = 300, PAD = { l: 58, r: 10, t: 18, b: 42 };
const short = (s) => (s.length > 8 ? `${s.slice(0, 7)}…` : s);

function barChart(values, labels, p, q) {
  let lo = 0, hi = 0;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (hi === lo) hi = lo + 1;
  const marks = ticks(lo, hi);
  lo = marks[0];
  hi = marks[marks.length - 1];
  const y = (v) => PAD.t + ((hi - v) / (hi - lo)) * (H - PAD.t - PAD.b);
  const band = (W - PAD.l - PAD.r) / values.length;
  const parts = [];
  for (const t of marks) {
    parts.push(`<line class="grid" x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(t)}" y2="${y(t)}"/>`,
      `<text x="${PAD.l - 6}" y="${y(t) + 4}" text-anchor="end">${fmt(t, 4)}</text>`);
  }
  values.forEach((v, i) => {
    const x = PAD.l + i * band + band * 0.1, w = Math.max(band * 0.8, 0.6);
    // An infinite term (p > 0 where q = 0) is drawn to the top and marked ∞.
    const top = v === Infinity ? PAD.t : y(Math.max(v, 0));
    const bottom = y(Math.min(v, 0));
    const name = labels?.[i] ?? String(i);
    const tip = `${name}: p = ${fmt(p[i])}${q ? `, q = ${fmt(q[i])}` : ''}, term = ${fmt(v)}`;
    parts.push(`<rect class="${v === Infinity ? 'inf' : v < 0 ? 'neg' : 'pos'}" x="${x}" y="${top}" width="${w}" height="${Math.max(bottom - top, 0.5)}"><title>${esc(tip)}</title></rect>`);
    if (v === Infinity) parts.push(`<text class="inf" x="${x + w / 2}" y="${PAD.t - 4}" text-anchor="middle">∞</text>`);
  });
  const every = Math.ceil(values.length / 36);
  for (let i = 0; i < values.length; i += every) {
    parts.push(`<text x="${PAD.l + (i + 0.5) * band}" y="${H - PAD.b + 15}" text-anchor="middle">${esc(short(labels?.[i] ?? String(i)))}</text>`);
  }
  parts.push(`<line class="axis" x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(0)}" y2="${y(0)}"/>`,
    `<text x="${(W + PAD.l) / 2}" y="${H - 6}" text-anchor="middle">${labels ? 'column' : 'column index'} · blue adds to the score, orange subtracts</text>`);
  return parts.join('');
}

// ---- errors -----------------------------------------------------------------------------------

function clearError() {
  ui.error.hidden = true;
  ui.errorGoto.hidden = true;
  gotoTarget = null;
  ui.p.removeAttribute('aria-invalid');
  ui.q.removeAttribute('aria-invalid');
}

function showError(e, input) {
  ui.error.hidden = false;
  if (!(e instanceof InfodivError)) {
    ui.errorText.textContent = String(e?.message ?? e);
    return;
  }
  ui.errorText.textContent = `${e.code}: ${e.message}`;
  const side = BOX_OF[e.argument];
  const parsed = side && input?.[side];
  if (!parsed) return;
  ui[side].setAttribute('aria-invalid', 'true');
  if (e.index && parsed.rows.length > 0) {
    // [row, col] on a batch; [col] when the box's single line went in as a vector.
    const [row, col] = e.index.length === 2 ? e.index : [0, e.index[0]];
    const line = parsed.lines[row];
    ui.errorText.textContent += `\n→ box ${side}, line ${line + 1}, value ${col + 1}`;
    gotoTarget = { box: ui[side], line };
    ui.errorGoto.textContent = `Show line ${line + 1} of ${side}`;
    ui.errorGoto.hidden = false;
  }
}

function gotoLine({ box, line }) {
  const lines = box.value.split('\n');
  let start = 0;
  for (let i = 0; i < line; i++) start += lines[i].length + 1;
  box.focus();
  box.setSelectionRange(start, start + lines[line].length);
  box.scrollTop = Math.max(0, (line - 2) * parseFloat(getComputedStyle(box).lineHeight));
}

// ---- examples ---------------------------------------------------------------------------------

const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');
// Relative frequencies of letters in English text (%), as tabulated by Lewand (2000).
const ENGLISH = [8.167, 1.492, 2.782, 4.253, 12.702, 2.228, 2.015, 6.094, 6.966, 0.153, 0.772, 4.025, 2.406,
  6.749, 7.507, 1.929, 0.095, 5.987, 6.327, 9.056, 2.758, 0.978, 2.360, 0.150, 1.974, 0.074];
const TEXTS = [
  ['Dickens', 'It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity'],
  ['Melville', 'Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, and nothing particular to interest me on shore, I thought I would sail about a little and see the watery part of the world.'],
  ['Austen', 'It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife.'],
  ['pangram', 'The quick brown fox jumps over the lazy dog'],
];

const letterCounts = (text) => LETTERS.map((c) => text.toLowerCase().split(c).length - 1);

const EXAMPLES = {
  letters: () => ({
    p: [`# letter counts, one text per row: ${TEXTS.map(([name], i) => `${i} ${name}`).join(', ')}`, LETTERS.join(','),
      ...TEXTS.map(([, text]) => letterCounts(text).join(','))].join('\n'),
    q: ['# English letter frequencies (%), used against every row of p', LETTERS.join(','), ENGLISH.join(',')].join('\n'),
    measure: 'kl', convention: 'scipy', base: '2',
  }),
  keras: () => ({
    p: '# y_true\n1, 0, 1\n1, 0, 0',
    q: '# y_pred\n0.7805173397064209, 0.44211676716804504, 0.26793214678764343\n0.8675728440284729, 0.7725943326950073, 0.39951571822166443',
    measure: 'kl', convention: 'keras', base: 'e',
  }),
  random: () => {
    // Some zeros in p show that 0·log 0 counts as 0.
    const batch = (zeros) => Array.from({ length: 10000 }, () => Array.from({ length: 32 },
      () => (Math.random() < zeros ? 0 : Math.random()).toFixed(4)).join(',')).join('\n');
    return { p: batch(0.05), q: batch(0), measure: 'jsd', convention: 'scipy', base: '2' };
  },
};

function applyExample(name) {
  const ex = EXAMPLES[name]?.();
  if (!ex) return;
  ui.p.value = ex.p;
  ui.q.value = ex.q;
  ui.measure.value = ex.measure;
  ui.base.value = ex.base;
  syncConventions();
  ui.convention.value = ex.convention;
  compute();
}

// ---- wiring -----------------------------------------------------------------------------------

function syncConventions() {
  const allowed = CONVENTIONS[ui.measure.value];
  for (const option of ui.convention.options) option.disabled = !allowed.includes(option.value);
  if (!allowed.includes(ui.convention.value)) ui.convention.value = 'scipy';
  const single = ui.measure.value === 'entropy';
  ui.q.disabled = single;
  ui.qBox.classList.toggle('disabled', single);
}

async function loadFile(file, box) {
  box.value = await file.text();
}

ui.compute.addEventListener('click', compute);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) compute();
});
ui.measure.addEventListener('change', () => {
  syncConventions();
  recompute();
});
ui.base.addEventListener('change', recompute);
ui.convention.addEventListener('change', recompute);
ui.backend.addEventListener('change', () => useBackend(ui.backend.value).then(recompute));
ui.example.addEventListener('change', () => applyExample(ui.example.value));
ui.swap.addEventListener('click', () => {
  [ui.p.value, ui.q.value] = [ui.q.value, ui.p.value];
  recompute();
});
ui.row.addEventListener('input', () => selectRow(Number(ui.row.value)));
ui.body.addEventListener('click', (e) => {
  const tr = e.target.closest('tr[data-row]');
  if (tr) selectRow(Number(tr.dataset.row));
});
ui.errorGoto.addEventListener('click', () => gotoTarget && gotoLine(gotoTarget));
ui.download.addEventListener('click', () => {
  if (!result) return;
  const csv = `row,score\n${Array.from(result.scores, (v, r) => `${r},${v}`).join('\n')}\n`;
  const href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  Object.assign(document.createElement('a'), { href, download: `${result.measure}.csv` }).click();
  // The download reads the blob asynchronously: revoking right away can cancel it.
  setTimeout(() => URL.revokeObjectURL(href), 10000);
});
for (const [input, box] of [[ui.pFile, ui.p], [ui.qFile, ui.q]]) {
  input.addEventListener('change', () => input.files[0] && loadFile(input.files[0], box));
  box.addEventListener('dragover', (e) => {
    e.preventDefault();
    box.classList.add('dragging');
  });
  box.addEventListener('dragleave', () => box.classList.remove('dragging'));
  box.addEventListener('drop', (e) => {
    e.preventDefault();
    box.classList.remove('dragging');
    const file = e.dataTransfer?.files[0];
    if (file) loadFile(file, box);
  });
}

ui.example.value = 'letters';
useBackend(null).then(() => applyExample('letters'));
