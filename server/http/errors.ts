// One error vocabulary. Services throw these; the single error handler turns them into
// JSON for /api and an HTML page for browsers. Messages are Dutch (people read them).
import { t } from '../i18n/messages';

export interface FieldError {
  question?: string;
  /** An instrument's problem: where (file and element) and which rule. */
  path?: string;
  rule?: string;
  line?: number;
  column?: string;
  message: string;
}

export class AppError extends Error {
  /** Sent as Retry-After (a 503 while the database cannot serve). */
  retryAfterSeconds?: number;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message = t('errors.badRequest'), errors?: FieldError[]) =>
  new AppError(400, 'bad_request', message, errors);
export const unauthorized = (message = t('errors.unauthorized')) => new AppError(401, 'unauthorized', message);
export const forbidden = (message = t('errors.forbidden')) => new AppError(403, 'forbidden', message);
export const notFound = (message = t('errors.notFound')) => new AppError(404, 'not_found', message);
export const conflict = (message: string) => new AppError(409, 'conflict', message);
export const gone = (message = t('errors.gone')) => new AppError(410, 'gone', message);
export const payloadTooLarge = () => new AppError(413, 'payload_too_large', t('errors.tooLarge'));
export const unsupportedMediaType = () => new AppError(415, 'unsupported_media_type', t('errors.mediaType'));
export const invalid = (errors: FieldError[], message = t('errors.invalid')) =>
  new AppError(422, 'invalid', message, errors);
export const tooManyRequests = () => new AppError(429, 'too_many_requests', t('errors.tooMany'));

/** Seconds a client is asked to wait before trying again while the database is unavailable. */
export const RETRY_AFTER_SECONDS = 10;

/** The database cannot serve now (outage, read-only, the writer's queue is full): try again shortly. */
export const serviceUnavailable = (message = t('errors.unavailable'), retryAfterSeconds = RETRY_AFTER_SECONDS) =>
  new RetryLaterError(503, 'service_unavailable', message, retryAfterSeconds);

/**
 * A refusal that tells the client when to come back: 503 (the server is busy or cannot
 * check something it must) or 429 (this client asked too often), sent with Retry-After, so
 * that nothing waits in a queue without end. The error handler does not log it as a failure.
 */
export class RetryLaterError extends AppError {
  constructor(status: 429 | 503, code: string, message: string, retryAfterSeconds: number) {
    super(status, code, message);
    this.name = 'RetryLaterError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
