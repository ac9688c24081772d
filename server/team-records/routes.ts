// The routes of a team wave's shared record: the API (GET/PUT the record, its revisions, the
// Valente plan), the staff pages (the record to edit, the plan as a dashboard), and the
// member links (/s/:token of a team wave: the same record, edited through the link).
import { Router, Request, Response } from 'express';
import type { TeamRecordService } from './service';
import { RecordConflict, recordJson, recordSaveSchema, revisionJson, titlesOf } from './service';
import { allow, anyone } from '../auth/middleware';
import { can } from '../auth/policy';
import { parseBody } from '../http/validate';
import { badRequest, notFound, unsupportedMediaType } from '../http/errors';
import { messages, t } from '../i18n/messages';
import { dutchOverrides } from '../survey/survey-core';
import { dayInNetherlands, isValidDay } from '../util/dates';
import { instrumentModel } from '../results/instrument-model';
import type { ValenteView } from '../results/valente';
import type { InstrumentVersion } from '../instruments/repository';
import type { RecordRevision } from './repository';
import type { WaveRecord } from '../waves/repository';
import { valentePlan } from './valente-plan';
import { recordQuestions } from './questions';

/** 409: the message and the record as it now is, so that the client can show it. */
async function saving(res: Response, wave: () => Promise<WaveRecord>, work: () => Promise<RecordRevision>) {
  try {
    const revision = await work();
    res.json(recordJson(await wave(), revision));
  } catch (err) {
    if (!(err instanceof RecordConflict)) throw err;
    res.status(409).json({ error: { code: err.code, message: err.message }, record: recordJson(await wave(), err.latest) });
  }
}

function sinceOf(req: Request): string | null {
  const since = req.query.since;
  if (since === undefined || since === '') return null;
  if (typeof since !== 'string' || !isValidDay(since)) throw badRequest(t('errors.badRequest'));
  return since;
}

const valenteViewOf = (instrument: InstrumentVersion): ValenteView | null =>
  ((instrument.meta.views as { valente?: ValenteView } | undefined)?.valente) ?? null;

async function planOf(records: TeamRecordService, wave: WaveRecord, instrument: InstrumentVersion, revisions: RecordRevision[], since: string | null) {
  const view = valenteViewOf(instrument);
  if (!view) return null;
  const plan = valentePlan(view, instrumentModel(instrument), revisions, {
    today: dayInNetherlands(), since, titles: titlesOf(instrument), earlierRounds: await records.earlierRounds(wave),
  });
  return {
    ...plan,
    changedSince: plan.changedSince && plan.changedSince.map((r) => ({
      ...r, changes: r.changes.map((c) => ({ ...c, beforeText: answerText(instrument, c.question, c.before), afterText: answerText(instrument, c.question, c.after) })),
    })),
  };
}

/** An answer as people read it: choice texts for choices, "row: choice" for a matrix, the text itself otherwise. */
function answerText(instrument: InstrumentVersion, name: string, value: unknown): string | null {
  const question = instrumentModel(instrument).byName.get(name);
  const labelOf = (v: unknown) => question?.choices.find((c) => c.key === String(v))?.label ?? String(v);
  if (value === undefined || value === null || value === '') return null;
  if (Array.isArray(value)) return value.map(labelOf).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([row, v]) =>
      `${question?.rows.find((r) => r.key === row)?.label ?? row}: ${labelOf(v)}`).join('; ');
  }
  return question && question.choices.length ? labelOf(value) : String(value);
}

/** The record's answers as text, per question, for the generic record dashboard and the print. */
function answersOf(instrument: InstrumentVersion, data: Record<string, unknown>) {
  return recordQuestions(instrument.definition).map((q) => ({
    name: q.name, title: q.title,
    text: answerText(instrument, q.name, Object.prototype.hasOwnProperty.call(data, q.name) ? data[q.name] : undefined),
  }));
}

/** A revision as the API and the pages show it: each change with its item's title and its answers as text. */
function revisionOut(instrument: InstrumentVersion, titles: ReadonlyMap<string, string>) {
  return (r: RecordRevision) => {
    const json = revisionJson(r, titles);
    return { ...json, changes: json.changes.map((c) => ({ ...c, beforeText: answerText(instrument, c.question, c.before), afterText: answerText(instrument, c.question, c.after) })) };
  };
}

function recordPageConfig(instrument: InstrumentVersion, record: ReturnType<typeof recordJson>, saveUrl: string, readOnly: boolean, csrfToken: string | null) {
  return {
    definition: instrument.definition, record, saveUrl, readOnly, csrfToken,
    localeStrings: dutchOverrides,
    text: { saving: t('team.saving'), saved: messages.team.saved, failed: t('team.failed'), conflict: t('team.conflict'), invalid: messages.team.invalid, revisionNow: messages.team.revisionNow },
  };
}

const when = (iso: string) => new Intl.DateTimeFormat('nl-NL', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(new Date(iso));

export function teamRecordApiRoutes(records: TeamRecordService): Router {
  const router = Router();
  router.get('/waves/:id/record', allow('record.read'), async (req, res) => {
    const { wave, record } = await records.read(req.user!, String(req.params.id));
    res.json(recordJson(wave, record));
  });
  router.put('/waves/:id/record', allow('record.write'), async (req, res) => {
    const input = parseBody(recordSaveSchema, req.body);
    await saving(res, async () => (await records.read(req.user!, String(req.params.id))).wave,
      () => records.saveAsAccount(req.user!, String(req.params.id), input));
  });
  router.get('/waves/:id/record/revisions', allow('record.read'), async (req, res) => {
    const { instrument, revisions } = await records.revisions(req.user!, String(req.params.id));
    const titles = titlesOf(instrument);
    res.json(revisions.map(revisionOut(instrument, titles)));
  });
  router.get('/waves/:id/plan', allow('record.read'), async (req, res) => {
    const since = sinceOf(req);
    const { wave, instrument, revisions } = await records.revisions(req.user!, String(req.params.id));
    const plan = await planOf(records, wave, instrument, revisions, since);
    if (!plan) throw notFound();
    res.json(plan);
  });
  return router;
}

export function teamRecordPages(records: TeamRecordService): Router {
  const router = Router();
  router.get('/waves/:id/record', allow('record.read'), async (req, res) => {
    const { wave, instrument, revisions } = await records.revisions(req.user!, String(req.params.id));
    const latest = revisions.at(-1) ?? null;
    const readOnly = !can(req.user, 'record.write', wave) || wave.status !== 'open';
    const titles = titlesOf(instrument);
    res.render('team/record', {
      title: `${t('team.recordTitle')}: ${wave.label}`, wave, instrumentTitle: instrument.title, readOnly, member: false,
      latest, when, carriedFrom: revisions[0]?.authorKind === 'carried' ? revisions[0].authorLabel : null,
      revisions: [...revisions].reverse().map(revisionOut(instrument, titles)),
      config: recordPageConfig(instrument, recordJson(wave, latest), `/api/v1/waves/${wave.id}/record`, readOnly, String(res.locals.csrfToken ?? '')),
    });
  });

  router.get('/waves/:id/plan', allow('record.read'), async (req, res) => {
    const since = sinceOf(req);
    const { wave, instrument, revisions } = await records.revisions(req.user!, String(req.params.id));
    const latest = revisions.at(-1) ?? null;
    const plan = await planOf(records, wave, instrument, revisions, since);
    res.render(plan ? 'results/valente-plan' : 'results/team-record', {
      title: `${plan ? t('plan.title') : t('team.recordTitle')}: ${wave.label}`, wave, plan, since, when,
      instrumentTitle: instrument.title, attribution: typeof instrument.meta.attribution === 'string' ? instrument.meta.attribution : null,
      latest, answers: answersOf(instrument, latest?.data ?? {}), today: dayInNetherlands(),
    });
  });
  return router;
}

/** /s/:token of a team wave: a member link, reusable for as long as the wave is open. */
export function teamMemberRoutes(records: TeamRecordService): Router {
  const router = Router();
  router.get('/s/:token', anyone('a team member holds a reusable member link'), async (req, res) => {
    const { wave, instrument, record } = await records.forMemberLink(String(req.params.token));
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    res.render('team/member', {
      title: wave.label, wave, instrumentTitle: instrument.title, latest: record, when,
      config: recordPageConfig(instrument, recordJson(wave, record), `/s/${String(req.params.token)}/record`, false, null),
    });
  });
  router.get('/s/:token/record', anyone('a team member holds a reusable member link'), async (req, res) => {
    const { wave, record } = await records.forMemberLink(String(req.params.token));
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    res.json(recordJson(wave, record));
  });
  router.put('/s/:token/record', anyone('a team member holds a reusable member link'), async (req, res) => {
    if (!req.is('application/json')) throw unsupportedMediaType();
    const input = parseBody(recordSaveSchema, req.body);
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    await saving(res, async () => (await records.forMemberLink(String(req.params.token))).wave,
      () => records.saveAsMember(String(req.params.token), input));
  });
  return router;
}
