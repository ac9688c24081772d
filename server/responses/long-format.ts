// Turns a validated SurveyJS result into answer rows: one per answered question, matrix
// row, multiple-text item or ticked choice. Results then aggregate these with GROUP BY.
import { COMMENT_SUFFIX } from './answer-shape';

export interface AnswerRow {
  question: string;
  row: string;
  value: string | null;
  text: string | null;
}

const OPEN_TYPES = new Set(['text', 'comment']);

export function toAnswerRows(data: Record<string, unknown>, types: Map<string, string>): AnswerRow[] {
  const rows: AnswerRow[] = [];
  for (const [question, value] of Object.entries(data)) {
    if (value === undefined || value === null) continue;
    const type = question.endsWith(COMMENT_SUFFIX) ? 'comment' : types.get(question);
    if (type === undefined) continue;
    if (OPEN_TYPES.has(type)) {
      if (String(value).trim() !== '') rows.push({ question, row: '', value: null, text: String(value) });
    } else if (type === 'checkbox') {
      for (const choice of value as unknown[]) rows.push({ question, row: '', value: String(choice), text: null });
    } else if (type === 'matrix') {
      for (const [row, column] of Object.entries(value as Record<string, unknown>)) {
        rows.push({ question, row, value: String(column), text: null });
      }
    } else if (type === 'multipletext') {
      for (const [row, text] of Object.entries(value as Record<string, unknown>)) {
        if (String(text).trim() !== '') rows.push({ question, row, value: null, text: String(text) });
      }
    } else {
      rows.push({ question, row: '', value: String(value), text: null });
    }
  }
  return rows;
}
