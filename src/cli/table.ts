// Plain-text tables for people reading a terminal (numbers right-aligned, text left-aligned).

/** `align` has one letter per column: l(eft) or r(ight). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], align: string): string {
  const widths = header.map((h, c) => rows.reduce((w, r) => Math.max(w, r[c].length), h.length));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** Significant digits for reading, not for round trips (files get full precision). */
export function short(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/** 1234567 → "1,234,567". */
export function grouped(v: number): string {
  return Math.round(v).toLocaleString('en-US');
}
