import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../log';
import { redactPath, respondentLogger } from '../log';

/**
 * One line per request: method, path without token or query, status and duration.
 * Nothing else, and for respondent pages not even the time.
 */
export function requestLog(log: Logger) {
  const quiet = respondentLogger(log);
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const path = redactPath(req.originalUrl);
      const target = path.startsWith('/s/') ? quiet : log;
      target.info({ method: req.method, path, status: res.statusCode, ms: Math.round(ms) }, 'request');
    });
    next();
  };
}
