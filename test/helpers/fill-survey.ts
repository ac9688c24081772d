// Fills in a SurveyJS definition as a respondent could: an answer to every visible question
// of a kind Spiegel stores, chosen from what the question offers, repeated until routing
// settles. Used to drive every definition of the corpus through submission and results.
import { Survey } from '../../server/survey/survey-core';
import { cellQuestionsOf, Question, questionsOf, surveyModel } from '../../server/survey/model';

type Data = Record<string, unknown>;
type Item = { value: unknown };

/**
 * `variant` picks other choices (0, 1, 2, ...), so that several respondents differ.
 * `tables`: also fill matrix dropdowns (every row), dynamic matrices (two rows) and dynamic
 * panels (two panels), every cell without a condition of its own.
 */
export function fillSurvey(definition: Data, variant = 0, { tables = false }: { tables?: boolean } = {}): Data {
  const model = surveyModel(definition);
  for (let round = 0; round < 5; round++) {
    let changed = false;
    for (const q of questionsOf(model)) {
      if (!q.isVisible || !q.isParentVisible || (q.page && !q.page.isVisible) || q.isReadOnly) continue;
      if (!q.isEmpty()) continue;
      const answer = tables ? tableAnswerFor(q, variant) ?? answerFor(q, variant) : answerFor(q, variant);
      if (answer === undefined) continue;
      q.value = answer;
      changed = true;
    }
    if (!changed) break;
  }
  return { ...(model.data as Data) };
}

const pick = <T>(list: T[], variant: number): T | undefined => (list.length ? list[variant % list.length] : undefined);

function answerFor(q: Question, variant: number): unknown {
  const choices = () => ((q.visibleChoices ?? []) as Array<Item & { isEnabled?: boolean }>)
    .filter((c) => c.isEnabled !== false && !['none', 'other', 'refused', 'dontknow', 'selectall'].includes(String(c.value)))
    .map((c) => c.value);
  switch (q.getType()) {
    case 'radiogroup':
    case 'dropdown':
      return pick(choices(), variant);
    case 'imagepicker':
      return q.multiSelect ? [pick(choices(), variant)] : pick(choices(), variant);
    case 'checkbox':
    case 'tagbox': {
      const first = pick(choices(), variant);
      return first === undefined ? undefined : [first];
    }
    case 'ranking': {
      const all = choices();
      return all.length ? [...all.slice(variant % all.length), ...all.slice(0, variant % all.length)] : undefined;
    }
    case 'boolean':
      return variant % 2 === 0 ? (q.valueTrue ?? true) : (q.valueFalse ?? false);
    case 'rating':
      return pick((q.visibleRateValues as Item[]).map((r) => r.value), variant);
    case 'matrix': {
      const columns = (q.visibleColumns as Item[]).map((c) => c.value);
      const rows = (q.visibleRows as Array<{ name: string }>);
      return rows.length && columns.length ? Object.fromEntries(rows.map((r) => [r.name, pick(columns, variant)])) : undefined;
    }
    case 'multipletext':
      return Object.fromEntries((q.items as Array<{ name: string; inputType?: string }>)
        .map((i) => [i.name, i.inputType === 'number' ? 3 + variant : fitValidators(i, textFor(i.inputType, variant), variant)]));
    case 'comment':
      return fitValidators(q, `Antwoord ${variant + 1}`, variant);
    case 'text':
      if (q.inputType === 'number') return numberWithin(q, variant);
      if (q.inputType === 'range') return numberWithin(q, variant);
      if (q.inputType === 'date') return `2026-0${1 + (variant % 9)}-15`;
      return fitValidators(q, textFor(q.inputType, variant), variant);
    default:
      return undefined; // grids and dynamic panels: left empty unless required (none of the corpus requires one)
  }
}

/** The answer to a table (a matrix dropdown, a dynamic matrix or panel), else undefined. */
function tableAnswerFor(q: Question, variant: number): unknown {
  const type = q.getType();
  if (type !== 'matrixdropdown' && type !== 'matrixdynamic' && type !== 'paneldynamic') return undefined;
  const row = (n: number) => {
    const cells: Data = {};
    for (const cell of cellQuestionsOf(q)) {
      if (cell.visibleIf) continue;
      const answer = cell.choices
        ? pickCell(cell.question, cell.choices.map((c) => c.value), variant + n)
        : answerFor(cell.question, variant + n);
      if (answer !== undefined) cells[cell.name] = answer;
    }
    return cells;
  };
  if (type === 'matrixdropdown') {
    const rows = (q.rows as Array<{ value: unknown; visibleIf?: string }>).filter((r) => !r.visibleIf);
    return rows.length ? Object.fromEntries(rows.map((r, n) => [String(r.value), row(n)])) : undefined;
  }
  return [row(0), row(1)];
}

/** A cell's answer out of choices it takes from its matrix. */
function pickCell(q: Question, values: unknown[], variant: number): unknown {
  const value = pick(values, variant);
  return ['checkbox', 'tagbox', 'ranking'].includes(q.getType()) ? [value] : value;
}

/** A text or number that passes the question's validators (email, text length, numeric range). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function fitValidators(q: { validators?: any[]; inputType?: string }, text: string, variant: number): string | number {
  let answer: string | number = text;
  for (const validator of q.validators ?? []) {
    const type = String(typeof validator.getType === 'function' ? validator.getType() : validator.type ?? '');
    if (type === 'emailvalidator' || type === 'email') answer = `iemand${variant}@example.org`;
    if (type === 'textvalidator' || type === 'text') {
      const min = Number(validator.minLength) || 0;
      answer = String(answer).padEnd(min, '.');
    }
    if (type === 'numericvalidator' || type === 'numeric') {
      const min = Number.isFinite(Number(validator.minValue)) && validator.minValue !== undefined ? Number(validator.minValue) : 1;
      // What a text box sends is text, whatever it holds; a number box sends a number.
      answer = q.inputType === 'number' ? min + variant : String(min + variant);
    }
  }
  return answer;
}

function textFor(inputType: string | undefined, variant: number): string {
  if (inputType === 'email') return `iemand${variant}@example.org`;
  if (inputType === 'tel') return '0201234567';
  if (inputType === 'url') return 'https://example.org/';
  return `Tekst ${variant + 1}`;
}

function numberWithin(q: Question, variant: number): number {
  const min = Number.isFinite(Number(q.min)) && q.min !== '' && q.min !== undefined ? Number(q.min) : 1;
  const max = Number.isFinite(Number(q.max)) && q.max !== '' && q.max !== undefined ? Number(q.max) : min + 10;
  return Math.min(max, min + variant + 1);
}

export { Survey };
