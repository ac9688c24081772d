// The positioning workshop: the JSON API (docs/api-workshops.md), the participant's link
// (/w/:token, no account) and the facilitator's pages (/workshops/...).
import { Router, Request, Response } from 'express';
import { allow, anyone } from '../auth/middleware';
import { parseBody } from '../http/validate';
import { baseUrlOf } from '../http/base-url';
import { t } from '../i18n/messages';
import { formFields, withFormErrors } from '../pages/forms';
import { AppError } from '../http/errors';
import { listedErrors } from '../http/error-list';
import {
  criterionSchema, invitationsSchema, newWorkshopSchema, optionSchema, preferredSchema, scoresSchema, screeningSchema,
  weightsSchema, workshopPatchSchema, WorkshopService, SCORE_SYMBOLS, MAX_WEIGHT,
  optionPatchSchema, criterionPatchSchema, orderSchema, CONFIRMATION_REQUIRED,
} from './service';
import { fractionText } from './analysis';
import { can } from '../auth/policy';

const idOf = (req: Request) => String(req.params.id);
const itemOf = (req: Request) => String(req.params.item);
/** A change that drops scores or screening reasons is made only when asked again with ?confirm=true. */
const confirmedBy = (req: Request) => req.query.confirm === 'true';
const participantUrl = (base: string, token: string) => `${base}/w/${token}`;

export function workshopApiRoutes(workshops: WorkshopService, publicUrl: string | null): Router {
  const router = Router();
  router.get('/workshops', allow('workshop.read'), async (req, res) => {
    res.json(await workshops.list(req.user!));
  });
  router.post('/workshops', allow('workshop.run'), async (req, res) => {
    const workshop = await workshops.create(req.user!, parseBody(newWorkshopSchema, req.body));
    res.status(201).location(`/api/v1/workshops/${workshop.id}`).json(workshop);
  });
  router.get('/workshops/:id', allow('workshop.read'), async (req, res) => {
    res.json(await workshops.get(req.user!, idOf(req)));
  });
  router.patch('/workshops/:id', allow('workshop.run'), async (req, res) => {
    res.json(await workshops.update(req.user!, idOf(req), parseBody(workshopPatchSchema, req.body), confirmedBy(req)));
  });
  router.post('/workshops/:id/options', allow('workshop.run'), async (req, res) => {
    res.status(201).json(await workshops.addOption(req.user!, idOf(req), parseBody(optionSchema, req.body)));
  });
  router.post('/workshops/:id/criteria', allow('workshop.run'), async (req, res) => {
    res.status(201).json(await workshops.addCriterion(req.user!, idOf(req), parseBody(criterionSchema, req.body)));
  });
  router.patch('/workshops/:id/options/:item', allow('workshop.run'), async (req, res) => {
    res.json(await workshops.updateOption(req.user!, idOf(req), itemOf(req), parseBody(optionPatchSchema, req.body)));
  });
  router.delete('/workshops/:id/options/:item', allow('workshop.run'), async (req, res) => {
    await workshops.removeOption(req.user!, idOf(req), itemOf(req), confirmedBy(req));
    res.status(204).end();
  });
  router.put('/workshops/:id/options', allow('workshop.run'), async (req, res) => {
    res.json(await workshops.reorder(req.user!, idOf(req), 'option', parseBody(orderSchema, req.body)));
  });
  router.patch('/workshops/:id/criteria/:item', allow('workshop.run'), async (req, res) => {
    res.json(await workshops.updateCriterion(req.user!, idOf(req), itemOf(req), parseBody(criterionPatchSchema, req.body), confirmedBy(req)));
  });
  router.delete('/workshops/:id/criteria/:item', allow('workshop.run'), async (req, res) => {
    await workshops.removeCriterion(req.user!, idOf(req), itemOf(req), confirmedBy(req));
    res.status(204).end();
  });
  router.put('/workshops/:id/criteria', allow('workshop.run'), async (req, res) => {
    res.json(await workshops.reorder(req.user!, idOf(req), 'criterion', parseBody(orderSchema, req.body)));
  });
  router.put('/workshops/:id/screening', allow('workshop.run'), async (req, res) => {
    res.json(await workshops.screen(req.user!, idOf(req), parseBody(screeningSchema, req.body)));
  });
  router.post('/workshops/:id/invitations', allow('workshop.run'), async (req, res) => {
    const created = await workshops.invite(req.user!, idOf(req), parseBody(invitationsSchema, req.body).count);
    const base = baseUrlOf(req, publicUrl);
    res.status(201).json(created.map((p) => ({ token: p.token, url: participantUrl(base, p.token) })));
  });
  router.get('/workshops/:id/invitations', allow('workshop.run'), async (req, res) => {
    const base = baseUrlOf(req, publicUrl);
    res.json((await workshops.invitations(req.user!, idOf(req))).map((p) => ({ token: p.token, url: participantUrl(base, p.token), used: p.submittedOn !== null })));
  });
  router.get('/workshops/:id/plenary', allow('workshop.read'), async (req, res) => {
    res.json(await workshops.plenary(req.user!, idOf(req)));
  });
  router.put('/workshops/:id/weights', allow('workshop.run'), async (req, res) => {
    res.json(await workshops.setWeights(req.user!, idOf(req), parseBody(weightsSchema, req.body)));
  });
  router.put('/workshops/:id/preferred', allow('workshop.run'), async (req, res) => {
    res.json(await workshops.setPreferred(req.user!, idOf(req), parseBody(preferredSchema, req.body)));
  });
  return router;
}

/** The participant's link: a page with the matrix (no script needed) and its two ways to send. */
export function workshopParticipantRoutes(workshops: WorkshopService): Router {
  const router = Router();
  const render = async (res: Response, token: string, status = 200, error: string | null = null, errors: string[] = [], values: Map<string, string> = new Map()) => {
    const { workshop, shortlist, criteria } = await workshops.forParticipant(token);
    res.status(status).set('Referrer-Policy', 'no-referrer').render('workshops/score', {
      title: t('workshops.participant.title'), workshop, shortlist, criteria, token, error, errors, values, symbols: [...SCORE_SYMBOLS.values()],
    });
  };
  router.get('/w/:token', anyone('workshop participants hold the link, not an account'), async (req, res) => {
    await render(res, String(req.params.token));
  });
  router.post('/w/:token/scores', anyone('workshop participants hold the link, not an account'), async (req, res) => {
    await workshops.submitScores(String(req.params.token), parseBody(scoresSchema, req.body));
    res.status(201).json({ status: 'stored' });
  });
  // The form: fields s.<option>.<criterion> and r.<option>.<criterion>, read by the known ids only.
  router.post('/w/:token', anyone('workshop participants hold the link, not an account'), async (req, res) => {
    const token = String(req.params.token);
    const { shortlist, criteria } = await workshops.forParticipant(token);
    const body = new Map(Object.entries((req.body ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const scores = shortlist.flatMap((o) => criteria.flatMap((c) => {
      const score = body.get(`s.${o.id}.${c.id}`);
      return score === undefined ? [] : [{ optionId: o.id, criterionId: c.id, score, remark: body.get(`r.${o.id}.${c.id}`) || null }];
    }));
    try {
      await workshops.submitScores(token, parseBody(scoresSchema, { scores }));
    } catch (err) {
      if (!(err instanceof AppError) || ![400, 422].includes(err.status)) throw err;
      return render(res, token, err.status, err.message, listedErrors(err.errors ?? []).errors.map((e) => e.message), body);
    }
    res.status(201).set('Referrer-Policy', 'no-referrer').render('workshops/thanks', { title: t('workshops.participant.title') });
  });
  return router;
}

/** The facilitator's pages: forms that post to the same service as the API. */
export function workshopPages(workshops: WorkshopService, publicUrl: string | null): Router {
  const router = Router();
  const back = (res: Response, id: string, anchor = '') => res.redirect(303, `/workshops/${id}${anchor}`);

  const showLocals = async (req: Request, extra: object = {}) => {
    const workshop = await workshops.get(req.user!, idOf(req));
    const invitations = workshop.status !== 'plenary' && can(req.user, 'workshop.run') ? await workshops.invitations(req.user!, workshop.id) : [];
    const base = baseUrlOf(req, publicUrl);
    return {
      title: workshop.title, workshop, error: null, errors: [], values: {},
      invitations: invitations.filter((p) => p.submittedOn === null).map((p) => participantUrl(base, p.token)),
      ...extra,
    };
  };

  router.get('/workshops', allow('workshop.read'), async (req, res) => {
    res.render('workshops/index', { title: t('workshops.title'), workshops: await workshops.list(req.user!), error: null, errors: [], values: {} });
  });
  router.post('/workshops', allow('workshop.run'), async (req, res) => {
    const values = formFields(req.body, ['minParticipants']);
    await withFormErrors(res, 'workshops/index', { title: t('workshops.title'), workshops: await workshops.list(req.user!), values }, async () => {
      const workshop = await workshops.create(req.user!, parseBody(newWorkshopSchema, values));
      res.redirect(303, `/workshops/${workshop.id}`);
    });
  });
  router.get('/workshops/:id', allow('workshop.read'), async (req, res) => {
    res.render('workshops/show', await showLocals(req));
  });
  /**
   * A form that posts to the service and goes back to the workshop. A change that would drop
   * scores or screening reasons first shows what goes, with a button that posts it again
   * with confirm=true.
   */
  const form = (path: string, run: (req: Request, values: Record<string, unknown>, confirmed: boolean) => Promise<unknown>, numbers: string[] = []) => {
    router.post(`/workshops/:id/${path}`, allow('workshop.run'), async (req, res) => {
      const { confirm, ...values } = formFields(req.body, numbers);
      await withFormErrors(res, 'workshops/show', await showLocals(req, { values }), async () => {
        try {
          await run(req, values, confirm === 'true');
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== CONFIRMATION_REQUIRED) throw err;
          const workshop = await workshops.get(req.user!, idOf(req));
          return res.status(409).render('workshops/confirm', {
            title: t('workshops.confirm.title'), workshop, message: err.message, action: req.originalUrl,
            fields: Object.entries(values).map(([name, value]) => ({ name, value: String(value) })),
          });
        }
        back(res, idOf(req));
      });
    });
  };
  // Editing, removing and moving one option or criterion (the edit forms on the workshop page).
  // A field left empty is sent as empty: a name is required, a description cleared.
  form('options/:item', (req, v) => workshops.updateOption(req.user!, idOf(req), itemOf(req), parseBody(optionPatchSchema, { name: '', description: null, ...v })));
  form('options/:item/remove', (req, _v, confirmed) => workshops.removeOption(req.user!, idOf(req), itemOf(req), confirmed));
  form('criteria/:item', (req, v, confirmed) => workshops.updateCriterion(req.user!, idOf(req), itemOf(req), parseBody(criterionPatchSchema, { name: '', description: null, ...v }), confirmed));
  form('criteria/:item/remove', (req, _v, confirmed) => workshops.removeCriterion(req.user!, idOf(req), itemOf(req), confirmed));
  const move = (what: 'option' | 'criterion') => async (req: Request, v: Record<string, unknown>) => {
    const workshop = await workshops.get(req.user!, idOf(req));
    const ids = (what === 'option' ? workshop.options : workshop.criteria).map((x) => x.id);
    const from = ids.indexOf(itemOf(req));
    const to = from + (v.direction === 'up' ? -1 : 1);
    if (from < 0 || to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to], ids[from]];
    await workshops.reorder(req.user!, idOf(req), what, { ids });
  };
  form('options/:item/move', move('option'));
  form('criteria/:item/move', move('criterion'));
  form('options', (req, v) => workshops.addOption(req.user!, idOf(req), parseBody(optionSchema, v)));
  form('criteria', (req, v) => workshops.addCriterion(req.user!, idOf(req), parseBody(criterionSchema, v)));
  form('invitations', (req, v) => workshops.invite(req.user!, idOf(req), parseBody(invitationsSchema, v).count), ['count']);
  form('status', (req, v, confirmed) => workshops.update(req.user!, idOf(req), parseBody(workshopPatchSchema, v), confirmed));
  // Screening: a reason field per option and knock-out criterion; a filled reason means "fails".
  form('screening', async (req, v) => {
    const workshop = await workshops.get(req.user!, idOf(req));
    const fields = new Map(Object.entries(v));
    const failures = workshop.options.flatMap((o) => workshop.criteria.filter((c) => c.kind === 'knock-out').flatMap((c) => {
      const reason = fields.get(`fail.${o.id}.${c.id}`);
      return typeof reason === 'string' && reason.trim() ? [{ optionId: o.id, criterionId: c.id, reason }] : [];
    }));
    return workshops.screen(req.user!, idOf(req), parseBody(screeningSchema, { failures }));
  });

  const plenaryLocals = async (req: Request, extra: object = {}) => {
    const workshop = await workshops.get(req.user!, idOf(req));
    const plenary = await workshops.plenary(req.user!, idOf(req));
    return { title: workshop.title, workshop, plenary, fractionText, maxWeight: MAX_WEIGHT, error: null, errors: [], values: {}, ...extra };
  };
  // On the projector: before scoring closes, or once it was reopened, the page says so (409).
  router.get('/workshops/:id/plenary', allow('workshop.read'), async (req, res) => {
    const { plenary, why } = await workshops.plenaryOrWhy(req.user!, idOf(req));
    if (plenary === null) {
      const workshop = await workshops.get(req.user!, idOf(req));
      return res.status(409).render('workshops/waiting', { title: workshop.title, workshop, why });
    }
    res.render('workshops/plenary', await plenaryLocals(req));
  });
  router.post('/workshops/:id/weights', allow('workshop.run'), async (req, res) => {
    const fields = new Map(Object.entries(formFields(req.body)));
    await withFormErrors(res, 'workshops/plenary', await plenaryLocals(req), async () => {
      const workshop = await workshops.get(req.user!, idOf(req));
      const weights = workshop.criteria.filter((c) => c.kind === 'distinguishing').map((c) => ({ criterionId: c.id, weight: Number(fields.get(`w.${c.id}`)) }));
      await workshops.setWeights(req.user!, idOf(req), parseBody(weightsSchema, { weights }));
      res.redirect(303, `/workshops/${idOf(req)}/plenary`);
    });
  });
  router.post('/workshops/:id/preferred', allow('workshop.run'), async (req, res) => {
    const values = formFields(req.body);
    await withFormErrors(res, 'workshops/plenary', await plenaryLocals(req, { values }), async () => {
      await workshops.setPreferred(req.user!, idOf(req), parseBody(preferredSchema, values));
      res.redirect(303, `/workshops/${idOf(req)}/report`);
    });
  });
  router.get('/workshops/:id/report', allow('workshop.read'), async (req, res) => {
    res.render('workshops/report', await plenaryLocals(req, { today: new Date().toISOString().slice(0, 10) }));
  });
  return router;
}
