// First run, login and logout pages.
import { Router, RequestHandler } from 'express';
import type { AuthService } from '../auth/service';
import { loginSchema, setupSchema } from '../auth/service';
import { CookieSettings, setSessionCookie } from '../auth/routes';
import { anyone, SESSION_COOKIE } from '../auth/middleware';
import { AppError, conflict } from '../http/errors';
import { parseBody } from '../http/validate';
import { t } from '../i18n/messages';
import { formFields, withFormErrors } from './forms';

/** Where a logged-in user starts: a network account has no waves, only its network. */
const startOf = (user: { role: string } | undefined) => (user?.role === 'network' ? '/networks' : '/waves');

export function accountPages(auth: AuthService, cookie: CookieSettings, loginLimit: RequestHandler[]): Router {
  const router = Router();

  router.get('/', anyone('sends to setup, login or the waves'), async (req, res) => {
    if (!(await auth.isSetUp())) return res.redirect('/setup');
    res.redirect(req.user ? startOf(req.user) : '/login');
  });

  router.get('/setup', anyone('first run, while no account exists'), async (_req, res) => {
    if (await auth.isSetUp()) throw conflict(t('errors.setupDone'));
    res.render('setup', { title: t('setup.title'), values: {}, error: null, errors: [] });
  });

  router.post('/setup', anyone('first run, while no account exists'), async (req, res) => {
    const values = formFields(req.body);
    const locals = { title: t('setup.title'), values };
    await withFormErrors(res, 'setup', locals, async () => {
      try {
        const result = await auth.setup(parseBody(setupSchema, values));
        setSessionCookie(res, result.token, cookie);
        res.redirect(303, '/waves');
      } catch (err) {
        // A missing or wrong setup code: the form again, saying where the code is.
        if (!(err instanceof AppError) || err.status !== 403) throw err;
        res.status(403).render('setup', { ...locals, error: err.message, errors: [] });
      }
    });
  });

  router.get('/login', anyone('logging in'), (req, res) => {
    if (req.user) return res.redirect(startOf(req.user));
    res.render('login', { title: t('login.title'), values: {}, error: null, errors: [] });
  });

  router.post('/login', anyone('logging in'), ...loginLimit, async (req, res) => {
    const values = formFields(req.body);
    await withFormErrors(res, 'login', { title: t('login.title'), values: { email: values.email } }, async () => {
      const result = await auth.login(parseBody(loginSchema, values, { allInvalidAreBad: true }));
      setSessionCookie(res, result.token, cookie);
      res.redirect(303, startOf(result.user));
    });
  });

  router.post('/logout', anyone('a stale session may still log out'), async (req, res) => {
    if (req.user) await auth.logout(req.user);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });

  return router;
}
