// The import's mapping step as an API (docs/export.md, "Import of earlier rounds"): upload a
// file with the headers of another tool, read the suggested mapping with its preview,
// problems and routing warnings, send a mapping (kept with the upload), and confirm. The
// upload is only ever found by the user who made it; its wave decides the permissions.
import express, { Request, Router } from 'express';
import { allow } from '../auth/middleware';
import { unsupportedMediaType } from '../http/errors';
import type { MappingStep } from './mapping-step';
import type { CsvService } from './service';
import { sendOutcome } from './routes';

const CSV_TYPES = ['text/csv', 'application/csv'];

export function importApiRoutes(csv: CsvService, mapping: MappingStep, limitBytes: number): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);

  router.post('/api/v1/waves/:id/imports', allow('csv.import'), express.raw({ type: CSV_TYPES, limit: limitBytes }), async (req, res) => {
    await csv.load(req.user!, id(req)); // 404 for another organisation's wave, before the file is read
    if (!req.is(CSV_TYPES)) throw unsupportedMediaType();
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const fileName = typeof req.query.fileName === 'string' ? req.query.fileName.slice(0, 200) : null;
    const uploadId = await mapping.saveUpload(req.user!, id(req), { fileName, bytes });
    res.status(201).location(`/api/v1/imports/${uploadId}/mapping`).json(await mapping.apiView(req.user!, uploadId));
  });
  router.get('/api/v1/imports/:id/mapping', allow('csv.import'), async (req, res) => {
    res.json(await mapping.apiView(req.user!, id(req)));
  });
  router.put('/api/v1/imports/:id/mapping', allow('csv.import'), async (req, res) => {
    res.json(await mapping.apiSave(req.user!, id(req), req.body));
  });
  router.post('/api/v1/imports/:id/confirm', allow('csv.import'), async (req, res) => {
    sendOutcome(res, await mapping.apiConfirm(req.user!, id(req)));
  });
  return router;
}
