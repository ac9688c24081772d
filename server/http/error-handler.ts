// The one error handler. Known errors get their status and a safe Dutch message; anything
// else is logged and becomes a plain 500. No stack trace or SQL ever reaches a client.
import type { NextFunction, Request, Response } from 'express';
import { AppError, notFound, payloadTooLarge, badRequest, unsupportedMediaType, serviceUnavailable } from './errors';
import { unavailableReason } from '../db/errors';
import { t, messages } from '../i18n/messages';
import { DEFAULTS } from '../config';
import type { Logger } from '../log';
import { loggableError, redactPath, requestLogger } from '../log';
import { listedErrors } from './error-list';

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction) {
  next(notFound());
}

export function errorHandler(log: Logger) {
  // Express recognises an error handler by its four parameters, so `_next` stays.
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const error = toAppError(err);
    // A deliberate refusal to come back later (hashing busy, the writer's queue full) is the
    // server working as meant, not a failure to log (a burst of them would flood the log);
    // what caused it is logged where it happened. A database error that arrives here raw is.
    if (error.status >= 500 && !(err instanceof AppError && err.retryAfterSeconds)) {
      requestLogger(log, req).error({ err: loggableError(err), method: req.method, path: redactPath(req.path) }, 'request failed');
    }
    if (res.headersSent) return;
    if (error.retryAfterSeconds) res.set('Retry-After', String(error.retryAfterSeconds));
    const listed = error.errors ? listedErrors(error.errors) : null;
    const body = { error: { code: error.code, message: error.message }, ...listed };
    if (wantsJson(req)) return res.status(error.status).json(body);
    // A browser that is not logged in is sent to the login page rather than shown a 401.
    if (error.status === 401) return res.redirect(303, '/login');
    res.status(error.status);
    // A respondent's error page keeps her neutral title, layout and way out, and has no staff
    // login; the router under /s/ sets the way out (server/responses/routes.ts).
    if (req.path.startsWith('/s/')) {
      const quickExitUrl = typeof res.locals.quickExitUrl === 'string' ? res.locals.quickExitUrl : DEFAULTS.quickExitUrl;
      return res.render('respondent-error', { title: t('app.neutralTitle'), message: error.message, quickExitUrl, text: messages.respond });
    }
    res.render('error', { title: error.message, status: error.status, message: error.message, errors: listed?.errors ?? [] });
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const type = (err as { type?: string } | null)?.type;
  // body-parser's errors, which carry their own status.
  if (type === 'entity.parse.failed') return badRequest(t('errors.malformedJson'));
  if (type === 'entity.too.large') return payloadTooLarge();
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return unsupportedMediaType();
  if (type === 'request.aborted' || type === 'request.size.invalid') return badRequest();
  // The database is down, silent, read-only or full: the client may try again shortly.
  if (unavailableReason(err)) return serviceUnavailable();
  return new AppError(500, 'server_error', t('errors.server'));
}

/** API and respondent submissions speak JSON; pages get an HTML error page. */
function wantsJson(req: Request): boolean {
  if (req.path.startsWith('/api/')) return true;
  if (req.method !== 'GET' && req.path.startsWith('/s/')) return true;
  // The preview's send answers exactly as a respondent's does (server/preview/routes.ts).
  if (req.method !== 'GET' && req.path.endsWith('/preview/responses')) return true;
  return !req.accepts('html');
}

