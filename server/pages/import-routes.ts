// The import pages: upload a CSV, map its columns and answer texts, preview, confirm.
// The bodies are multipart forms, parsed ahead of the CSRF check by server/csv/form-upload.ts.
import { Request, Response, Router } from 'express';
import { allow } from '../auth/middleware';
import { badRequest } from '../http/errors';
import { t } from '../i18n/messages';
import type { MappingStep } from '../csv/mapping-step';
import { rejectedCsv } from '../csv/service';
import { sendCsvHeaders } from '../csv/routes';

export function importPages(mapping: MappingStep): Router {
  const router = Router();
  const params = (req: Request) => ({ id: String(req.params.id), upload: String(req.params.upload) });
  const form = (req: Request) => (req.body ?? {}) as Record<string, string>;
  const render = (res: Response, view: object, status = 200) =>
    res.status(status).render('csv/import', { title: t('csv.ui.mappingTitle'), done: null, ...view });

  router.post('/waves/:id/import', allow('csv.import'), async (req, res) => {
    if (!req.uploadedFile) throw badRequest(t('csv.file.noFile'));
    const uploadId = await mapping.saveUpload(req.user!, String(req.params.id), req.uploadedFile);
    res.redirect(303, `/waves/${String(req.params.id)}/import/${uploadId}`);
  });

  router.get('/waves/:id/import/:upload', allow('csv.import'), async (req, res) => {
    const { id, upload } = params(req);
    render(res, { uploadId: upload, ...(await mapping.view(req.user!, id, upload, null)) });
  });

  router.post('/waves/:id/import/:upload', allow('csv.import'), async (req, res) => {
    const { id, upload } = params(req);
    if (form(req).action === 'confirm') {
      const outcome = await mapping.confirm(req.user!, id, upload, form(req));
      if (outcome.status === 'imported') {
        return render(res, { title: t('csv.ui.importTitle'), waveId: id, done: outcome.imported });
      }
    }
    render(res, { uploadId: upload, ...(await mapping.view(req.user!, id, upload, form(req))) });
  });

  router.post('/waves/:id/import/:upload/rejected.csv', allow('csv.import'), async (req, res) => {
    const { id, upload } = params(req);
    const outcome = await mapping.rejected(req.user!, id, upload, form(req));
    sendCsvHeaders(res, 'afgekeurde-regels.csv');
    res.send(rejectedCsv(outcome.status === 'refused' && outcome.rejected ? outcome.rejected : { headers: [], rows: [] }));
  });

  return router;
}
