// The questions of one instrument version as the results see them: closed questions with
// their choices in the instrument's order and with their Dutch texts (including the special
// items SurveyJS adds, such as "Zeg ik liever niet"), matrix rows, and the open questions.
// Built with survey-core so that labels are exactly what respondents saw; cached per
// version, because versions never change.
import { Survey } from '../survey/survey-core';
import { isNumberInput, kindOf, missingValuesOf, Question, QuestionKind, questionsOf, surveyModel } from '../survey/model';
import type { InstrumentVersion } from '../instruments/repository';

export type { QuestionKind };

export interface Choice {
  /** The value as the instrument writes it (a number for Likert scales). */
  value: string | number | boolean;
  /** The value as stored in the answers table. */
  key: string;
  label: string;
  /** A non-substantive answer (meta.missingValues, e.g. "refused"): left out of tests. */
  missing: boolean;
}

export interface MatrixRow {
  value: string | number;
  key: string;
  label: string;
  visibleIf: string | null;
}

export interface QuestionModel {
  name: string;
  title: string;
  /** Title of the panel the question sits in (Weerman: the numbered question), else null. */
  panel: string | null;
  /** Title (else name) of the page the question is on: its default test family. */
  page: string | null;
  /**
   * The item this question is a sub-question of, as one title (itemContext): the panel's
   * title for Weerman's "Wat is er?" and Valente's "Status van deze actie", else null.
   */
  context: string | null;
  /** SurveyJS type: radiogroup, dropdown, boolean, checkbox, matrix, comment, text, multipletext. */
  type: string;
  kind: QuestionKind;
  choices: Choice[];
  rows: MatrixRow[];
  /**
   * A multiple text: its items that hold a number (isNumberInput), stored under the item's
   * name as the row. Each is shown and compared as a number question is (issue 15); the
   * other items stay text. Empty for every other question.
   */
  numberItems: MatrixRow[];
  visibleIf: string | null;
}

export interface InstrumentModel {
  versionId: string;
  key: string;
  version: number;
  questions: QuestionModel[];
  byName: Map<string, QuestionModel>;
  missingValues: Set<string>;
  meta: Record<string, unknown>;
}

type Item = { value: unknown; text: string; visibleIf?: string };

/** Kinds whose answers are among listed choices. */
const CLOSED_KINDS = new Set<QuestionKind>(['single', 'multi', 'matrix', 'ranking']);

const cache = new Map<string, InstrumentModel>();

export function instrumentModel(version: InstrumentVersion): InstrumentModel {
  const cached = cache.get(version.id);
  if (cached) return cached;
  const model = surveyModel(version.definition);
  const missingValues = missingValuesOf(version.meta);
  const contactQuestions = new Set((version.meta.contactQuestions as string[] | undefined) ?? []);
  const questions: QuestionModel[] = [];
  for (const q of questionsOf(model, { nested: true })) {
    const kind = kindOf(q);
    const name = q.getValueName();
    // Contact details are never stored with the answers, so they have no results. The items
    // of a multiple-text question come back as questions of their own: the container holds them.
    if (!kind || contactQuestions.has(name) || q.parentQuestion) continue;
    const panel = panelTitleOf(q);
    const page = q.page as { name?: string; title?: string } | undefined;
    questions.push({
      name,
      title: q.title,
      panel,
      page: page ? String(page.title || page.name || '') || null : null,
      context: itemContext(panel, null),
      type: q.getType(),
      kind,
      choices: CLOSED_KINDS.has(kind) ? choicesOf(q, missingValues) : [],
      rows: kind === 'matrix' ? (q.rows as Item[]).map((r) => ({
        value: r.value as string | number, key: String(r.value), label: r.text, visibleIf: r.visibleIf || null,
      })) : [],
      numberItems: q.getType() === 'multipletext' ? (q.items as Question[]).filter((i) => isNumberInput(i)).map((i) => ({
        value: i.name, key: i.name, label: i.title || i.name, visibleIf: null,
      })) : [],
      visibleIf: q.visibleIf || null,
    });
  }
  const result: InstrumentModel = {
    versionId: version.id, key: version.key, version: version.version, questions,
    byName: new Map(questions.map((q) => [q.name, q])), missingValues, meta: version.meta,
  };
  cache.set(version.id, result);
  return result;
}

/** Whether `row` of this question is a number item of a multiple text: read as a number question, under that row. */
export function isNumberItem(question: QuestionModel, row: string): boolean {
  return row !== '' && question.numberItems.some((item) => item.key === row);
}

/** Every choice in the instrument's order, whatever its visibleIf, then the special items in SurveyJS's order. */
function choicesOf(q: Question, missingValues: Set<string>): Choice[] {
  const choice = (value: unknown, label: string): Choice => ({
    value: value as Choice['value'], key: String(value), label, missing: missingValues.has(String(value)),
  });
  if (q.getType() === 'matrix') return (q.columns as Item[]).map((c) => choice(c.value, c.text));
  if (q.getType() === 'boolean') {
    return [choice(q.valueTrue ?? true, q.labelTrue || q.locLabelTrue?.textOrHtml || 'Ja'),
      choice(q.valueFalse ?? false, q.labelFalse || q.locLabelFalse?.textOrHtml || 'Nee')];
  }
  if (q.getType() === 'rating') return (q.visibleRateValues as Item[]).map((c) => choice(c.value, c.text));
  const choices = ((q.choices ?? []) as Item[]).map((c) => choice(c.value, c.text));
  const order = Survey.settings.specialChoicesOrder as unknown as Record<string, number[]>;
  const specials: Array<[boolean, Item | undefined, string]> = [
    [Boolean(q.showNoneItem), q.noneItem, 'noneItem'],
    [Boolean(q.showRefuseItem), q.refuseItem, 'refuseItem'],
    [Boolean(q.showDontKnowItem), q.dontKnowItem, 'dontKnowItem'],
    [Boolean(q.showOtherItem), q.otherItem, 'otherItem'],
  ];
  const shown = specials.filter(([show, item]) => show && item)
    .sort((a, b) => (order[a[2]]?.[0] ?? 0) - (order[b[2]]?.[0] ?? 0));
  return [...choices, ...shown.map(([, item]) => choice(item!.value, item!.text))];
}

/**
 * The title of the titled panel a survey-core question sits in (the nearest one), else null.
 * The one place that reads it from the definition: results (instrumentModel) and the CSV
 * columns (server/csv/columns.ts) both ask here.
 */
export function panelTitleOf(q: { parent?: unknown }): string | null {
  for (let parent = q.parent as PanelLike | undefined, depth = 0; parent && depth < 20; parent = parent.parent, depth++) {
    if (!parent.isPanel) return null; // a page: no panel around the question
    const title = String(parent.title ?? '').trim();
    if (title && title !== parent.name) return title;
  }
  return null;
}

type PanelLike = { isPanel?: boolean; title?: string; name?: string; parent?: PanelLike };

/**
 * The item a sub-question belongs to, as the pages, the API (`context`), the CSVs and the
 * codebook name it: for a question in a panel the panel's title (Weerman "1. Is
 * ervaringskennis …?" for w01_is); for a matrix row or a checkbox choice the question (with
 * its panel, if any) it is part of; else null.
 */
export function itemContext(panel: string | null, partOf: { title: string } | null): string | null {
  if (!partOf) return panel;
  return panel ? `${panel} — ${partOf.title}` : partOf.title;
}

/** The title of an item with its context, for a label that stands alone (a filter list, a chart, a CSV). */
export function titleInContext(context: string | null, title: string): string {
  return context ? `${context} — ${title}` : title;
}

/**
 * The questions whose "answered at all" count must be counted (distinct respondents): a
 * checkbox, a matrix as a whole, an open question. A single-choice question's is the sum
 * of its answers. Lets the repository skip the expensive count for the others.
 */
export function needsAnsweredCount(model: InstrumentModel): string[] {
  return model.questions.filter((q) => q.kind !== 'single').map((q) => q.name);
}

/** "{b_role} = 'student'": the question and answer of a visibleIf that is one simple equality, else null. */
export function simpleCondition(expression: string | null): { question: string; value: string } | null {
  const match = expression?.match(/^\s*\{(\w+)\}\s*=\s*(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?|true|false))\s*$/);
  if (!match) return null;
  return { question: match[1], value: match[2] ?? match[3] ?? match[4] };
}
