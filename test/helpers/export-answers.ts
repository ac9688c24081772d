// Random answers of every shape for an instrument's export columns: the options' values as
// stored and as text, values no option lists, texts every escaping rule meets, numbers,
// booleans, lists and objects where a value belongs, and questions left out. For the
// export's writers (test/unit/csv/row-writer.test.ts, text-rows.test.ts).
import type { CsvColumn } from '../../server/csv/columns';

export const ODD = ['=SUM(A1)', '"quoted", comma; semicolon', 'two\nlines', ' space', 'space ', '-12', '-1,5', '+31', '@x', '\uFEFFbom', '\ttab',
  'suppressed', 'onderdrukt', 'none', 'refused', 'other', '', 'é 😀', '0', '1', 'true'];

/** A response's data for `columns`, drawn with `random` (a seeded one); `odd` the texts it draws from. */
export function randomAnswers(columns: readonly CsvColumn[], random: () => number, odd: readonly string[] = ODD): Record<string, unknown> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const valueFor = (column: CsvColumn): unknown => {
    const options = column.options.length > 0 ? column.options : column.choice ? [column.choice] : [];
    const r = random();
    if (options.length > 0 && r < 0.5) return pick(options).value;
    if (options.length > 0 && r < 0.6) return String(pick(options).value);
    if (r < 0.7) return pick(odd);
    if (r < 0.75) return pick([3, -1, 2.5, 0, true, false, null]);
    if (r < 0.85) return options.length > 0 ? options.filter(() => random() < 0.4).map((o) => o.value) : [pick(odd)];
    if (r < 0.9) return { x: pick(odd) };
    return undefined;
  };
  const data: Record<string, unknown> = {};
  const objectAt = (holder: Record<string, unknown> | unknown[], key: string | number): Record<string, unknown> => {
    const here = (holder as Record<string, unknown>)[key];
    if (here && typeof here === 'object' && !Array.isArray(here)) return here as Record<string, unknown>;
    const made: Record<string, unknown> = {};
    (holder as Record<string, unknown>)[key] = made;
    return made;
  };
  for (const column of columns) {
    if (column.question === '' || random() < 0.1) continue;
    const value = valueFor(column);
    if (column.cell) {
      if (column.numberedRows) {
        const rows = Array.isArray(data[column.question]) ? data[column.question] as unknown[] : (data[column.question] = []) as unknown[];
        objectAt(rows, Number(column.cell[0]) - 1)[column.cell[1]!] = value;
      } else {
        objectAt(objectAt(data, column.question), column.cell[0]!)[column.cell[1]!] = value;
      }
    } else if (column.kind === 'matrixRow' || column.kind === 'item') {
      objectAt(data, column.question)[column.row!] = value;
    } else {
      data[column.question] = value;
    }
  }
  return data;
}
