// The wave pages: list, create, the wave itself (link, QR code, counts, settings),
// printable QR code and invitation slips, and the contact list; a new public link, removing
// contact requests and voiding an invitation's response (junk and misuse, docs/privacy.md).
import { Router } from 'express';
import type { WaveService } from '../waves/service';
import { acceptsResponses, invitationJson, invitationsSchema, newWaveSchema, voidSchema, wavePatchSchema, waveJson, DEFAULT_MIN_GROUP_SIZE, defaultMinGroupSize } from '../waves/service';
import type { WaveRecord } from '../waves/repository';
import { dayInNetherlands } from '../util/dates';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import { allow } from '../auth/middleware';
import { can } from '../auth/policy';
import type { CurrentUser } from '../auth/scope';
import { parseBody } from '../http/validate';
import { baseUrlOf } from '../http/base-url';
import { qrSvg } from '../http/qr';
import { t } from '../i18n/messages';
import { badRequest } from '../http/errors';
import { formFields, withFormErrors } from './forms';
import { allowedModes, modesReason } from '../instruments/definition-rules';

/**
 * What the wave page says of the responses the results do not count yet (server/sealing/):
 * before a close, whether closing counts them or keeps them out; after it, that they are out.
 */
function awaitingNote(wave: WaveRecord): { kind: 'close' | 'closeHolds' | 'held'; text: string } | null {
  if (wave.awaiting === 0 || wave.mode === 'team') return null;
  const values = { awaiting: wave.awaiting, min: wave.minGroupSize };
  // The sealer's rule at a close (sealing/repository.ts): all of them count if they are at
  // least the minimum, or if the results counted nobody before.
  const holds = wave.mode === 'anonymous' && wave.awaiting < wave.minGroupSize && wave.counted > 0;
  if (acceptsResponses(wave, dayInNetherlands())) {
    return holds ? { kind: 'closeHolds', text: t('waves.awaitingCloseHolds', values) } : { kind: 'close', text: t('waves.awaitingClose', values) };
  }
  return { kind: 'held', text: t('waves.awaitingHeld', values) };
}

/** The record of full exports, shown to admins on the wave page (server/csv). */
type FullExportLog = (actor: CurrentUser, waveId: string) => Promise<Array<{ exportedAt: string; userEmail: string }>>;
/** The networks a wave may join and the one it joined (server/benchmarks), or null when its organisation is in none. */
type BenchmarkState = (actor: CurrentUser, wave: { id: string; organisationId: string }) => Promise<{ networks: Array<{ id: string; name: string }>; joined: { id: string; name: string } | null } | null>;

export function wavePages(waves: WaveService, instruments: InstrumentCatalogue, publicUrl: string | null, fullExports?: FullExportLog, benchmarkState?: BenchmarkState): Router {
  const router = Router();
  // With the modes each instrument allows, and why, so the form says so before it is sent.
  // Only the instruments written for the kind of the organisation (an opvang, a gemeente).
  const instrumentOptions = async (actor: CurrentUser) => (await waves.offeredInstruments(actor)).map((i) => ({
    key: i.key, title: i.title, version: i.version, modes: allowedModes(i.meta), modesReason: modesReason(i.meta),
  }));
  const newWaveLocals = async (actor: CurrentUser, values: object) => ({ title: t('waves.new'), instruments: await instrumentOptions(actor), values });

  router.get('/waves', allow('wave.read'), async (req, res) => {
    const list = await waves.list(req.user!);
    res.render('waves/index', { title: t('waves.title'), waves: list.map((w) => waveJson(w, baseUrlOf(req, publicUrl))) });
  });

  // ?instrument=&mode=&label=&series= fill the form in (the Weerman session's "Afspraken
  // vastleggen" opens it for a team wave in the session's series); nothing is created until sent.
  router.get('/waves/new', allow('wave.create'), async (req, res) => {
    const asked = (name: string) => (typeof req.query[name] === 'string' ? String(req.query[name]).slice(0, 200) : undefined);
    const instrument = asked('instrument');
    const known = instrument ? await instruments.latest(instrument) : undefined;
    const values = {
      minGroupSize: known ? defaultMinGroupSize(known.meta) : DEFAULT_MIN_GROUP_SIZE, mode: asked('mode') ?? 'anonymous',
      instrument: known?.key, label: asked('label'), series: asked('series'),
    };
    res.render('waves/new', { ...(await newWaveLocals(req.user!, values)), error: null, errors: [] });
  });

  router.post('/waves', allow('wave.create'), async (req, res) => {
    const values = formFields(req.body, ['minGroupSize']);
    await withFormErrors(res, 'waves/new', await newWaveLocals(req.user!, values), async () => {
      const wave = await waves.create(req.user!, parseBody(newWaveSchema, values));
      res.redirect(303, `/waves/${wave.id}`);
    });
  });

  router.get('/waves/:id', allow('wave.read'), async (req, res) => {
    const record = await waves.get(req.user!, String(req.params.id));
    const wave = waveJson(record, baseUrlOf(req, publicUrl));
    const instrument = (await instruments.list()).find((i) => i.key === wave.instrument);
    const hasContactQuestion = ((instrument?.meta.contactQuestions as string[] | undefined) ?? []).length > 0;
    res.render('waves/show', {
      title: wave.label,
      wave,
      instrumentTitle: instrument?.title ?? wave.instrument,
      perDay: await waves.countPerDay(req.user!, wave.id),
      qr: wave.url ? await qrSvg(wave.url, t('waves.qrLabel')) : null,
      invitations: can(req.user, 'invitation.read', wave) && (wave.mode === 'identified' || wave.mode === 'team')
        ? (await waves.listInvitations(req.user!, wave.id)).map((i) => invitationJson(i, baseUrlOf(req, publicUrl))) : [],
      // Earlier identified waves of the same series: their people can be invited again as a panel.
      panelSources: wave.mode === 'identified' && wave.series
        ? (await waves.list(req.user!)).filter((w) => w.id !== wave.id && w.mode === 'identified' && w.series === wave.series && w.instrumentKey === wave.instrument)
          .map((w) => ({ id: w.id, label: w.label })) : [],
      contacts: can(req.user, 'contacts.read', wave) && hasContactQuestion ? await waves.listContactsWithIds(req.user!, wave.id) : null,
      fullExports: fullExports && wave.mode === 'anonymous' && can(req.user, 'wave.export.full', wave) ? await fullExports(req.user!, wave.id) : null,
      resultsShown: record.resultsShownOn !== null,
      benchmark: benchmarkState && wave.mode !== 'team' ? await benchmarkState(req.user!, record) : null,
      awaitingNote: awaitingNote(record),
      error: null, errors: [],
    });
  });

  router.post('/waves/:id/settings', allow('wave.update'), async (req, res) => {
    const values = formFields(req.body);
    const wave = await waves.get(req.user!, String(req.params.id));
    // The minimum group size is sent only when it changed: an unchanged one needs no check (waves/service.ts).
    const minGroupSize = values.minGroupSize === undefined || values.minGroupSize === '' ? undefined : Number(values.minGroupSize);
    const patch = parseBody(wavePatchSchema, {
      label: values.label, closesAt: values.closesAt ?? null, supportText: values.supportText ?? null,
      ...(minGroupSize !== undefined && minGroupSize !== wave.minGroupSize ? { minGroupSize } : {}),
    });
    await waves.update(req.user!, String(req.params.id), patch);
    res.redirect(303, `/waves/${String(req.params.id)}`);
  });

  router.post('/waves/:id/status', allow('wave.update'), async (req, res) => {
    const status = req.body?.status === 'closed' ? 'closed' : 'open';
    await waves.update(req.user!, String(req.params.id), { status });
    res.redirect(303, `/waves/${String(req.params.id)}`);
  });

  router.post('/waves/:id/public-link', allow('wave.relink'), async (req, res) => {
    await waves.replacePublicLink(req.user!, String(req.params.id));
    res.redirect(303, `/waves/${String(req.params.id)}#link-title`);
  });

  // One contact request (contactId) or, without one, all of the wave's.
  router.post('/waves/:id/contacts/remove', allow('contacts.remove'), async (req, res) => {
    const contactId = typeof req.body?.contactId === 'string' && req.body.contactId !== '' ? String(req.body.contactId) : null;
    if (contactId === null && req.body?.all !== '1') throw badRequest();
    await waves.removeContacts(req.user!, String(req.params.id), contactId);
    res.redirect(303, `/waves/${String(req.params.id)}#contacts-title`);
  });

  router.post('/waves/:id/invitations/:invitationId/void', allow('response.void'), async (req, res) => {
    const input = parseBody(voidSchema, { reissue: req.body?.reissue === '1' });
    await waves.voidResponse(req.user!, String(req.params.id), String(req.params.invitationId), input);
    res.redirect(303, `/waves/${String(req.params.id)}#inv-title`);
  });

  router.post('/waves/:id/invitations', allow('invitation.create'), async (req, res) => {
    const names = String(req.body?.names ?? '').split(/\r?\n/).map((n) => n.trim()).filter(Boolean);
    const panelFrom = typeof req.body?.panelFrom === 'string' && req.body.panelFrom !== '' ? req.body.panelFrom : undefined;
    const input = panelFrom ? { panelFrom } : names.length > 0 ? { names } : { count: Number(req.body?.count) };
    await waves.createInvitations(req.user!, String(req.params.id), parseBody(invitationsSchema, input));
    // A team's member links are handed out one by one, not printed as slips: back to the list.
    const wave = await waves.get(req.user!, String(req.params.id));
    res.redirect(303, wave.mode === 'team' ? `/waves/${wave.id}#inv-title` : `/waves/${wave.id}/invitations`);
  });

  router.get('/waves/:id/invitations', allow('invitation.read'), async (req, res) => {
    const wave = waveJson(await waves.get(req.user!, String(req.params.id)), baseUrlOf(req, publicUrl));
    const list = (await waves.listInvitations(req.user!, wave.id)).map((i) => invitationJson(i, baseUrlOf(req, publicUrl)));
    const slips = await Promise.all(list.filter((i) => !i.used).map(async (i) => ({ ...i, qr: await qrSvg(i.url, t('waves.qrLabel')) })));
    res.render('waves/slips', { title: `${t('waves.slips')}: ${wave.label}`, wave, slips });
  });

  router.get('/waves/:id/qr', allow('wave.read'), async (req, res) => {
    const wave = waveJson(await waves.get(req.user!, String(req.params.id)), baseUrlOf(req, publicUrl));
    // A closed wave's link answers 410: a printed poster would send people to a dead end. The
    // wave page says why there is none.
    if (!wave.url || wave.status === 'closed') return res.redirect(303, `/waves/${wave.id}`);
    res.render('waves/qr', { title: wave.label, wave, qr: await qrSvg(wave.url, t('waves.qrLabel')) });
  });

  return router;
}
