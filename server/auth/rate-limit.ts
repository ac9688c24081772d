// Login attempts are limited per address and per account, first-run setup per address.
// The per-account window is short and counts failures only, so an attacker cannot lock a
// real user out for long.
//
// Keys are an HMAC of the limiter's purpose and the address or e-mail, with the server's
// secret: a store (memory, or the database when several processes share PostgreSQL) never
// holds an address or an e-mail, and a key cannot be turned back into one without the secret.
import crypto from 'node:crypto';
import { rateLimit, ipKeyGenerator, Store } from 'express-rate-limit';
import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { tooManyRequests } from '../http/errors';

const LOGIN_WINDOW_MS = 10 * 60 * 1000;
const SETUP_WINDOW_MS = 15 * 60 * 1000;

export interface RateLimitSettings {
  /** The key of the HMAC that hides addresses and e-mails (the server's signing secret). */
  secret: string;
  /** A store per limiter name; the library's memory store when absent (one process). */
  store?: (name: string) => Store;
}

export interface RateLimits {
  login: RequestHandler[];
  setup: RequestHandler[];
}

export function createRateLimits(settings: RateLimitSettings): RateLimits {
  const reject = (_req: Request, _res: Response, next: NextFunction) => next(tooManyRequests());
  const hidden = (purpose: string, value: string) =>
    crypto.createHmac('sha256', settings.secret).update(`${purpose}\u0000${value}`).digest('hex');
  const address = (req: Request) => ipKeyGenerator(req.ip ?? '');
  const limiter = (name: string, options: Parameters<typeof rateLimit>[0]) => rateLimit({
    legacyHeaders: false,
    handler: reject,
    ...options,
    ...(settings.store ? { store: settings.store(name) } : {}),
  });

  const loginPerAddress = limiter('login-address', {
    windowMs: LOGIN_WINDOW_MS,
    limit: 50,
    standardHeaders: 'draft-8',
    keyGenerator: (req) => hidden('login-address', address(req)),
  });
  const loginPerAccount = limiter('login-account', {
    windowMs: LOGIN_WINDOW_MS,
    limit: 10,
    skipSuccessfulRequests: true,
    standardHeaders: false,
    keyGenerator: (req) => hidden('login-account', String((req.body as { email?: unknown } | undefined)?.email ?? '').trim().toLowerCase()),
  });
  // Setup is done once; a handful of tries covers typing errors, not guessing the setup code.
  const setupPerAddress = limiter('setup-address', {
    windowMs: SETUP_WINDOW_MS,
    limit: 10,
    standardHeaders: 'draft-8',
    keyGenerator: (req) => hidden('setup-address', address(req)),
  });
  return { login: [loginPerAddress, loginPerAccount], setup: [setupPerAddress] };
}
