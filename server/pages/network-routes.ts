// The network benchmark's pages (docs/api-benchmarks.md): a network account's network and its
// aggregates per instrument, an admin's forms that define networks, and a manager's opt-in of
// a wave. Every number comes from the benchmark service, which holds what is shown to
// server/benchmarks/disclosure.ts; the pages only lay it out.
import { Router, Request } from 'express';
import type { BenchmarkService } from '../benchmarks/service';
import { networkSchema, networkUserSchema, optInSchema } from '../benchmarks/service';
import { allow } from '../auth/middleware';
import { parseBody } from '../http/validate';
import { invalid } from '../http/errors';
import { t } from '../i18n/messages';
import { roundShare, roundedPercentsAddUp } from '../stats';
import { formFields, withFormErrors } from './forms';

/** A form's repeated field: absent, one value or several (urlencoded without `extended`). */
function listField(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String).filter((v) => v !== '').slice(0, 10000);
}

export function networkPages(benchmarks: BenchmarkService): Router {
  const router = Router();

  const listLocals = async (user: Parameters<BenchmarkService['list']>[0], values: object = {}) => ({
    title: t('benchmarks.title'), networks: await benchmarks.list(user), values, error: null, errors: [],
  });

  router.get('/networks', allow('network.list'), async (req, res) => {
    const networks = await benchmarks.list(req.user!);
    // A network account has one network: its page is the start.
    if (req.user!.role === 'network' && networks.length === 1) return res.redirect(`/networks/${networks[0].id}`);
    res.render('networks/index', await listLocals(req.user!));
  });

  router.post('/networks', allow('network.manage'), async (req, res) => {
    const values = formFields(req.body, ['minOrganisations']);
    await withFormErrors(res, 'networks/index', await listLocals(req.user!, values), async () => {
      const created = await benchmarks.createNetwork(req.user!, parseBody(networkSchema, values));
      res.redirect(303, `/networks/${created.id}`);
    });
  });

  const showLocals = async (req: Request, values: object = {}) => {
    const overview = await benchmarks.overview(req.user!, String(req.params.id));
    return { title: overview.network.name, ...overview, values, error: null, errors: [] };
  };

  router.get('/networks/:id', allow('network.benchmark'), async (req, res) => {
    res.render('networks/show', await showLocals(req));
  });

  router.post('/networks/:id/members', allow('network.manage'), async (req, res) => {
    const organisationIds = listField((req.body as Record<string, unknown> | undefined)?.organisationIds);
    await withFormErrors(res, 'networks/show', await showLocals(req), async () => {
      await benchmarks.setMembers(req.user!, String(req.params.id), { organisationIds });
      res.redirect(303, `/networks/${String(req.params.id)}`);
    });
  });

  router.post('/networks/:id/users', allow('network.manage'), async (req, res) => {
    const values = formFields(req.body);
    await withFormErrors(res, 'networks/show', await showLocals(req, { email: values.email }), async () => {
      await benchmarks.createNetworkUser(req.user!, String(req.params.id), parseBody(networkUserSchema, values));
      res.redirect(303, `/networks/${String(req.params.id)}`);
    });
  });

  router.get('/networks/:id/benchmark', allow('network.benchmark'), async (req, res) => {
    const instrument = typeof req.query.instrument === 'string' ? req.query.instrument : '';
    if (instrument === '') throw invalid([{ question: 'instrument', message: t('errors.unknownInstrument', { key: '' }) }]);
    const overview = await benchmarks.overview(req.user!, String(req.params.id));
    const data = await benchmarks.networkBenchmark(req.user!, String(req.params.id), instrument);
    const title = overview.instruments.find((i) => i.key === instrument)?.title ?? instrument;
    res.render('networks/benchmark', { title: `${t('benchmarks.benchmarkTitle')}: ${title}`, instrumentTitle: title, data, roundShare, roundedPercentsAddUp });
  });

  // A manager opts the wave in or out from the wave's page.
  router.post('/waves/:id/benchmark', allow('benchmark.join'), async (req, res) => {
    await benchmarks.optIn(req.user!, String(req.params.id), parseBody(optInSchema, formFields(req.body)));
    res.redirect(303, `/waves/${String(req.params.id)}#netwerk`);
  });

  router.post('/waves/:id/benchmark/remove', allow('benchmark.join'), async (req, res) => {
    await benchmarks.optOut(req.user!, String(req.params.id));
    res.redirect(303, `/waves/${String(req.params.id)}#netwerk`);
  });

  return router;
}
