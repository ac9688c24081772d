import { Router, Response, RequestHandler } from 'express';
import type { AuthService } from './service';
import { loginSchema, newUserSchema, organisationSchema, rolePatchSchema, setupSchema } from './service';
import { allow, anyone, SESSION_COOKIE } from './middleware';
import { parseBody } from '../http/validate';

export interface CookieSettings {
  secure: boolean;
  maxAgeSeconds: number;
}

export function setSessionCookie(res: Response, token: string, cookie: CookieSettings): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true, sameSite: 'strict', secure: cookie.secure, path: '/', maxAge: cookie.maxAgeSeconds * 1000,
  });
}

export function authApiRoutes(auth: AuthService, cookie: CookieSettings, loginLimit: RequestHandler[]): Router {
  const router = Router();

  router.post('/setup', anyone('first run, while no account exists'), async (req, res) => {
    const result = await auth.setup(parseBody(setupSchema, req.body));
    setSessionCookie(res, result.token, cookie);
    res.status(201).json({ organisation: result.organisation, user: result.user });
  });

  router.post('/auth/login', anyone('logging in'), ...loginLimit, async (req, res) => {
    const result = await auth.login(parseBody(loginSchema, req.body, { allInvalidAreBad: true }));
    setSessionCookie(res, result.token, cookie);
    res.json(result);
  });

  router.post('/auth/logout', allow('session.end'), async (req, res) => {
    await auth.logout(req.user!);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.post('/organisations', allow('organisation.create'), async (req, res) => {
    const { name, kind } = parseBody(organisationSchema, req.body);
    res.status(201).json(await auth.createOrganisation(req.user!, name, kind));
  });

  router.get('/organisations', allow('organisation.list'), async (req, res) => {
    res.json(await auth.listOrganisations(req.user!));
  });

  router.post('/users', allow('user.create'), async (req, res) => {
    res.status(201).json(await auth.createUser(req.user!, parseBody(newUserSchema, req.body)));
  });
  router.get('/users', allow('user.list'), async (req, res) => {
    res.json(await auth.listUsers(req.user!));
  });
  router.patch('/users/:id', allow('user.update'), async (req, res) => {
    const { role } = parseBody(rolePatchSchema, req.body);
    res.json(await auth.changeRole(req.user!, String(req.params.id), role));
  });
  router.delete('/users/:id', allow('user.remove'), async (req, res) => {
    await auth.removeUser(req.user!, String(req.params.id));
    res.status(204).end();
  });

  return router;
}
