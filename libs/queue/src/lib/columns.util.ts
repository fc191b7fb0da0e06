/** Rows of equal width → one array per column (what `unnest` takes). */
export function transpose(rows: readonly unknown[][], width: number): unknown[][] {
  return Array.from({ length: width }, (_, column) => rows.map((row) => row[column]));
}
