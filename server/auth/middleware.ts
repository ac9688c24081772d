// Who is asking: a Bearer token (scripts) or the session cookie (browsers). The token's
// user is looked up on every request, so removal, demotion and logout take effect at once.
import type { NextFunction, Request, Response } from 'express';
import type { Store } from '../store';
import { forbidden, unauthorized, AppError } from '../http/errors';
import { t } from '../i18n/messages';
import { csrfTokenFor, verifyToken } from './tokens';
import type { CurrentUser } from './scope';
import { Action, can, ResourceOf, rolesFor } from './policy';

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
    // Views show a button only when its action is allowed; logged out, nothing is.
    res.locals.can = <A extends Action>(action: A, resource?: ResourceOf<A>) => can(req.user, action, resource);
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
    req.user = { id: user.id, email: user.email, role: user.role, organisationId: user.organisationId, networkId: user.networkId };
    req.authVia = bearer ? 'bearer' : 'cookie';
    req.sessionId = claims.jti;
    res.locals.user = req.user;
    res.locals.csrfToken = csrfTokenFor(claims.jti, secret);
    next();
  };
}

/** What a route declared about who may call it; read by the test that walks the routes. */
export type RoutePolicy = { action: Action } | { public: string };

type PolicyHandler = ((req: Request, res: Response, next: NextFunction) => void) & { routePolicy: RoutePolicy };

/**
 * The route's action from the policy table: 401 without a user, 403 when the user's role may
 * not do it at all. Which resource, and whose, is the service's assertCan() and the scope's.
 */
export function allow(action: Action): PolicyHandler {
  rolesFor(action); // an unknown action fails when the app is built, not on the first request
  const handler = (req: Request, _res: Response, next: NextFunction) => {
    if (!req.user) return next(unauthorized());
    next(can(req.user, action) ? undefined : forbidden());
  };
  return Object.assign(handler, { routePolicy: { action } });
}

/** Declares a route open to anyone (respondents, login, first run); the reason is for readers. */
export function anyone(reason: string): PolicyHandler {
  const handler = (_req: Request, _res: Response, next: NextFunction) => next();
  return Object.assign(handler, { routePolicy: { public: reason } });
}

/** The declaration of one middleware function, if it is one of the above. */
export function routePolicyOf(handle: unknown): RoutePolicy | undefined {
  return typeof handle === 'function' ? (handle as Partial<PolicyHandler>).routePolicy : undefined;
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
