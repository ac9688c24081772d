// Validation at the boundary: every body and query is parsed by a declared schema before a
// service sees it. Unknown fields and a body of the wrong shape are a malformed request
// (400); fields with values that do not fit are 422, with a message per field.
import { z } from 'zod';
import { badRequest, invalid, FieldError } from './errors';
import { t } from '../i18n/messages';

export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown, { allInvalidAreBad = false } = {}): z.infer<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest();
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const errors: FieldError[] = [];
  let malformed = allInvalidAreBad;
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      malformed = true;
      for (const key of issue.keys) errors.push({ question: key, message: t('errors.unknownField', { field: key }) });
    } else {
      errors.push({ question: issue.path.join('.') || undefined, message: issue.message });
    }
  }
  throw malformed ? badRequest(t('errors.badRequest'), errors) : invalid(errors);
}
