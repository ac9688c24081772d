// The columns of a wave's CSV, derived from its instrument version: one per question,
// matrix row (`q.row`) or multi-select choice (`q.choice`), in the order a respondent
// meets them. The export, the codebook and the import all read this one list, so the
// three cannot drift apart. Contact questions are never columns: their answers are kept
// apart from the responses and nothing here may bring them back together.
import { Question, questionsOf, surveyModel, titleOf } from '../survey/model';
import type { InstrumentVersion } from '../instruments/repository';
import { panelTitleOf } from '../results/instrument-model';

export type Scalar = string | number | boolean;

export interface ValueLabel {
  value: Scalar;
  label: string;
}

export type ColumnKind =
  | 'sequence' // running number of the row in this file
  | 'day' // the day the response came in
  | 'choice' // one answer out of `options`
  | 'matrixRow' // one row of a matrix; the answer is one of `options`
  | 'flag' // one choice of a multi-select question: 1 ticked, 0 not
  | 'text' // free text
  | 'number' // a number typed in
  | 'item'; // one field of a multiple-text question

export interface CsvColumn {
  /** The header: `q`, `q.row`, `q.choice` or `q-Comment`. */
  name: string;
  kind: ColumnKind;
  /** The key in the SurveyJS result; '' for the sequence and day columns. */
  question: string;
  /** Matrix row or multiple-text item. */
  row?: string;
  /** The choice a flag column stands for. */
  choice?: ValueLabel;
  /** The question text as the codebook prints it, with the row or choice where there is one. */
  title: string;
  /** The question text alone. */
  questionTitle: string;
  /**
   * The item the question is part of (the panel it sits in: Weerman's numbered question for
   * "Wat is er?"), else null; the codebook prints it before the title. Absent for the
   * sequence and day columns.
   */
  context?: string | null;
  /** The possible answers of a choice or matrix-row column. */
  options: ValueLabel[];
}

export const SEQUENCE_COLUMN = 'volgnummer';
export const DAY_COLUMN = 'datum';

type Item = { value: Scalar; text: string };

export function csvColumns(instrument: Pick<InstrumentVersion, 'definition' | 'meta'>): CsvColumn[] {
  const model = surveyModel(instrument.definition);
  const contact = new Set(Array.isArray(instrument.meta.contactQuestions) ? (instrument.meta.contactQuestions as string[]) : []);
  const columns: CsvColumn[] = [
    { name: SEQUENCE_COLUMN, kind: 'sequence', question: '', title: 'Volgnummer van de respons in dit bestand', questionTitle: '', options: [] },
    { name: DAY_COLUMN, kind: 'day', question: '', title: 'Dag waarop de respons binnenkwam (JJJJ-MM-DD)', questionTitle: '', options: [] },
  ];
  // Top-level questions only: the fields of a multiple-text question are its items, below.
  for (const q of questionsOf(model)) {
    const name = q.getValueName();
    if (contact.has(name)) continue;
    const context = panelTitleOf(q);
    columns.push(...columnsOf(q, name).map((c) => ({ ...c, questionTitle: titleOf(q), context })));
    if (q.hasComment || q.showCommentArea || q.hasOther || q.showOtherItem) {
      const title = `${titleOf(q)} (toelichting)`;
      columns.push({ name: `${name}-Comment`, kind: 'text', question: `${name}-Comment`, title, questionTitle: title, context, options: [] });
    }
  }
  return columns;
}

function columnsOf(q: Question, name: string): Array<Omit<CsvColumn, 'questionTitle'>> {
  const title = titleOf(q);
  switch (q.getType()) {
    case 'radiogroup':
    case 'dropdown':
      return [{ name, kind: 'choice', question: name, title, options: allChoices(q) }];
    case 'imagepicker':
      if (!q.multiSelect) return [{ name, kind: 'choice', question: name, title, options: allChoices(q) }];
      return allChoices(q).map((choice) => ({
        name: `${name}.${choice.value}`, kind: 'flag' as const, question: name, choice, title: joinTitle(title, choice.label), options: FLAG_OPTIONS,
      }));
    case 'rating':
      return [{ name, kind: 'choice', question: name, title, options: labelled(q.visibleRateValues as Item[]) }];
    case 'boolean':
      return [{
        name, kind: 'choice', question: name, title,
        options: [{ value: q.valueTrue ?? true, label: String(q.labelTrue) }, { value: q.valueFalse ?? false, label: String(q.labelFalse) }],
      }];
    case 'checkbox':
    case 'tagbox':
      return allChoices(q).map((choice) => ({
        name: `${name}.${choice.value}`, kind: 'flag' as const, question: name, choice, title: joinTitle(title, choice.label), options: FLAG_OPTIONS,
      }));
    case 'matrix': {
      const options = labelled(q.columns as Item[]);
      return (q.rows as Item[]).map((row) => ({
        name: `${name}.${row.value}`, kind: 'matrixRow' as const, question: name, row: String(row.value), title: joinTitle(title, row.text), options,
      }));
    }
    case 'multipletext':
      return (q.items as Array<{ name: string; title: string }>).map((item) => ({
        name: `${name}.${item.name}`, kind: 'item' as const, question: name, row: item.name, title: joinTitle(title, item.title), options: [],
      }));
    case 'text':
      return [{ name, kind: q.inputType === 'number' ? 'number' : 'text', question: name, title, options: [] }];
    case 'comment':
      return [{ name, kind: 'text', question: name, title, options: [] }];
    default:
      return []; // html, panels, images: nothing answered
  }
}

export const FLAG_OPTIONS: ValueLabel[] = [{ value: 1, label: 'aangevinkt' }, { value: 0, label: 'niet aangevinkt' }];

/**
 * Every choice, whatever the routing would show: the declared ones in their order, then
 * the items survey-core adds (none, other, refused, don't know). Choices hidden by a
 * condition are still possible answers for someone, so they are still columns.
 */
function allChoices(q: Question): ValueLabel[] {
  const declared = labelled(q.choices as Item[]);
  const seen = new Set(declared.map((c) => String(c.value)));
  const added = (q.visibleChoices as Item[])
    .filter((c) => c !== q.selectAllItem && !seen.has(String(c.value)));
  return [...declared, ...labelled(added)];
}

const labelled = (items: Item[]): ValueLabel[] => items.map((i) => ({ value: i.value, label: String(i.text ?? i.value) }));

/** "Question: row", without doubling a colon the question text already ends with. */
export const joinTitle = (question: string, part: string): string =>
  (question.trimEnd().endsWith(':') ? `${question.trimEnd()} ${part}` : `${question}: ${part}`);
