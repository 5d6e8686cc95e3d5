/**
 * One statement for many rows instead of one per report: a job's per-report rows are written with
 * `VALUES (…), (…)` lists (on PGlite each statement costs a parse, plan and round trip through the
 * WASM boundary; on PostgreSQL a network round trip). Rows go in chunks that keep a statement well
 * under PostgreSQL's 65,535 bind parameters.
 */

/** At most this many parameters per statement (PostgreSQL's limit is 65,535). */
const MAX_PARAMS = 30_000;

/**
 * `($1, $2, $3), ($1, $2, $4), …`: `shared` leading parameters repeated in every row (e.g. the
 * task id), then `perRow` parameters of each row, numbered after the shared ones.
 */
export function valuesRows(rows: number, shared: number, perRow: number): string {
  const common = Array.from({ length: shared }, (_, i) => `$${i + 1}`);
  return Array.from({ length: rows }, (_, r) => {
    const own = Array.from({ length: perRow }, (_, c) => `$${shared + r * perRow + c + 1}`);
    return `(${[...common, ...own].join(', ')})`;
  }).join(', ');
}

/** Consecutive slices of `items`, each small enough for one statement of `perRow` parameters a row. */
export function statementChunks<T>(items: readonly T[], perRow: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMS / perRow));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `$first, $first+1, …`: `count` parameters for an `IN (…)` list. */
export function inList(count: number, first: number): string {
  return Array.from({ length: count }, (_, i) => `$${first + i}`).join(', ');
}
