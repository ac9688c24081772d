// Who is asking: a Bearer token (scripts) or the session cookie (browsers). The token's
// user is looked up on every request, so removal, demotion and logout take effect at once.
import type { NextFunction, Request, Response } from 'express';
import type { Store } from '../store';
import { forbidden, unauthorized, AppError } from '../http/errors';
import { t } from '../i18n/messages';
import { csrfTokenFor, Role, verifyToken } from './tokens';
import type { CurrentUser } from './scope';

export const SESSION_COOKIE = 'spiegel_session';

declare module 'express-serve-static-core' {
  interface Request {
    user?: CurrentUser;
    /** How the user authenticated; cookie requests need CSRF protection. */
    authVia?: 'cookie' | 'bearer';
    sessionId?: string;
  }
}

export function authenticate(store: Store, secret: string) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE] ?? null;
    const token = bearer ?? cookie;
    if (!token) return next();
    const claims = verifyToken(token, secret);
    const user = claims ? await store.repos.users.findById(claims.sub) : null;
    if (!claims || !user || user.sessionVersion !== claims.sv || user.role !== claims.role || user.organisationId !== claims.org) {
      // A bad Bearer token is an error the script should see; a stale cookie just means "logged out".
      if (bearer) return next(unauthorized());
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      return next();
    }
    req.user = { id: user.id, email: user.email, role: user.role, organisationId: user.organisationId };
    req.authVia = bearer ? 'bearer' : 'cookie';
    req.sessionId = claims.jti;
    res.locals.user = req.user;
    res.locals.csrfToken = csrfTokenFor(claims.jti, secret);
    next();
  };
}

export function requireUser(req: Request, _res: Response, next: NextFunction) {
  next(req.user ? undefined : unauthorized());
}

const RANK: Record<Role, number> = { viewer: 0, manager: 1, admin: 2 };

/** Allows the role and every role above it (admin > manager > viewer). */
export function requireRole(role: Role) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.user) return next(unauthorized());
    next(RANK[req.user.role] >= RANK[role] ? undefined : forbidden());
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated requests that change state must carry the session's CSRF token
 * (header or form field) and, when the browser says where it comes from, our own origin.
 */
export function csrfProtection(secret: string) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (!isSameOrigin(req)) return next(new AppError(403, 'csrf', t('errors.csrf')));
    if (req.authVia !== 'cookie' || !req.sessionId) return next();
    const sent = req.get('x-csrf-token') ?? (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof sent !== 'string' || sent !== csrfTokenFor(req.sessionId, secret)) {
      return next(new AppError(403, 'csrf', t('errors.csrf')));
    }
    next();
  };
}

export function isSameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  if (!origin || origin === 'null') return origin !== 'null';
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}
