// The checks on a submitted value's shape that do not depend on other answers: shared by the
// survey-core validation and the prepared validator, so that both judge shapes identically.
import { t } from '../i18n/messages';
import type { FieldError } from '../http/errors';
import { dynamicRowLimit, isDateInput, isNumberInput } from '../survey/model';

/** What the shape checks read of a question: a survey-core question, or a plain copy of these fields. */
export interface ShapeQuestion {
  getType(): string;
  rows?: Array<{ value: unknown }>;
  items?: Array<{ name: string; inputType?: string; validators?: unknown }>;
  /** Matrix dropdown and dynamic columns (by name). */
  columns?: Column[];
  /**
   * A dynamic panel's template: its questions, also those in panels of the template (each
   * panel's answer holds them all side by side; its templateElements would name the panels).
   */
  template?: { questions: Array<{ getValueName(): string; getType(): string; inputType?: string }> };
  maxLength: number;
  inputType?: string;
  valueTrue?: unknown;
  valueFalse?: unknown;
  multiSelect?: boolean;
  min?: unknown;
  max?: unknown;
  maxRowCount?: number;
  maxPanelCount?: number;
}


/** A table's column or a dynamic panel's question: its name, and what survey-core says of its input. */
type Column = { name: string } & Parameters<typeof isDateInput>[0];

export type Data = Record<string, unknown>;

export const MAX_TEXT = 5000;
export const COMMENT_SUFFIX = '-Comment';

/** The question a key answers: `x-Comment` is the comment box of question x. */
export function baseNameOf(key: string): string {
  return key.endsWith(COMMENT_SUFFIX) ? key.slice(0, -COMMENT_SUFFIX.length) : key;
}

/**
 * The first step of both validators: every key is a question of the instrument (or the
 * comment box of one that has it), and every value has its question's shape.
 */
export function checkKeysAndShapes(
  submitted: Data, find: (name: string) => { question: ShapeQuestion; acceptsComment: boolean } | undefined,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(submitted)) {
    const baseName = baseNameOf(key);
    const found = find(baseName);
    if (!found || (key !== baseName && !found.acceptsComment)) {
      errors.push({ question: key, message: t('errors.unknownQuestion') });
      continue;
    }
    const message = key !== baseName ? checkText(value, MAX_TEXT) : checkShape(found.question, value);
    if (message) errors.push({ question: key, message });
  }
  return errors;
}

export function checkShape(q: ShapeQuestion, value: unknown): string | null {
  switch (q.getType()) {
    case 'radiogroup':
    case 'dropdown':
      return isScalar(value) ? null : t('errors.notAChoice');
    case 'imagepicker':
      return q.multiSelect ? checkChoiceList(value) : isScalar(value) ? null : t('errors.notAChoice');
    case 'checkbox':
    case 'tagbox':
      return checkChoiceList(value);
    case 'ranking':
      if (!Array.isArray(value) || !value.every(isScalar)) return t('errors.notARanking');
      return new Set(value.map(String)).size === value.length ? null : t('errors.notARanking');
    case 'matrix': {
      if (!isPlainObject(value)) return t('errors.notAnObject');
      const rows = new Set((q.rows ?? []).map((r) => String(r.value)));
      const unknownRow = Object.keys(value).find((row) => !rows.has(row));
      if (unknownRow !== undefined) return t('errors.unknownRow', { row: unknownRow });
      return Object.values(value).every(isScalar) ? null : t('errors.notAChoice');
    }
    case 'matrixdropdown': {
      if (!isPlainObject(value)) return t('errors.notAnObject');
      const rows = new Set((q.rows ?? []).map((r) => String(r.value)));
      for (const [row, cells] of Object.entries(value)) {
        if (!rows.has(row)) return t('errors.unknownRow', { row });
        const message = checkCells(cells, q.columns ?? []);
        if (message) return message;
      }
      return null;
    }
    case 'matrixdynamic':
    case 'paneldynamic': {
      const max = dynamicRowLimit(q);
      if (!Array.isArray(value) || value.length > max) return t('errors.notARowList', { max });
      for (const cells of value) {
        const message = checkCells(cells, q.getType() === 'matrixdynamic' ? (q.columns ?? [])
          : (q.template?.questions ?? []).map((inner) => ({ name: inner.getValueName(), getType: () => inner.getType(), inputType: inner.inputType })));
        if (message) return message;
      }
      return null;
    }
    case 'multipletext':
      if (!isPlainObject(value)) return t('errors.notAnObject');
      for (const [item, text] of Object.entries(value)) {
        const found = (q.items ?? []).find((i) => i.name === item);
        if (!found) return t('errors.unknownRow', { row: item });
        const message = itemMessage(found, text, q.maxLength > 0 ? q.maxLength : 500);
        if (message) return message;
      }
      return null;
    case 'boolean':
      return value === true || value === false || value === q.valueTrue || value === q.valueFalse ? null : t('errors.notBoolean');
    case 'rating':
      return typeof value === 'number' || typeof value === 'string' ? null : t('errors.notANumber');
    case 'expression':
      // Computed in the browser and again on the server; never stored.
      return value === null || isScalar(value) || typeof value === 'boolean' ? null : t('errors.notText');
    case 'text':
      if (q.inputType === 'number') return checkNumber(value);
      if (q.inputType === 'range') return checkNumber(value) ?? checkBounds(value as number, q.min ?? 0, q.max ?? 100);
      if (q.inputType === 'date') return checkDate(value);
      return checkText(value, q.maxLength > 0 ? q.maxLength : MAX_TEXT);
    case 'comment':
      return checkText(value, q.maxLength > 0 ? q.maxLength : MAX_TEXT);
    default:
      return t('errors.unknownQuestion');
  }
}

/**
 * A multiple-text item: a number typed as one is a number; a text with a numeric validator
 * may come as the text typed ("51,5", which survey-core's validator then judges) or as a
 * number (an import); a date a real day.
 */
function itemMessage(item: { inputType?: string; validators?: unknown }, value: unknown, maxLength: number): string | null {
  if (item.inputType === 'number') return checkNumber(value);
  if (isDateInput(item)) return checkDate(value);
  if (isNumberInput(item) && typeof value === 'number') return checkNumber(value);
  return checkText(value, maxLength);
}

function checkChoiceList(value: unknown): string | null {
  if (!Array.isArray(value)) return t('errors.notAList');
  if (!value.every(isScalar)) return t('errors.notAChoice');
  return new Set(value.map(String)).size === value.length ? null : t('errors.duplicateChoice');
}

/** One row of a dynamic matrix or a matrix dropdown, or one dynamic panel: named cells holding answers. */
function checkCells(cells: unknown, columns: Column[]): string | null {
  if (!isPlainObject(cells)) return t('errors.notAnObject');
  // Cell names come from the submission: a Map, so that none reaches a prototype.
  const byName = new Map(columns.map((c) => [String(c.name), c]));
  for (const [name, cell] of Object.entries(cells)) {
    const column = byName.get(name);
    if (!column) return t('errors.unknownRow', { row: name });
    // A date cell holds a real day: the export writes it as a date, SPSS and R read it as one.
    if (isDateInput(column) && cell !== null && cell !== undefined && cell !== '') {
      const message = checkDate(cell);
      if (message) return message;
      continue;
    }
    if (typeof cell === 'boolean' || isScalar(cell)) {
      if (typeof cell === 'string' && cell.length > MAX_TEXT) return t('errors.textTooLong', { max: MAX_TEXT });
      continue;
    }
    if (Array.isArray(cell) && cell.length <= 100 && cell.every(isScalar)) continue;
    return t('errors.notAChoice');
  }
  return null;
}

export function checkNumber(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) ? null : t('errors.notANumber');
}

function checkBounds(value: number, min: unknown, max: unknown): string | null {
  const low = Number(min);
  const high = Number(max);
  if (Number.isFinite(low) && value < low) return t('errors.outOfRange');
  if (Number.isFinite(high) && value > high) return t('errors.outOfRange');
  return null;
}

/** A day as the date input sends it: YYYY-MM-DD, and a day that exists (no 31 February). */
export function checkDate(value: unknown): string | null {
  if (typeof value !== 'string' || value.length !== 10 || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return t('errors.notADate');
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real && year >= 1900 && year <= 2200 ? null : t('errors.notADate');
}

export function checkText(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return t('errors.notText');
  return value.length > max ? t('errors.textTooLong', { max }) : null;
}

export const isScalar = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
export const isPlainObject = (v: unknown): v is Data => !!v && typeof v === 'object' && !Array.isArray(v);
