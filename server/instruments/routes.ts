import { Router } from 'express';
import type { InstrumentCatalogue } from './catalogue';
import { allow } from '../auth/middleware';
import { notFound } from '../http/errors';

export function instrumentApiRoutes(instruments: InstrumentCatalogue): Router {
  const router = Router();
  router.get('/instruments', allow('instrument.read'), (_req, res) => {
    res.json(instruments.list().map(({ key, version, title, hash }) => ({ key, version, title, hash })));
  });
  router.get('/instruments/:key', allow('instrument.read'), (req, res) => {
    const instrument = instruments.latest(String(req.params.key));
    if (!instrument) throw notFound();
    const { key, version, title, hash, meta, definition } = instrument;
    res.json({ key, version, title, hash, meta, definition });
  });
  return router;
}
