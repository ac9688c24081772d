// The instruments page: upload a SurveyJS definition (a JSON file, or pasted), see every
// problem at once, preview it as a respondent would (nothing is stored), and publish it as a
// new version. Admins also see the files in surveys/ that were skipped at the start.
import { Router } from 'express';
import { z } from 'zod';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import type { InstrumentService } from '../instruments/service';
import type { DraftStore } from '../instruments/drafts';
import type { UploadedFile } from '../csv/form-upload';
import type { AuthService } from '../auth/service';
import { allow, anyone } from '../auth/middleware';
import { CurrentUser, scopeOf } from '../auth/scope';
import { AppError, notFound, unsupportedMediaType } from '../http/errors';
import { parseBody } from '../http/validate';
import { t } from '../i18n/messages';
import { pageLanguage } from '../responses/routes';
import { dutchOverrides } from '../survey/survey-core';
import { validateResponse } from '../responses/validate-response';
import { submissionSchema } from '../responses/service';
import { questionsOf, surveyModel } from '../survey/model';

/** Largest definition, as a file or pasted: Spiegel's largest instrument is about 60 KB. */
export const INSTRUMENT_TEXT_LIMIT_BYTES = 512 * 1024;

const checkFormSchema = z.object({
  _csrf: z.string().optional(),
  definition: z.string().max(INSTRUMENT_TEXT_LIMIT_BYTES).optional(),
  key: z.string().max(100).optional(),
  organisationId: z.string().max(36).optional(),
}).strict();

interface Deps { instruments: InstrumentCatalogue; service: InstrumentService; drafts: DraftStore; auth: AuthService }

export function instrumentPages({ instruments, service, drafts, auth }: Deps): Router {
  const router = Router();

  const render = async (res: import('express').Response, actor: CurrentUser, extra: Record<string, unknown> = {}) => {
    const organisations = actor.role === 'admin' ? await auth.listOrganisations(actor) : [];
    res.status(extra.problems ? 422 : 200).render('instruments/index', {
      title: t('instruments.title'),
      list: await instruments.list(scopeOf(actor).organisationId),
      skipped: actor.role === 'admin' ? instruments.skippedFiles() : [],
      organisations, values: {}, problems: null, draft: null, published: null, ...extra,
    });
  };

  router.get('/instruments', allow('instrument.publish'), async (req, res) => {
    await render(res, req.user!);
  });

  // A chosen file (multipart, parsed by server/csv/form-upload.ts) or the pasted text. A file
  // that cannot be read is a problem in the same list as the definition's own.
  router.post('/instruments/check', allow('instrument.publish'), async (req, res) => {
    const form = parseBody(checkFormSchema, req.body);
    const values = { key: form.key ?? '', organisationId: form.organisationId ?? '', definition: form.definition ?? '' };
    const given = textOf(req.uploadedFile, form.definition);
    if ('problem' in given) return render(res, req.user!, { values, problems: [given.problem] });
    const { name, text } = given;
    // The file's text goes into the text box, so that it can be fixed in place.
    values.definition = text;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return render(res, req.user!, { values, problems: [{ path: name, rule: 'json', message: `${t('instruments.notJson')} (${(err as Error).message})` }] });
    }
    try {
      const file = service.check(body, name, form.key || undefined);
      const draft = await drafts.add({ userId: req.user!.id, body, key: form.key || undefined, organisationId: form.organisationId || undefined, file });
      const questions = questionsOf(surveyModel(file.definition)).length;
      return render(res, req.user!, { values, draft: { id: draft.id, title: file.title, key: file.key, questions } });
    } catch (err) {
      if (err instanceof AppError && err.status === 422 && err.errors) return render(res, req.user!, { values, problems: err.errors });
      throw err;
    }
  });

  router.get('/instruments/drafts/:id/preview', allow('instrument.publish'), async (req, res) => {
    const draft = await drafts.getFor(req.user!.id, String(req.params.id));
    if (!draft) throw notFound();
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    res.render('respond', {
      title: draft.file.title,
      survey: {
        definition: draft.file.definition,
        submitUrl: `/instruments/drafts/${draft.id}/responses`,
        quickExitUrl: '/instruments',
        localeStrings: dutchOverrides,
        ...pageLanguage(draft.file.definition, req.query.lang),
        support: t('instruments.previewNotice'),
        mode: 'anonymous',
        // Said to be a preview (banner, and "not stored" once sent) like a wave's preview. The
        // draft's send needs no session; the token is sent along and ignored.
        preview: { csrfToken: res.locals.csrfToken as string, waveUrl: '/instruments', backLabel: t('instruments.previewBack') },
      },
    });
  });

  router.post('/instruments/drafts/:id/publish', allow('instrument.publish'), async (req, res) => {
    const draft = await drafts.getFor(req.user!.id, String(req.params.id));
    if (!draft) throw notFound();
    try {
      const version = await service.publish(req.user!, draft.body, { key: draft.key, organisationId: draft.organisationId });
      await drafts.remove(draft.id);
      return render(res, req.user!, { published: t('instruments.published', { title: version.title, version: version.version }) });
    } catch (err) {
      if (err instanceof AppError && err.status === 422 && err.errors) return render(res, req.user!, { problems: err.errors });
      throw err;
    }
  });

  return router;
}

type Problem = { path: string; rule: string; message: string };

/** The definition's text and the name its problems are listed under, or why there is none. */
function textOf(upload: UploadedFile | undefined, pasted: string | undefined): { name: string; text: string } | { problem: Problem } {
  if (upload?.fileName) {
    const name = upload.fileName;
    if (upload.tooLarge) return { problem: { path: name, rule: 'size', message: t('instruments.tooLarge', { kb: INSTRUMENT_TEXT_LIMIT_BYTES / 1024 }) } };
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(upload.bytes);
    } catch {
      return { problem: { path: name, rule: 'encoding', message: t('instruments.notUtf8') } };
    }
    // SurveyJS Creator and Windows editors may start the file with a byte order mark.
    text = text.replace(/^\uFEFF/, '');
    if (!text.trim()) return { problem: { path: name, rule: 'empty', message: t('instruments.emptyFile') } };
    return { name, text };
  }
  if (pasted?.trim()) return { name: 'upload.json', text: pasted };
  return { problem: { path: 'upload.json', rule: 'empty', message: t('instruments.nothingGiven') } };
}

/**
 * What the preview page sends: validated as a submission would be, answered as one (200 with
 * status "checked", or 422 with the errors), and never stored. Mounted beside the respondent
 * routes: the preview is the respondent page, which sends no cookie.
 */
export function instrumentPreviewResponses(drafts: DraftStore): Router {
  const router = Router();
  router.post('/instruments/drafts/:id/responses', anyone('a preview validates what is sent and stores nothing; the draft id is the key'), async (req, res) => {
    if (!req.is('application/json')) throw unsupportedMediaType();
    const draft = await drafts.get(String(req.params.id));
    if (!draft) throw notFound();
    const submission = parseBody(submissionSchema, req.body, { allInvalidAreBad: true });
    const outcome = validateResponse(draft.file.definition, submission.data);
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    if (!outcome.ok) throw new AppError(422, 'invalid', t('errors.invalid'), outcome.errors);
    res.status(200).json({ status: 'checked' });
  });
  return router;
}
