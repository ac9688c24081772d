// Where the export puts each atomic value of a stored answer (docs/export.md, *Columns per
// question type*): `q`, `q.row`, `q.item`, `q.choice` (a flag 1, or a rank), `q.row.column`,
// `q.3.column`. Shared by the export test of the corpus and the test of every type in every container.

/** Per column of the export, the cell a stored answer must put there. */
export function expectedCells(data: Record<string, unknown>, kindOf: (column: string) => string | undefined): Map<string, string> {
  const cells = new Map<string, string>();
  const walk = (value: unknown, at: string): void => {
    if (value === null || value === undefined || value === '') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item !== null && typeof item === 'object') { walk(item, `${at}.${i + 1}`); return; }
        const column = `${at}.${String(item)}`;
        cells.set(column, kindOf(column) === 'rank' ? String(i + 1) : '1');
      });
    } else if (typeof value === 'object') {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) walk(inner, `${at}.${key}`);
    } else {
      cells.set(at, String(value));
    }
  };
  for (const [question, value] of Object.entries(data)) walk(value, question);
  return cells;
}
