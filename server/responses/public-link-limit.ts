// A limit on submissions per client and per respondent link, so that one client cannot
// flood a public link with junk (600 responses in 2.7 s turned one answer's share from
// 100% to 3%, and filled the contact list).
//
// The anonymity promise is that no address is stored. So the limiter keeps its counts in
// this process's memory only, under a key that is a hash of the address with a random salt
// that lives only in memory and is replaced every day (and at every start): the key cannot
// be turned back into an address by anyone who reads memory tomorrow, and nothing of it is
// written to the database or the log. The database-backed store of server/rate-limits/
// (which the login limits use on PostgreSQL) would outlive the day and the process, which
// is what the promise excludes.
//
// Trade-off, documented in docs/api-links.md: with several processes behind one
// PostgreSQL, each process counts on its own, so a client spread over N processes gets up
// to N times the limit. That still bounds a flood (a few per minute per process, not
// hundreds per second), and the operator can lower the limit to suit.
//
// The limit applies to every /s/:token submission, keyed by the link as well: an invitation
// link takes one response, so its own budget is never reached by a real respondent.
import crypto from 'node:crypto';
import { ipKeyGenerator } from 'express-rate-limit';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RetryLaterError } from '../http/errors';
import { t } from '../i18n/messages';

export interface PublicLinkLimitSettings {
  /** Submissions one client may send to one link per window. */
  limit: number;
  /** The window, in ms (a minute by default). */
  windowMs?: number;
  /** At most this many clients are remembered; the oldest is forgotten first. */
  maxClients?: number;
  /** The clock (tests inject one to see the salt rotate and windows end). */
  now?: () => number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_WINDOW_MS = 60 * 1000;
// 10,000 entries of a 43-character key and two numbers: about 1-2 MB at most.
const DEFAULT_MAX_CLIENTS = 10_000;

interface Window { count: number; endsAt: number }

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

export function createPublicLinkLimiter(settings: PublicLinkLimitSettings) {
  const windowMs = settings.windowMs ?? DEFAULT_WINDOW_MS;
  const maxClients = settings.maxClients ?? DEFAULT_MAX_CLIENTS;
  const now = settings.now ?? Date.now;
  // Keys are hashes, never taken from input as such; a Map all the same.
  const windows = new Map<string, Window>();
  let salt = crypto.randomBytes(32);
  let saltMadeAt = now();

  /** A new salt once a day: yesterday's keys then match nobody, so they are dropped too. */
  const rotateIfDue = (at: number) => {
    if (at - saltMadeAt < DAY_MS && at >= saltMadeAt) return;
    salt = crypto.randomBytes(32);
    saltMadeAt = at;
    windows.clear();
  };

  const keyOf = (address: string, link: string) =>
    crypto.createHmac('sha256', salt).update(address).update('\u0000').update(link).digest('base64url');

  /** Room for one more: expired windows go first, then the oldest (Map keeps insertion order). */
  const makeRoom = (at: number) => {
    if (windows.size < maxClients) return;
    for (const [key, w] of windows) if (w.endsAt <= at) windows.delete(key);
    while (windows.size >= maxClients) windows.delete(windows.keys().next().value!);
  };

  return {
    /** Counts one submission of this client to this link; refused once over the limit. */
    admit(address: string, link: string): Admission {
      const at = now();
      rotateIfDue(at);
      const key = keyOf(address, link);
      const current = windows.get(key);
      if (!current || current.endsAt <= at) {
        if (current) windows.delete(key);
        makeRoom(at);
        windows.set(key, { count: 1, endsAt: at + windowMs });
        return { ok: true };
      }
      if (current.count >= settings.limit) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((current.endsAt - at) / 1000)) };
      current.count += 1;
      return { ok: true };
    },

    /** For tests: the key a client has now, and how many clients are remembered. */
    keyFor: (address: string, link: string) => { rotateIfDue(now()); return keyOf(address, link); },
    size: () => windows.size,
  };
}

export type PublicLinkLimiter = ReturnType<typeof createPublicLinkLimiter>;

/** 429 with Retry-After and a calm message that the respondent page can show as it is. */
export const tooManySubmissions = (retryAfterSeconds: number) =>
  new RetryLaterError(429, 'too_many_requests', t('errors.tooManySubmissions'), retryAfterSeconds);

/**
 * The middleware for /s/:token/responses. The address is req.ip, which follows TRUST_PROXY;
 * an IPv6 address counts by its /56 network, as one household or office gets a whole range.
 */
export function publicLinkLimit(limiter: PublicLinkLimiter): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const admission = limiter.admit(ipKeyGenerator(req.ip ?? ''), String(req.params.token));
    if (!admission.ok) return next(tooManySubmissions(admission.retryAfterSeconds));
    next();
  };
}
