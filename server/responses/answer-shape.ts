// The checks on a submitted value's shape that do not depend on other answers: shared by the
// survey-core validation and the prepared validator, so that both judge shapes identically.
import { t } from '../i18n/messages';
import type { FieldError } from '../http/errors';

/** What the shape checks read of a question: a survey-core question, or a plain copy of these fields. */
export interface ShapeQuestion {
  getType(): string;
  rows?: Array<{ value: unknown }>;
  items?: Array<{ name: string }>;
  maxLength: number;
  inputType?: string;
  valueTrue?: unknown;
  valueFalse?: unknown;
}

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
    case 'checkbox':
      if (!Array.isArray(value)) return t('errors.notAList');
      if (!value.every(isScalar)) return t('errors.notAChoice');
      return new Set(value.map(String)).size === value.length ? null : t('errors.duplicateChoice');
    case 'matrix': {
      if (!isPlainObject(value)) return t('errors.notAnObject');
      const rows = new Set((q.rows ?? []).map((r) => String(r.value)));
      const unknownRow = Object.keys(value).find((row) => !rows.has(row));
      if (unknownRow !== undefined) return t('errors.unknownRow', { row: unknownRow });
      return Object.values(value).every(isScalar) ? null : t('errors.notAChoice');
    }
    case 'multipletext':
      if (!isPlainObject(value)) return t('errors.notAnObject');
      for (const [item, text] of Object.entries(value)) {
        if (!(q.items ?? []).some((i) => i.name === item)) return t('errors.unknownRow', { row: item });
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

export function checkText(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return t('errors.notText');
  return value.length > max ? t('errors.textTooLong', { max }) : null;
}

export const isScalar = (v: unknown): v is string | number => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
export const isPlainObject = (v: unknown): v is Data => !!v && typeof v === 'object' && !Array.isArray(v);
