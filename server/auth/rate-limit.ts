// Login attempts are limited per address and per account. The per-account window is
// short and counts failures only, so an attacker cannot lock a real user out for long.
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import type { Request, Response, NextFunction } from 'express';
import { tooManyRequests } from '../http/errors';

const WINDOW_MS = 10 * 60 * 1000;

export function loginRateLimits() {
  const reject = (_req: Request, _res: Response, next: NextFunction) => next(tooManyRequests());
  const perAddress = rateLimit({
    windowMs: WINDOW_MS,
    limit: 50,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? '')}`,
    handler: reject,
  });
  const perAccount = rateLimit({
    windowMs: WINDOW_MS,
    limit: 10,
    skipSuccessfulRequests: true,
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: (req) => `account:${String((req.body as { email?: unknown } | undefined)?.email ?? '').trim().toLowerCase()}`,
    handler: reject,
  });
  return [perAddress, perAccount];
}
