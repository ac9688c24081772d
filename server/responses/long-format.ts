// Turns a validated SurveyJS result into answer rows: one per answered question, matrix
// row, multiple-text item or ticked choice. Results then aggregate these with GROUP BY.
import { COMMENT_SUFFIX } from './answer-shape';

export interface AnswerRow {
  question: string;
  row: string;
  value: string | null;
  text: string | null;
}

/** Stored as text: typed answers, and a day (a date is near unique, so it is shown only as texts are). */
const OPEN_TYPES = new Set(['text', 'comment', 'date']);
const MULTI_TYPES = new Set(['checkbox', 'tagbox']);
const TABLE_TYPES = new Set(['matrixdropdown', 'matrixdynamic', 'paneldynamic']);

export function toAnswerRows(data: Record<string, unknown>, types: Map<string, string>): AnswerRow[] {
  const rows: AnswerRow[] = [];
  for (const [question, value] of Object.entries(data)) {
    if (value === undefined || value === null) continue;
    const type = question.endsWith(COMMENT_SUFFIX) ? 'comment' : types.get(question);
    if (type === undefined) continue;
    if (OPEN_TYPES.has(type)) {
      if (String(value).trim() !== '') rows.push({ question, row: '', value: null, text: String(value) });
    } else if (MULTI_TYPES.has(type)) {
      for (const choice of value as unknown[]) rows.push({ question, row: '', value: String(choice), text: null });
    } else if (type === 'ranking') {
      // One row per ranked choice holding its place (1 is first): mean rank and first-place share are GROUP BYs.
      (value as unknown[]).forEach((choice, index) => rows.push({ question, row: String(choice), value: String(index + 1), text: null }));
    } else if (TABLE_TYPES.has(type)) {
      // Cells of a grid: row name (or the row's number, from 1) and column, each as text.
      const entries = Array.isArray(value) ? value.map((cells, index) => [String(index + 1), cells] as const) : Object.entries(value as Record<string, unknown>);
      for (const [row, cells] of entries) {
        for (const [column, cell] of Object.entries((cells ?? {}) as Record<string, unknown>)) {
          const text = typeof cell === 'string' ? cell : JSON.stringify(cell);
          if (cell !== null && cell !== undefined && text.trim() !== '') rows.push({ question, row: `${row}.${column}`, value: null, text });
        }
      }
    } else if (type === 'matrix') {
      for (const [row, column] of Object.entries(value as Record<string, unknown>)) {
        rows.push({ question, row, value: String(column), text: null });
      }
    } else if (type === 'multipletext') {
      for (const [row, text] of Object.entries(value as Record<string, unknown>)) {
        // A number item (validated into a number, validate-response) is stored as a number
        // question's answer, a value: its results are a GROUP BY, as a number's (issue 15).
        if (typeof text === 'number') rows.push({ question, row, value: String(text), text: null });
        else if (String(text).trim() !== '') rows.push({ question, row, value: null, text: String(text) });
      }
    } else {
      rows.push({ question, row: '', value: String(value), text: null });
    }
  }
  return rows;
}
