// The preview of a wave: the respondent's page exactly as she sees it (the same view, script,
// routing and way out), for staff of the wave's organisation, with a banner that says it is a
// preview. What is sent there goes through the same schema and the same survey-core validator
// as a real submission (422 with the same error list), and is then dropped: no response, no
// pending row, no tally, no contact request, and no count against the public link's limit.
// It works whatever the wave's state (closed, not open yet), so a manager can try it first,
// in each language the instrument has (the same ?lang= choice as the respondent page).
import { RequestHandler, Router } from 'express';
import type { WaveService } from '../waves/service';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import { submissionSchema, prepareResponse } from '../responses/service';
import { parseBody } from '../http/validate';
import { allow } from '../auth/middleware';
import { invalid, unsupportedMediaType } from '../http/errors';
import { t } from '../i18n/messages';
import { pageLanguage } from '../responses/routes';
import { dutchOverrides } from '../survey/survey-core';

/** `sendChecks`: the JSON parser and the CSRF check, for the preview's send only. */
export function previewRoutes(waves: WaveService, instruments: InstrumentCatalogue, quickExitUrl: string, sendChecks: RequestHandler[]): Router {
  const router = Router();

  router.get('/waves/:id/preview', allow('wave.preview'), async (req, res) => {
    const wave = await waves.get(req.user!, String(req.params.id));
    const instrument = await instruments.byVersionId(wave.instrumentVersionId);
    if (!instrument) throw new Error(`Instrument version ${wave.instrumentVersionId} of wave ${wave.id} is missing`);
    res.set({ 'Referrer-Policy': 'no-referrer' });
    res.render('respond', {
      title: t('app.neutralTitle'),
      survey: {
        definition: instrument.definition,
        submitUrl: `/waves/${wave.id}/preview/responses`,
        quickExitUrl,
        localeStrings: dutchOverrides,
        // The respondent page's choice of language (?lang=), so staff can try each one.
        ...pageLanguage(instrument.definition, req.query.lang),
        support: wave.supportText,
        mode: wave.mode,
        // The staff session's cookie and CSRF token go with the preview's send; a real one sends neither.
        preview: { csrfToken: res.locals.csrfToken as string, waveUrl: `/waves/${wave.id}` },
      },
    });
  });

  router.post('/waves/:id/preview/responses', allow('wave.preview'), ...sendChecks, async (req, res) => {
    const wave = await waves.get(req.user!, String(req.params.id));
    if (!req.is('application/json')) throw unsupportedMediaType();
    const submission = parseBody(submissionSchema, req.body, { allInvalidAreBad: true });
    const instrument = await instruments.byVersionId(wave.instrumentVersionId);
    if (!instrument) throw new Error(`Instrument version ${wave.instrumentVersionId} of wave ${wave.id} is missing`);
    const prepared = prepareResponse(instrument, submission.data);
    if (!prepared.ok) throw invalid(prepared.errors);
    res.json({ status: 'preview' });
  });

  return router;
}
