// Helpers shared by the staff pages' forms.
import type { Response } from 'express';
import { AppError } from '../http/errors';
import { listedErrors } from '../http/error-list';

/** Form fields arrive as strings; the API schemas expect numbers and absent fields. */
export function formFields(body: Record<string, string> | undefined, numbers: string[] = []): Record<string, unknown> {
  // Field names are the sender's: Object.fromEntries makes each an own property, `__proto__` too.
  return Object.fromEntries(Object.entries(body ?? {})
    .filter(([key, value]) => key !== '_csrf' && value !== '')
    .map(([key, value]) => [key, numbers.includes(key) ? Number(value) : value]));
}

/** Re-renders a form with the messages when a service refuses the input (400/409/422/429). */
export async function withFormErrors(res: Response, view: string, locals: object, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof AppError) || ![400, 401, 409, 422, 429].includes(err.status)) throw err;
    res.status(err.status).render(view, { ...locals, error: err.message, errors: listedErrors(err.errors ?? []).errors });
  }
}
