// Text that PostgreSQL cannot store: U+0000 (NUL), which a text column refuses, and a lone
// UTF-16 surrogate, which has no UTF-8 form. Either one in a query made it fail with a 500
// (SQLite stored it, so the two databases even disagreed). Every body, form, file name and
// path is checked here, at the boundary, and refused with a 400 naming the field, so that no
// service or repository has to think about it and nothing half-stored can result.
import type { NextFunction, Request, Response } from 'express';
import { badRequest, FieldError } from './errors';
import { t } from '../i18n/messages';

/** A NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one. */
// eslint-disable-next-line no-control-regex -- finding the control character is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * The path of the first string (value or key) in a parsed body that cannot be stored, or
 * null. Walks with its own stack: a body may be nested thousands of levels deep.
 */
export function unstorablePath(body: unknown): string | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value: body, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (!isStorableText(value)) return path;
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: join(path, String(i)) }));
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (!isStorableText(key)) return join(path, key.replace(UNSTORABLE_ALL, '\ufffd'));
        stack.push({ value: item, path: join(path, key) });
      }
    }
  }
  return null;
}

const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');
const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/** The 400 for a field that cannot be stored; its name is shown with the bad characters replaced. */
export function unstorableText(field: string | null): Error {
  const errors: FieldError[] | undefined = field ? [{ question: field.replace(UNSTORABLE_ALL, '\ufffd'), message: t('errors.unstorableText') }] : undefined;
  return badRequest(t('errors.unstorableText'), errors);
}

/** After a body parser: refuses a parsed body with a string that cannot be stored. */
export function storableBody(req: Request, _res: Response, next: NextFunction): void {
  const path = req.body === undefined || Buffer.isBuffer(req.body) ? null : unstorablePath(req.body);
  next(path === null ? undefined : unstorableText(path));
}

/**
 * Before any route: a NUL in the path or query (%00) would reach a lookup by token or id.
 * Such a URL names nothing, so it is a 400. (A lone surrogate cannot come through a URL:
 * percent-encoding is UTF-8, which has none, and Express refuses what does not decode.)
 */
export function storableUrl(req: Request, _res: Response, next: NextFunction): void {
  next(/%00/i.test(req.originalUrl) || req.originalUrl.includes('\u0000') ? unstorableText(null) : undefined);
}
