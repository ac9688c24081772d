// Re-validates a submitted SurveyJS result on the server with survey-core, against the
// wave's instrument version. survey-core alone would silently drop unknown values and
// lets ratings out of range through, so every value's shape is checked here first.
import { Survey } from '../survey/survey-core';
import { FieldError } from '../http/errors';
import { t } from '../i18n/messages';

type Question = InstanceType<typeof Survey.Question> & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Data = Record<string, unknown>;

export type ValidationOutcome =
  | { ok: true; data: Data; types: Map<string, string> }
  | { ok: false; errors: FieldError[] };

const MAX_TEXT = 5000;
const EXCLUSIVE_VALUES = new Set(['none', 'refused', 'dontknow']);

export function validateResponse(definition: Data, submitted: Data): ValidationOutcome {
  const model = new Survey.Model(definition);
  model.locale = 'nl';
  const questions = new Map<string, Question>();
  for (const q of model.getAllQuestions(false, false, true) as Question[]) questions.set(q.getValueName(), q);

  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(submitted)) {
    const baseName = key.endsWith('-Comment') ? key.slice(0, -'-Comment'.length) : key;
    const question = questions.get(baseName);
    if (!question || (key !== baseName && !acceptsComment(question))) {
      errors.push({ question: key, message: t('errors.unknownQuestion') });
      continue;
    }
    const message = key !== baseName ? checkText(value, MAX_TEXT) : checkShape(question, value);
    if (message) errors.push({ question: key, message });
  }
  if (errors.length > 0) return { ok: false, errors };

  model.data = submitted;
  dropInvisibleAnswers(model, questions);

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
    }
    if (errors.length > 0) return { ok: false, errors };
  }

  const types = new Map<string, string>();
  for (const [name, q] of questions) types.set(name, q.getType());
  return { ok: true, data: { ...(model.data as Data) }, types };
}

function acceptsComment(q: Question): boolean {
  return Boolean(q.hasComment || q.hasOther || q.showOtherItem || q.showCommentArea);
}

function isVisible(q: Question): boolean {
  return q.isVisible && q.isParentVisible !== false && (q.page ? q.page.isVisible : true);
}

/** Answers to questions that were not visible are dropped, not stored; repeat while that changes visibility. */
function dropInvisibleAnswers(model: InstanceType<typeof Survey.Model>, questions: Map<string, Question>): void {
  for (let round = 0; round < questions.size + 1; round++) {
    let changed = false;
    for (const name of Object.keys(model.data as Data)) {
      const baseName = name.endsWith('-Comment') ? name.slice(0, -'-Comment'.length) : name;
      const q = questions.get(baseName);
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

function checkShape(q: Question, value: unknown): string | null {
  switch (q.getType()) {
    case 'radiogroup':
    case 'dropdown':
      return isScalar(value) ? null : t('errors.notAChoice');
    case 'checkbox':
      if (!Array.isArray(value)) return t('errors.notAList');
      if (!value.every(isScalar)) return t('errors.notAChoice');
      return new Set(value.map(String)).size === value.length ? null : t('errors.duplicateChoice');
    case 'matrix': {
      if (!isPlainObject(value)) return t('errors.notAnObject');
      const rows = new Set((q.rows as Array<{ value: unknown }>).map((r) => String(r.value)));
      const unknownRow = Object.keys(value).find((row) => !rows.has(row));
      if (unknownRow !== undefined) return t('errors.unknownRow', { row: unknownRow });
      return Object.values(value).every(isScalar) ? null : t('errors.notAChoice');
    }
    case 'multipletext':
      if (!isPlainObject(value)) return t('errors.notAnObject');
      for (const [item, text] of Object.entries(value)) {
        if (!(q.items as Array<{ name: string }>).some((i) => i.name === item)) return t('errors.unknownRow', { row: item });
        const message = checkText(text, q.maxLength > 0 ? q.maxLength : 500);
        if (message) return message;
      }
      return null;
    case 'boolean':
      return value === true || value === false || value === q.valueTrue || value === q.valueFalse ? null : t('errors.notBoolean');
    case 'rating':
      return typeof value === 'number' || typeof value === 'string' ? null : t('errors.notANumber');
    case 'text':
      if (q.inputType === 'number') return typeof value === 'number' && Number.isFinite(value) ? null : t('errors.notANumber');
      return checkText(value, q.maxLength > 0 ? q.maxLength : MAX_TEXT);
    case 'comment':
      return checkText(value, q.maxLength > 0 ? q.maxLength : MAX_TEXT);
    default:
      return t('errors.unknownQuestion');
  }
}

function checkAgainstVisibleChoices(q: Question, value: unknown): string | null {
  const type = q.getType();
  if (type === 'radiogroup' || type === 'dropdown') {
    return choiceValues(q).has(String(value)) ? null : t('errors.notAChoice');
  }
  if (type === 'checkbox') {
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
  return null;
}

function choiceValues(q: Question): Set<string> {
  return new Set((q.visibleChoices as Array<{ value: unknown }>).map((c) => String(c.value)));
}

function isExclusiveChoice(q: Question, value: string): boolean {
  return (q.visibleChoices as Array<{ value: unknown; isExclusive?: boolean }>)
    .some((c) => String(c.value) === value && c.isExclusive === true);
}

function checkText(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return t('errors.notText');
  return value.length > max ? t('errors.textTooLong', { max }) : null;
}

const isScalar = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const isPlainObject = (v: unknown): v is Data => !!v && typeof v === 'object' && !Array.isArray(v);
