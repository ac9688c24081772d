// The results API (api.md, Results; docs/api-results.md). Thin: parse the query, ask the
// service, send JSON. Viewers may read everything here; nothing here changes anything.
import { Router } from 'express';
import { z } from 'zod';
import { allow } from '../auth/middleware';
import { parseBody } from '../http/validate';
import {
  ResultsService, compareQuerySchema, pairedQuerySchema, resultsQuerySchema, seriesQuerySchema, textsQuerySchema, waveCompareQuerySchema,
} from './service';

const sessionQuerySchema = z.object({}).strict();

export function resultsApiRoutes(results: ResultsService): Router {
  const router = Router();
  router.get('/waves/:id/results', allow('results.read'), async (req, res) => {
    const query = parseBody(resultsQuerySchema, req.query);
    res.json(await results.results(req.user!, String(req.params.id), query.filter));
  });
  router.get('/waves/:id/texts', allow('results.read'), async (req, res) => {
    const query = parseBody(textsQuerySchema, req.query);
    res.set('Cache-Control', 'no-store');
    res.json(await results.texts(req.user!, String(req.params.id), query.question, query.filter));
  });
  router.get('/waves/:id/compare', allow('results.read'), async (req, res) => {
    const query = parseBody(compareQuerySchema, req.query);
    res.json(await results.compare(req.user!, String(req.params.id), query.by, query.filter, [], { adjust: query.adjust, intervals: query.intervals }));
  });
  router.get('/waves/:id/summary', allow('results.read'), async (req, res) => {
    const query = parseBody(resultsQuerySchema, req.query);
    res.json(await results.summary(req.user!, String(req.params.id), query.filter));
  });
  router.get('/compare/paired', allow('results.read'), async (req, res) => {
    const query = parseBody(pairedQuerySchema, req.query);
    res.json(await results.comparePaired(req.user!, query.waves, query.adjust));
  });
  // The Weerman scan in a session (docs/weerman-session.md): what the session page shows.
  router.get('/waves/:id/session', allow('results.read'), async (req, res) => {
    parseBody(sessionQuerySchema, req.query);
    res.set('Cache-Control', 'no-store');
    res.json(await results.session(req.user!, String(req.params.id)));
  });
  router.get('/compare', allow('results.read'), async (req, res) => {
    const query = parseBody(waveCompareQuerySchema, req.query);
    res.json(await results.compareWaves(req.user!, query.waves, query.filter, { adjust: query.adjust, intervals: query.intervals }));
  });
  router.get('/series/:series', allow('results.read'), async (req, res) => {
    const query = parseBody(seriesQuerySchema, req.query);
    res.json(await results.series(req.user!, String(req.params.series), query.organisationId));
  });
  return router;
}
