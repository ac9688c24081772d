// No answer of the app may be kept by a browser or a proxy, except the content-hashed assets
// (mounted before this): pages and API answers show results, contacts and invitation tokens,
// and a respondent's page on a shared phone must not come back with the back button. Set
// once here for every route, so that a new route cannot forget it; a route may still
// narrow it further, never loosen it.
import type { NextFunction, Request, Response } from 'express';

export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.set('Cache-Control', 'no-store');
  next();
}
