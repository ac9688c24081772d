// The page that names the risk of a full export before an admin starts it. The export
// itself is the API's (GET /api/v1/waves/:id/export.csv?full=1), which records it.
import { Router } from 'express';
import { allow } from '../auth/middleware';
import { t } from '../i18n/messages';
import type { CsvService } from '../csv/service';

export function exportPages(csv: CsvService): Router {
  const router = Router();
  router.get('/waves/:id/export/full', allow('wave.export.full'), async (req, res) => {
    const { wave } = await csv.load(req.user!, String(req.params.id)); // 404 for another organisation's wave
    const exports = await csv.listFullExports(req.user!, wave.id);
    res.render('csv/full-export', { title: t('csv.ui.fullTitle'), wave, exports });
  });
  return router;
}
