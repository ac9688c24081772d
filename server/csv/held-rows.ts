// The row texts a k-anonymous export holds between reading the wave and writing it in a
// random order. Kept as one string per run of rows rather than one per row: 100,000 small
// strings lived through every young-generation collection of the read (each copied twice
// and then promoted), and collecting took more of the export's time than writing the rows;
// a run's string is large enough to be allocated where the young collector never copies it.
// A row is then a slice of its run (no copy until it is written). A run is let go with the
// export, not row by row as they are written: at most the same EXPORT_HOLDS.chars.

/** Rows joined into one string. */
const ROWS_PER_RUN = 1000;

export interface HeldRows {
  /** The next row's text (rows in the order read), or undefined for a row not held. */
  add(text: string | undefined): void;
  has(index: number): boolean;
  /** Row `index`'s text, or undefined when it was not held. */
  get(index: number): string | undefined;
}

export function heldRows(): HeldRows {
  const runs: string[] = [];
  const runOf: number[] = []; // per row, its run, or -1
  const startOf: number[] = [];
  const lengthOf: number[] = [];
  let pending: string[] = [];
  let pendingChars = 0;
  const close = () => {
    if (pending.length === 0) return;
    runs.push(pending.join(''));
    pending = [];
    pendingChars = 0;
  };
  return {
    add(text) {
      if (text === undefined) {
        runOf.push(-1);
        startOf.push(0);
        lengthOf.push(0);
        return;
      }
      runOf.push(runs.length);
      startOf.push(pendingChars);
      lengthOf.push(text.length);
      pending.push(text);
      pendingChars += text.length;
      if (pending.length >= ROWS_PER_RUN) close();
    },
    has: (index) => (runOf[index] ?? -1) >= 0,
    get(index) {
      close();
      const run = runOf[index];
      if (run === undefined || run < 0) return undefined;
      const start = startOf[index]!;
      return runs[run]!.slice(start, start + lengthOf[index]!);
    },
  };
}
