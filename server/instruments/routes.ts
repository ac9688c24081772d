import { Router } from 'express';
import { z } from 'zod';
import type { InstrumentCatalogue } from './catalogue';
import type { InstrumentService } from './service';
import { summaryOf } from './service';
import { allow } from '../auth/middleware';
import { scopeOf } from '../auth/scope';
import { notFound } from '../http/errors';
import { parseBody } from '../http/validate';

const publishQuerySchema = z.object({
  organisationId: z.string().max(36).optional(),
  key: z.string().max(100).optional(),
}).strict();

export function instrumentApiRoutes(instruments: InstrumentCatalogue, service?: InstrumentService): Router {
  const router = Router();
  router.get('/instruments', allow('instrument.read'), async (req, res) => {
    res.json((await instruments.list(scopeOf(req.user!).organisationId)).map(summaryOf));
  });
  router.get('/instruments/:key', allow('instrument.read'), async (req, res) => {
    const instrument = await instruments.latest(String(req.params.key), scopeOf(req.user!).organisationId);
    if (!instrument) throw notFound();
    const { key, version, title, hash, meta, definition } = instrument;
    res.json({ key, version, title, hash, meta, definition });
  });
  if (service) {
    router.post('/instruments', allow('instrument.publish'), async (req, res) => {
      const query = parseBody(publishQuerySchema, req.query);
      const version = await service.publish(req.user!, req.body, query);
      res.status(201).json(summaryOf(version));
    });
  }
  return router;
}
