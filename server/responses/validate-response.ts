// Re-validates a submitted SurveyJS result on the server with survey-core, against the
// wave's instrument version. survey-core alone would silently drop unknown values and
// lets ratings out of range through, so every value's shape is checked here first.
import { acceptsComment, cellQuestionsOf, EXCLUSIVE_VALUES, isNumberInput, isVisible, numberOf, Question, questionsOf, storedTypeOf, SurveyModel, surveyModel } from '../survey/model';
import { FieldError } from '../http/errors';
import { t } from '../i18n/messages';
import { baseNameOf, checkKeysAndShapes, Data, ShapeQuestion } from './answer-shape';
import { prepareValidator, PreparedValidator } from './prepared-validator';

export type ValidationOutcome =
  | { ok: true; data: Data; types: Map<string, string> }
  | { ok: false; errors: FieldError[] };

/**
 * Building a survey-core model costs tens of milliseconds, every time. An instrument that
 * uses only what the prepared validator understands is prepared once per definition (an
 * instrument version's definition never changes) and validated without building a model;
 * any other instrument takes the survey-core path below. Both give the same outcome, which
 * test/unit/responses/prepared-validator.test.ts checks on every instrument with thousands
 * of valid and invalid submissions.
 */
const prepared = new WeakMap<object, PreparedValidator | null>();

export function validateResponse(definition: Data, submitted: Data): ValidationOutcome {
  let validator = prepared.get(definition);
  if (validator === undefined) {
    validator = prepareValidator(definition);
    prepared.set(definition, validator);
  }
  return validator ? validator.validate(submitted) : validateWithSurveyModel(definition, submitted);
}

/** The reference: a fresh survey-core model per submission. */
export function validateWithSurveyModel(definition: Data, submitted: Data): ValidationOutcome {
  const model = surveyModel(definition);
  const questions = new Map<string, Question>();
  for (const q of questionsOf(model, { nested: true })) questions.set(q.getValueName(), q);

  const errors = checkKeysAndShapes(submitted, (name) => {
    const question = questions.get(name);
    return question && { question: question as unknown as ShapeQuestion, acceptsComment: acceptsComment(question) };
  });
  if (errors.length > 0) return { ok: false, errors };

  model.data = submitted;
  dropInvisibleAnswers(model, questions);

  // enableIf: a question or choice the page shows disabled cannot have been answered there.
  for (const name of Object.keys(submitted)) {
    const question = questions.get(baseNameOf(name));
    if (!question || !isVisible(question) || name !== question.getValueName()) continue;
    if (question.isReadOnly && !model.isDisplayMode && !sameValue(submitted[name], question.defaultValue)) {
      errors.push({ question: name, message: t('errors.disabled') });
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  // Choices and rows can depend on other answers (visibleIf), so they are checked once
  // visibility has settled, against what was sent: survey-core quietly drops a value of a
  // hidden choice, which a real page never sends.
  for (const [name, value] of Object.entries(submitted)) {
    const question = questions.get(name);
    if (!question || !isVisible(question)) continue;
    const message = checkAgainstVisibleChoices(question, value);
    if (message) errors.push({ question: name, message });
  }
  if (errors.length > 0) return { ok: false, errors };

  if (!model.validate(true, false)) {
    for (const q of model.getAllQuestions(true) as Question[]) {
      for (const error of q.errors) errors.push({ question: q.getValueName(), message: error.getText() });
      // survey-core puts the errors of a multiple text's items on the items. Those of a number
      // item (a numeric validator: not a number, out of range) are taken: the export writes it
      // as a number. (An e-mail item's are not, as the prepared validator does not check them.)
      if (q.getType() === 'multipletext') {
        for (const item of q.items as Array<{ inputType?: unknown; validators?: unknown; editor?: { errors: Array<{ getText(): string }> } }>) {
          if (!isNumberInput(item)) continue;
          for (const error of item.editor?.errors ?? []) errors.push({ question: q.getValueName(), message: error.getText() });
        }
      }
    }
    if (errors.length > 0) return { ok: false, errors };
  }

  const types = new Map<string, string>();
  const data: Data = { ...(model.data as Data) };
  for (const [name, q] of questions) {
    // Not stored: an expression is computed from the other answers.
    if (q.getType() === 'expression') delete data[name];
    else types.set(name, storedTypeOf(q));
  }
  for (const name of Object.keys(data)) if (!questions.has(baseNameOf(name))) delete data[name];
  for (const q of model.getAllQuestions(false) as Question[]) {
    const name = q.getValueName();
    if (!Object.hasOwn(data, name)) continue;
    if (q.getType() === 'multipletext') data[name] = withNumbers(q, data[name]);
    else data[name] = withoutComputedCells(q, data[name]);
  }
  return { ok: true, data, types };
}

/**
 * A number item typed as text with a numeric validator ("51,5") stored as the number
 * survey-core's validator read in it (51.5): the item is a number, in results, export and
 * import alike, whatever the respondent's decimal sign.
 */
function withNumbers(q: Question, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const items = new Map((q.items as Array<{ name: string; inputType?: unknown; validators?: unknown }>).map((item) => [item.name, item]));
  const out: Data = { ...(value as Data) };
  for (const [name, text] of Object.entries(out)) {
    const item = items.get(name);
    if (item && isNumberInput(item) && typeof text === 'string' && Number.isFinite(numberOf(text))) out[name] = numberOf(text);
  }
  return out;
}

/**
 * A table without its computed (expression) cells: as a computed question, a computed cell is
 * worked out from the other answers and not stored (the codebook lists it with its expression).
 * survey-core fills them in on the server whatever was sent, so they are taken out here.
 */
function withoutComputedCells(q: Question, value: unknown): unknown {
  const computed = cellQuestionsOf(q).filter((cell) => cell.question.getType() === 'expression').map((cell) => cell.name);
  if (computed.length === 0 || !value || typeof value !== 'object') return value;
  const strip = (row: unknown) => {
    if (!row || typeof row !== 'object' || Array.isArray(row)) return row;
    const kept: Data = { ...(row as Data) };
    for (const name of computed) delete kept[name];
    return kept;
  };
  if (Array.isArray(value)) return value.map(strip);
  return Object.fromEntries(Object.entries(value as Data).map(([row, cells]) => [row, strip(cells)]));
}

/** Answers to questions that were not visible are dropped, not stored; repeat while that changes visibility. */
function dropInvisibleAnswers(model: SurveyModel, questions: Map<string, Question>): void {
  for (let round = 0; round < questions.size + 1; round++) {
    let changed = false;
    for (const name of Object.keys(model.data as Data)) {
      const q = questions.get(baseNameOf(name));
      if (q && !isVisible(q)) {
        model.clearValue(name);
        changed = true;
      }
    }
    for (const q of questions.values()) {
      if (q.getType() !== 'matrix' || !isVisible(q) || !q.value) continue;
      const visibleRows = new Set((q.visibleRows as Array<{ name: string }>).map((r) => String(r.name)));
      const kept = Object.fromEntries(Object.entries(q.value as Data).filter(([row]) => visibleRows.has(row)));
      if (Object.keys(kept).length !== Object.keys(q.value as Data).length) {
        q.value = Object.keys(kept).length > 0 ? kept : undefined;
        changed = true;
      }
    }
    if (!changed) return;
  }
}

function checkAgainstVisibleChoices(q: Question, value: unknown): string | null {
  const type = q.getType();
  const multi = type === 'checkbox' || type === 'tagbox' || (type === 'imagepicker' && q.multiSelect);
  if (type === 'radiogroup' || type === 'dropdown' || (type === 'imagepicker' && !multi)) {
    return choiceValues(q).has(String(value)) ? null : t('errors.notAChoice');
  }
  if (type === 'ranking') {
    const allowed = choiceValues(q);
    const values = (value as unknown[]).map(String);
    if (!values.every((v) => allowed.has(v))) return t('errors.notAChoice');
    return q.selectToRankEnabled || values.length === allowed.size ? null : t('errors.notARanking');
  }
  if (multi) {
    const allowed = choiceValues(q);
    const values = (value as unknown[]).map(String);
    const bad = values.find((v) => !allowed.has(v));
    if (bad !== undefined) return t('errors.notAChoice');
    const exclusive = values.find((v) => EXCLUSIVE_VALUES.has(v) || isExclusiveChoice(q, v));
    return exclusive !== undefined && values.length > 1 ? t('errors.exclusiveChoice', { choice: exclusive }) : null;
  }
  if (type === 'matrix') {
    const rows = new Set((q.visibleRows as Array<{ name: string }>).map((r) => String(r.name)));
    const columns = new Set((q.visibleColumns ?? q.columns).map((c: { value: unknown }) => String(c.value)));
    for (const [row, column] of Object.entries(value as Data)) {
      // Rows hidden by visibleIf were dropped above; only the visible ones are judged.
      if (rows.has(row) && !columns.has(String(column))) return t('errors.notAChoice');
    }
    return null;
  }
  if (type === 'rating') {
    const allowed = new Set((q.visibleRateValues as Array<{ value: unknown }>).map((r) => String(r.value)));
    return allowed.has(String(value)) ? null : t('errors.outOfRange');
  }
  if (type === 'matrixdropdown' || type === 'matrixdynamic' || type === 'paneldynamic') return checkCells(q, value as Data | Data[]);
  return null;
}

/**
 * The cells of a table among what each cell offers. survey-core drops a cell's value that is
 * no choice without a word (the respondent's answer would vanish, with a 201) and keeps a
 * rating out of its range. A cell's choices can depend on its row or panel (visibleIf with
 * {row.x} or {panel.x}), so a value is judged against every choice the cell has.
 */
function checkCells(q: Question, value: Data | Data[]): string | null {
  const cells = new Map(cellQuestionsOf(q).map((cell) => [cell.name, cell]));
  for (const row of Array.isArray(value) ? value : Object.values(value)) {
    for (const [name, answer] of Object.entries((row ?? {}) as Data)) {
      const cell = cells.get(name);
      if (!cell || answer === null || answer === undefined) continue;
      const message = checkCell(cell.question, cell.choices, answer);
      if (message) return message;
    }
  }
  return null;
}

function checkCell(q: Question, inherited: Array<{ value: unknown }> | null, answer: unknown): string | null {
  const type = q.getType();
  if (type === 'boolean') {
    return [true, false, q.valueTrue, q.valueFalse].some((v) => v !== undefined && v === answer) ? null : t('errors.notBoolean');
  }
  if (type === 'rating') {
    const allowed = new Set((q.visibleRateValues as Array<{ value: unknown }>).map((r) => String(r.value)));
    return allowed.has(String(answer)) ? null : t('errors.outOfRange');
  }
  if (!CHOICE_CELL_TYPES.has(type) || q.choicesFromQuestion) return null;
  const allowed = new Set([...(inherited ?? []), ...((q.choices ?? []) as Array<{ value: unknown }>), ...((q.visibleChoices ?? []) as Array<{ value: unknown }>)]
    .map((c) => String(c.value)));
  const values = Array.isArray(answer) ? answer.map(String) : [String(answer)];
  return values.every((v) => allowed.has(v)) ? null : t('errors.notAChoice');
}

const CHOICE_CELL_TYPES = new Set(['radiogroup', 'dropdown', 'checkbox', 'tagbox', 'imagepicker', 'ranking']);

/** The choices a respondent can pick now: visible and not disabled by enableIf. */
function choiceValues(q: Question): Set<string> {
  return new Set((q.visibleChoices as Array<{ value: unknown; isEnabled?: boolean }>).filter((c) => c.isEnabled !== false).map((c) => String(c.value)));
}

function sameValue(a: unknown, b: unknown): boolean {
  return b !== undefined && b !== null && JSON.stringify(a) === JSON.stringify(b);
}

function isExclusiveChoice(q: Question, value: string): boolean {
  return (q.visibleChoices as Array<{ value: unknown; isExclusive?: boolean }>)
    .some((c) => String(c.value) === value && c.isExclusive === true);
}
