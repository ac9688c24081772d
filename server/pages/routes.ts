// The staff pages: server-rendered forms that call the same services as the JSON API, so
// everything works without client-side script.
import { Router, Request, Response } from 'express';
import type { AuthService } from '../auth/service';
import { loginSchema, setupSchema } from '../auth/service';
import type { WaveService } from '../waves/service';
import { newWaveSchema, waveJson, DEFAULT_MIN_GROUP_SIZE } from '../waves/service';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import { CookieSettings, setSessionCookie } from '../auth/routes';
import { SESSION_COOKIE, requireRole, requireUser } from '../auth/middleware';
import { AppError, conflict } from '../http/errors';
import { parseBody } from '../http/validate';
import { baseUrlOf } from '../http/base-url';
import { t } from '../i18n/messages';

interface PageDeps {
  auth: AuthService;
  waves: WaveService;
  instruments: InstrumentCatalogue;
  cookie: CookieSettings;
  publicUrl: string | null;
}

/** Form fields arrive as strings; the API schemas expect numbers and nulls. */
function formFields(body: Record<string, string>, numbers: string[] = []): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body ?? {})) {
    if (key === '_csrf') continue;
    if (value === '') continue;
    fields[key] = numbers.includes(key) ? Number(value) : value;
  }
  return fields;
}

/** Re-renders a form with the error messages when a service refuses the input. */
async function withFormErrors(res: Response, view: string, locals: object, action: () => Promise<void>) {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500 || err.status === 403 || err.status === 404) throw err;
    res.status(err.status).render(view, { ...locals, error: err.message, errors: err.errors ?? [] });
  }
}

export function pageRoutes({ auth, waves, instruments, cookie, publicUrl }: PageDeps): Router {
  const router = Router();
  const instrumentOptions = () => instruments.list().map((i) => ({ key: i.key, title: i.title, version: i.version }));

  router.get('/', async (req, res) => {
    if (!(await auth.isSetUp())) return res.redirect('/setup');
    res.redirect(req.user ? '/waves' : '/login');
  });

  router.get('/setup', async (_req, res) => {
    if (await auth.isSetUp()) throw conflict(t('errors.setupDone'));
    res.render('setup', { title: t('setup.title'), values: {}, error: null, errors: [] });
  });

  router.post('/setup', async (req, res) => {
    const values = formFields(req.body);
    await withFormErrors(res, 'setup', { title: t('setup.title'), values }, async () => {
      const result = await auth.setup(parseBody(setupSchema, values));
      setSessionCookie(res, result.token, cookie);
      res.redirect(303, '/waves');
    });
  });

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect('/waves');
    res.render('login', { title: t('login.title'), values: {}, error: null, errors: [] });
  });

  router.post('/login', async (req, res) => {
    const values = formFields(req.body);
    await withFormErrors(res, 'login', { title: t('login.title'), values: { email: values.email } }, async () => {
      const result = await auth.login(parseBody(loginSchema, values, { allInvalidAreBad: true }));
      setSessionCookie(res, result.token, cookie);
      res.redirect(303, '/waves');
    });
  });

  router.post('/logout', async (req: Request, res: Response) => {
    if (req.user) await auth.logout(req.user);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  });

  router.get('/waves', requireUser, async (req, res) => {
    const list = await waves.list(req.user!);
    res.render('waves/index', { title: t('waves.title'), waves: list.map((w) => waveJson(w, baseUrlOf(req, publicUrl))) });
  });

  router.get('/waves/new', requireRole('manager'), (_req, res) => {
    res.render('waves/new', {
      title: t('waves.new'), instruments: instrumentOptions(), values: { minGroupSize: DEFAULT_MIN_GROUP_SIZE, mode: 'anonymous' },
      error: null, errors: [],
    });
  });

  router.post('/waves', requireRole('manager'), async (req, res) => {
    const values = formFields(req.body, ['minGroupSize']);
    await withFormErrors(res, 'waves/new', { title: t('waves.new'), instruments: instrumentOptions(), values }, async () => {
      const wave = await waves.create(req.user!, parseBody(newWaveSchema, values));
      res.redirect(303, `/waves/${wave.id}`);
    });
  });

  router.get('/waves/:id', requireUser, async (req, res) => {
    const wave = await waves.get(req.user!, String(req.params.id));
    const perDay = await waves.countPerDay(req.user!, wave.id);
    const instrument = instruments.list().find((i) => i.key === wave.instrumentKey);
    res.render('waves/show', {
      title: wave.label, wave: waveJson(wave, baseUrlOf(req, publicUrl)), perDay, instrumentTitle: instrument?.title ?? wave.instrumentKey,
    });
  });

  router.post('/waves/:id/status', requireRole('manager'), async (req, res) => {
    const status = req.body?.status === 'closed' ? 'closed' : 'open';
    await waves.update(req.user!, String(req.params.id), { status });
    res.redirect(303, `/waves/${String(req.params.id)}`);
  });

  return router;
}
