// What an import tells the manager beyond "valid or not": the answers in the file that
// Spiegel's routing drops (a professional's answers to a students-only grid are not stored,
// as a respondent's page would never have sent them), counted per column, and a refused
// answer named with its question. Pure functions over one row at a time.
import type { CsvColumn } from './columns';
import { t } from '../i18n/messages';

export interface RoutingWarning {
  /** The column as the manager knows it (the file's header after the mapping step). */
  column: string;
  question: string;
  /** Rows of the file that answer it. */
  answered: number;
  /** Of those, the rows whose answer the routing drops. */
  dropped: number;
  /** The routing that shows the question, readable; null when it is not a simple visibleIf. */
  shownIf: string | null;
  lines: number[];
  message: string;
}

/** The lines named in a warning; the count says the rest. */
const LISTED_LINES = 10;

/** Counts, per export column, the answers in the file and those the routing dropped; one per row. */
export function routingTally() {
  const tally = new Map<string, { answered: number; dropped: number; lines: number[]; order: number }>();
  const entry = (key: string, order: number) => {
    let e = tally.get(key);
    if (!e) tally.set(key, (e = { answered: 0, dropped: 0, lines: [], order }));
    return e;
  };
  return {
    /**
     * @param read the row as read from the file (export column names → SurveyJS result)
     * @param kept the row as validation stored it
     * @param columnsOf per question, the export columns of the file that held its answer
     * @param order per export column, its place in the file
     */
    add(line: number, read: Record<string, unknown>, kept: Record<string, unknown> | null, columnsOf: Map<string, string[]>, byName: Map<string, CsvColumn>, order: Map<string, number>) {
      for (const [question, value] of Object.entries(read)) {
        if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
        const names = columnsOf.get(question) ?? [question];
        if (names.some((n) => byName.get(n)?.kind === 'matrixRow') && isRecord(value)) {
          // A grid counts row by row: a row can be hidden on its own (its visibleIf) or with the grid.
          const keptRows = kept && isRecord(kept[question]) ? kept[question] : {};
          for (const row of Object.keys(value)) {
            const key = `${question}.${row}`;
            const e = entry(key, order.get(key) ?? Infinity);
            e.answered++;
            if (kept && !Object.hasOwn(keptRows, row)) dropIn(e, line);
          }
          continue;
        }
        const key = names[0]!;
        const e = entry(key, order.get(key) ?? Infinity);
        e.answered++;
        if (kept && !Object.hasOwn(kept, question)) dropIn(e, line);
      }
    },
    warnings(routing: ReadonlyMap<string, readonly string[]>, columnName: (name: string) => string, byName: Map<string, CsvColumn>): RoutingWarning[] {
      return [...tally].filter(([, e]) => e.dropped > 0).sort(([, a], [, b]) => a.order - b.order).map(([key, e]) => {
        const column = byName.get(key);
        const question = column?.question ?? key;
        const routes = [...(routing.get(question) ?? []), ...(column?.row !== undefined ? routing.get(`${question}\u0000${column.row}`) ?? [] : [])];
        const shownIf = routes.length > 0 ? routes.join(' en ') : null;
        const lines = e.lines.slice(0, LISTED_LINES).join(', ') + (e.lines.length > LISTED_LINES ? ', …' : '');
        const message = shownIf
          ? t('csv.import.routingDropped', { dropped: e.dropped, answered: e.answered, shownIf, lines })
          : t('csv.import.routingDroppedPlain', { dropped: e.dropped, answered: e.answered, lines });
        return { column: columnName(key), question, answered: e.answered, dropped: e.dropped, shownIf, lines: e.lines, message };
      });
    },
  };
}

function dropIn(e: { dropped: number; lines: number[] }, line: number) {
  e.dropped++;
  e.lines.push(line);
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * "Dit antwoord hoort niet bij de keuzes" with the answer and the question: the values of
 * the row for that question that are no choice of its column (all of them when each is a
 * choice, but one the routing hides), and the question's text.
 */
export function namedRefusal(question: string, data: Record<string, unknown>, columns: CsvColumn[]): { column: string | null; message: string } | null {
  const value = data[question];
  const ofQuestion = columns.filter((c) => c.question === question);
  if (ofQuestion.length === 0 || value === undefined) return null;
  const isChoice = (c: CsvColumn, v: unknown) => c.options.some((o) => String(o.value) === String(v));
  if (isRecord(value)) {
    const rows = ofQuestion.filter((c) => c.kind === 'matrixRow' && Object.hasOwn(value, c.row!));
    const bad = rows.find((c) => !isChoice(c, value[c.row!])) ?? rows[0];
    if (!bad) return null;
    return { column: bad.name, message: t('csv.import.notAChoice', { value: String(value[bad.row!]), question: bad.title }) };
  }
  const first = ofQuestion[0]!;
  if (Array.isArray(value)) {
    const flags = ofQuestion.filter((c) => c.kind === 'flag');
    const bad = value.filter((v) => !flags.some((c) => String(c.choice!.value) === String(v)));
    const named = (bad.length > 0 ? bad : value).map(String).join('’, ‘');
    return { column: first.name, message: t('csv.import.notAChoice', { value: named, question: first.questionTitle }) };
  }
  return { column: first.name, message: t('csv.import.notAChoice', { value: String(value), question: first.questionTitle }) };
}
