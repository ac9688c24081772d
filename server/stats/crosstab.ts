// Contingency-table basics: validation, dropping empty rows/columns, margins,
// row percentages and expected counts. Rows are groups (e.g. studenten vs
// professionals), columns are answer categories. Everything here is pure.

/** A table of counts, rows × columns. Never mutated by this module. */
export type CountTable = readonly (readonly number[])[];

export interface Margins {
  rowTotals: number[];
  colTotals: number[];
  n: number;
}

/**
 * Throws a RangeError unless `table` is a non-empty rectangular table of
 * non-negative whole counts. Counts come from SQL aggregation, so anything else
 * is a programming error upstream, and the exact tests (Fisher, Monte Carlo)
 * are only defined for whole counts.
 */
export function assertCountTable(table: CountTable): void {
  if (table.length === 0) {
    throw new RangeError('count table must have at least one row');
  }
  const width = table[0].length;
  if (width === 0) throw new RangeError('count table must have at least one column');
  table.forEach((row, i) => {
    if (row.length !== width) {
      throw new RangeError(`count table row ${i} has ${row.length} cells, expected ${width}`);
    }
    row.forEach((cell, j) => {
      if (!Number.isSafeInteger(cell) || cell < 0) {
        throw new RangeError(`count table cell [${i}][${j}] is ${cell}, expected a whole number >= 0`);
      }
    });
  });
}

export function margins(table: CountTable): Margins {
  const rowTotals = table.map((row) => row.reduce((sum, cell) => sum + cell, 0));
  const colTotals = table[0].map((_, j) => table.reduce((sum, row) => sum + row[j], 0));
  const n = rowTotals.reduce((sum, total) => sum + total, 0);
  return { rowTotals, colTotals, n };
}

export interface DroppedTable<R, C> {
  counts: number[][];
  rowLabels: R[];
  colLabels: C[];
  /** Indices (into the input) of the rows and columns that were kept. */
  keptRows: number[];
  keptCols: number[];
}

/**
 * Removes rows and columns whose counts are all zero, as SPSS and the TNO
 * report do: a category nobody chose carries no information, and the test's
 * df = (r-1)(c-1) is then taken over what is left (TNO §3 #3 and #7).
 */
export function dropEmpty<R, C>(
  table: CountTable,
  rowLabels: readonly R[],
  colLabels: readonly C[],
): DroppedTable<R, C> {
  assertCountTable(table);
  if (rowLabels.length !== table.length || colLabels.length !== table[0].length) {
    throw new RangeError(
      `labels (${rowLabels.length} rows, ${colLabels.length} columns) do not fit a ` +
        `${table.length}×${table[0].length} table`,
    );
  }
  const { rowTotals, colTotals } = margins(table);
  // Loops, not flatMap: a comparison drops the empty rows of a hundred tables per request.
  const keptRows: number[] = [];
  for (let i = 0; i < rowTotals.length; i++) if (rowTotals[i] > 0) keptRows.push(i);
  const keptCols: number[] = [];
  for (let j = 0; j < colTotals.length; j++) if (colTotals[j] > 0) keptCols.push(j);
  return {
    counts: keptRows.map((i) => keptCols.map((j) => table[i][j])),
    rowLabels: keptRows.map((i) => rowLabels[i]),
    colLabels: keptCols.map((j) => colLabels[j]),
    keptRows,
    keptCols,
  };
}

/**
 * Row percentages (0-100, unrounded). A row without answers gets 0 in every
 * cell rather than NaN, so the result always serialises to valid JSON.
 */
export function rowPercentages(table: CountTable): number[][] {
  return table.map((row) => {
    const total = row.reduce((sum, cell) => sum + cell, 0);
    return row.map((cell) => (total === 0 ? 0 : (100 * cell) / total));
  });
}

/** Expected counts under independence: rowTotal × colTotal / n. */
export function expectedCounts(table: CountTable): number[][] {
  const { rowTotals, colTotals, n } = margins(table);
  if (n === 0) throw new RangeError('expected counts need at least one observation');
  return rowTotals.map((rowTotal) => colTotals.map((colTotal) => (rowTotal * colTotal) / n));
}

export function minExpected(expected: CountTable): number {
  let min = Infinity; // as Math.min of every cell: NaN if one is
  for (const row of expected) {
    for (const e of row) {
      if (Number.isNaN(e)) return NaN;
      if (e < min) min = e;
    }
  }
  return min;
}

/**
 * SPSS's rule of thumb for when Pearson's chi-square approximation is not to be
 * trusted: any expected count below 1, or more than 20% of the cells with an
 * expected count below 5. Then an exact or Monte Carlo p-value is used instead.
 */
export function hasLowExpected(expected: CountTable): boolean {
  let cells = 0;
  let belowFive = 0;
  let belowOne = false;
  for (const row of expected) {
    for (const e of row) {
      cells++;
      if (e < 5) belowFive++;
      if (e < 1) belowOne = true;
    }
  }
  return belowOne || belowFive > 0.2 * cells;
}
