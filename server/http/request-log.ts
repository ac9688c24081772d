import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../log';
import { redactPath, requestLogger } from '../log';

/**
 * One line per request: method, path without token or query, status and duration.
 * Nothing else, and for respondent pages not even the time.
 */
export function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const path = redactPath(req.originalUrl);
      requestLogger(log, req).info({ method: req.method, path, status: res.statusCode, ms: Math.round(ms) }, 'request');
    });
    next();
  };
}
