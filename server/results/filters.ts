// `filter=name:value` (and `name.row:value` for a matrix row) and `by=name` parsed against
// an instrument version. A filter keeps the respondents who gave that answer; several
// filters must all hold (AND), also two on the same question.
import { invalid } from '../http/errors';
import { t } from '../i18n/messages';
import type { InstrumentModel, QuestionModel } from './instrument-model';

/** As stored in the answers table: row '' outside matrices; the value as text. */
export interface Filter {
  question: string;
  row: string;
  value: string;
}

export interface FilterJson {
  name: string;
  row: string | null;
  value: string | number | boolean;
  label: string;
}

export interface ItemRef {
  question: QuestionModel;
  row: string;
}

/**
 * At most three filters: the cell rule (disclosure.ts) needs the size of every subset of
 * them (2^k − 1 counts), and a table of more characteristics than three has cells too small
 * to show in any wave of the size Spiegel is for. The results pages offer three.
 */
export const MAX_FILTERS = 3;

export function parseFilters(raw: readonly string[], model: InstrumentModel): Filter[] {
  if (raw.length > MAX_FILTERS) throw invalid([{ question: 'filter', message: t('results.tooManyFilters', { max: MAX_FILTERS }) }]);
  const seen = new Map<string, Filter>();
  for (const text of raw) {
    const colon = text.indexOf(':');
    if (colon <= 0 || colon === text.length - 1) throw invalid([{ question: 'filter', message: t('results.filterSyntax', { filter: text }) }]);
    const { question, row } = parseItemRef(text.slice(0, colon), model, 'filter');
    const value = text.slice(colon + 1);
    if (!question.choices.some((c) => c.key === value)) {
      throw invalid([{ question: 'filter', message: t('results.unknownValue', { value, question: question.name }) }]);
    }
    seen.set(`${question.name}\u0001${row}\u0001${value}`, { question: question.name, row, value });
  }
  return [...seen.values()];
}

/** `name` or `name.row`: a closed question, or one row of a matrix. */
export function parseItemRef(text: string, model: InstrumentModel, parameter: string): ItemRef {
  const dot = text.indexOf('.');
  const name = dot < 0 ? text : text.slice(0, dot);
  const row = dot < 0 ? '' : text.slice(dot + 1);
  const question = model.byName.get(name);
  if (!question || question.kind === 'text') throw invalid([{ question: parameter, message: t('results.notClosed', { question: name }) }]);
  if (question.kind === 'matrix' ? !question.rows.some((r) => r.key === row) : row !== '') {
    throw invalid([{ question: parameter, message: t('results.unknownRow', { question: name, row: row || '(geen)' }) }]);
  }
  return { question, row };
}

export function filterJson(filters: readonly Filter[], model: InstrumentModel): FilterJson[] {
  return filters.map((f) => {
    const choice = model.byName.get(f.question)!.choices.find((c) => c.key === f.value)!;
    return { name: f.question, row: f.row || null, value: choice.value, label: choice.label };
  });
}
