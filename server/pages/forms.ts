// Helpers shared by the staff pages' forms.
import type { Response } from 'express';
import { AppError } from '../http/errors';

/** Form fields arrive as strings; the API schemas expect numbers and absent fields. */
export function formFields(body: Record<string, string> | undefined, numbers: string[] = []): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body ?? {})) {
    if (key === '_csrf' || value === '') continue;
    fields[key] = numbers.includes(key) ? Number(value) : value;
  }
  return fields;
}

/** Re-renders a form with the messages when a service refuses the input (400/409/422/429). */
export async function withFormErrors(res: Response, view: string, locals: object, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof AppError) || ![400, 401, 409, 422, 429].includes(err.status)) throw err;
    res.status(err.status).render(view, { ...locals, error: err.message, errors: err.errors ?? [] });
  }
}
