// The respondent's side: the survey page and the submission endpoint. Nothing here reads
// or sets a cookie, and nothing about the respondent's request is stored or logged.
import { Router } from 'express';
import type { WaveService } from '../waves/service';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import type { ResponseService } from './service';
import { submissionSchema } from './service';
import { parseBody } from '../http/validate';
import { anyone } from '../auth/middleware';
import { unsupportedMediaType } from '../http/errors';
import { t, messages, LANGUAGE_NAMES, respondentTexts } from '../i18n/messages';
import { languagesOf } from '../survey/model';
import { dutchOverrides } from '../survey/survey-core';
import { createPublicLinkLimiter, publicLinkLimit } from './public-link-limit';

export interface RespondentSettings {
  quickExitUrl: string;
  /** Submissions per client and link per minute (config.ts). */
  publicLinkSubmissionsPerMinute: number;
}

export function respondentRoutes(
  waves: WaveService, responses: ResponseService, instruments: InstrumentCatalogue, settings: RespondentSettings,
): Router {
  const router = Router();
  // In memory, per process, under a daily-salted hash: never stored (public-link-limit.ts).
  const limit = publicLinkLimit(createPublicLinkLimiter({ limit: settings.publicLinkSubmissionsPerMinute }));

  // Every page under /s/ can be reached by a respondent, error pages included: they all get
  // the way out (the error handler renders them with the respondent's layout).
  router.use('/s', (_req, res, next) => {
    res.locals.quickExitUrl = settings.quickExitUrl;
    next();
  });

  router.get('/s/:token', anyone('respondents hold the link, not an account'), async (req, res, next) => {
    const { wave } = await waves.openWaveForToken(String(req.params.token));
    // A team wave's member link opens the shared record instead (server/team-records/routes.ts).
    if (wave.mode === 'team') return next();
    const instrument = await instruments.byVersionId(wave.instrumentVersionId);
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    res.render('respond', {
      title: t('app.neutralTitle'),
      survey: {
        definition: instrument!.definition,
        submitUrl: `/s/${String(req.params.token)}/responses`,
        quickExitUrl: settings.quickExitUrl,
        localeStrings: dutchOverrides,
        ...pageLanguage(instrument!.definition, req.query.lang),
        support: wave.supportText,
        mode: wave.mode,
      },
    });
  });

  router.post('/s/:token/responses', anyone('respondents hold the link, not an account'), limit, async (req, res) => {
    if (!req.is('application/json')) throw unsupportedMediaType();
    const submission = parseBody(submissionSchema, req.body, { allInvalidAreBad: true });
    const outcome = await responses.submit(String(req.params.token), submission);
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    res.status(outcome === 'stored' ? 201 : 200).json({ status: outcome });
  });

  return router;
}

/**
 * The language of a respondent page: the one she chose (`?lang=en`) when the instrument has
 * it, else Dutch when the instrument has Dutch, else its own; with the texts of Spiegel in that
 * language and the choice of the others. The choice is a link, so nothing is kept about it.
 */
export function pageLanguage(definition: Record<string, unknown>, requested: unknown) {
  const languages = languagesOf(definition);
  const chosen = typeof requested === 'string' && languages.includes(requested) ? requested
    : languages.includes('nl') || languages.length === 0 ? 'nl' : languages[0];
  return {
    locale: chosen,
    text: respondentTexts.get(chosen) ?? messages.respond,
    languages: languages.length > 1 ? languages.map((code) => ({ code, name: LANGUAGE_NAMES.get(code) ?? code })) : [],
  };
}
