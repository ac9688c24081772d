import crypto from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../store';
import type { InstrumentCatalogue } from '../instruments/catalogue';
import { allowedModes, modesReason, organisationKindsOf } from '../instruments/definition-rules';
import { CurrentUser, organisationOf, scopeOf } from '../auth/scope';
import { badRequest, conflict, gone, invalid, notFound } from '../http/errors';
import { assertCan } from '../auth/policy';
import { t } from '../i18n/messages';
import { dayInNetherlands, isValidDay } from '../util/dates';
import type { WaveRecord } from './repository';
import type { Invitation } from '../invitations/repository';
import { perDayOrWeek } from './per-day';
import { carryOverRecord } from '../team-records/service';

export const MIN_GROUP_SIZE_FLOOR = 3;

/** Whether a wave still takes responses on `today` by its status and closing day (the sealer's rule). */
export function acceptsResponses(wave: Pick<WaveRecord, 'status' | 'closesOn'>, today: string): boolean {
  return wave.status === 'open' && !(wave.closesOn && today > wave.closesOn);
}
export const DEFAULT_MIN_GROUP_SIZE = 5;

const day = z.string().trim().refine((v) => isValidDay(v.slice(0, 10)), 'Gebruik een datum als 2026-03-01.')
  .transform((v) => v.slice(0, 10));

/**
 * The minimum group size a new wave of this instrument gets when none is given: the
 * instrument's meta.minGroupSize (a management team's scan is filled by 3 to 8 people), never
 * below the floor of 3, else 5.
 */
export function defaultMinGroupSize(meta: Record<string, unknown> | undefined): number {
  const own = meta?.minGroupSize;
  return typeof own === 'number' && Number.isInteger(own) && own >= MIN_GROUP_SIZE_FLOOR && own <= 10000 ? own : DEFAULT_MIN_GROUP_SIZE;
}

export const newWaveSchema = z.object({
  instrument: z.string().max(100),
  label: z.string().trim().min(1).max(200),
  mode: z.enum(['anonymous', 'identified', 'team']),
  series: z.string().trim().min(1).max(100).nullish(),
  // Absent: the instrument's own default (meta.minGroupSize, e.g. 3 for the Weerman scan), else 5.
  minGroupSize: z.number().int().min(MIN_GROUP_SIZE_FLOOR, t('errors.minGroupSize', { min: MIN_GROUP_SIZE_FLOOR })).max(10000)
    .optional(),
  opensAt: day.nullish(),
  closesAt: day.nullish(),
  supportText: z.string().trim().min(1).max(1000).nullish(),
  organisationId: z.string().max(36).optional(),
}).strict();

export const wavePatchSchema = z.object({
  status: z.enum(['open', 'closed']).optional(),
  label: z.string().trim().min(1).max(200).optional(),
  closesAt: day.nullable().optional(),
  supportText: z.string().trim().max(1000).nullable().optional(),
  minGroupSize: z.number().int().min(MIN_GROUP_SIZE_FLOOR, t('errors.minGroupSize', { min: MIN_GROUP_SIZE_FLOOR })).max(10000).optional(),
}).strict();

export const voidSchema = z.object({
  /** Also give the invitation a new link (the old one answers 410), for the right person to answer. */
  reissue: z.boolean().default(false),
}).strict();

export const invitationsSchema = z.object({
  count: z.number().int().min(1).max(500).optional(),
  names: z.array(z.string().trim().min(1).max(200)).min(1).max(500).optional(),
  /** An earlier identified wave of the same series: invite the same people again (a panel). */
  panelFrom: z.string().max(36).optional(),
}).strict().refine((v) => [v.count, v.names, v.panelFrom].filter((x) => x !== undefined).length === 1,
  'Geef een aantal (count), een lijst namen (names) of een eerdere meting (panelFrom).');

export interface WaveServiceOptions {
  /**
   * Told, and awaited, when a change leaves a wave accepting no more responses (closed, or a
   * closing day that has passed): the sealer seals all its pending responses at once, so that
   * no copy of the database made after the close holds them in arrival order (docs/privacy.md).
   */
  onNoLongerAccepting?: (waveId: string) => Promise<void>;
}

export function createWaveService(store: Store, instruments: InstrumentCatalogue, { onNoLongerAccepting }: WaveServiceOptions = {}) {
  return {
    async create(actor: CurrentUser, input: z.infer<typeof newWaveSchema>): Promise<WaveRecord> {
      assertCan(actor, 'wave.create');
      // An instrument uploaded by a manager runs in that organisation's waves only.
      // Fresh from the database: the wave is pinned to this version, which another process may just have published.
      const instrument = await instruments.latest(input.instrument, input.organisationId ?? organisationOf(actor), { fresh: true });
      if (!instrument) throw invalid([{ question: 'instrument', message: t('errors.unknownInstrument', { key: input.instrument }) }]);
      // What the respondent is told about anonymity follows the wave's mode; an instrument that
      // may only run anonymously (meta.modes) is never run under a name.
      if (!allowedModes(instrument.meta).includes(input.mode)) {
        const modes = allowedModes(instrument.meta).map((m) => t(`modeNames.${m}`)).join(', ');
        const reason = modesReason(instrument.meta);
        const message = t('errors.modeNotAllowed', { instrument: instrument.title, mode: t(`modeNames.${input.mode}`), modes });
        throw invalid([{ question: 'mode', message: reason ? `${message} ${reason}` : message }]);
      }
      const organisationId = input.organisationId ?? organisationOf(actor);
      assertCan(actor, 'wave.create', { organisationId });
      const organisation = await store.repos.organisations.findById(scopeOf(actor), organisationId);
      if (!organisation) throw notFound();
      // An instrument written for a kind of organisation (the Movisie route: a gemeente) runs there only.
      const kinds = organisationKindsOf(instrument);
      if (kinds && !kinds.includes(organisation.kind)) {
        throw invalid([{ question: 'instrument', message: t('organisationKinds.notForKind', {
          instrument: instrument.title, kinds: kinds.map((k) => t(`organisationKinds.${k}`)).join(', '), kind: t(`organisationKinds.${organisation.kind}`),
        }) }]);
      }
      if (input.opensAt && input.closesAt && input.closesAt < input.opensAt) {
        throw invalid([{ question: 'closesAt', message: 'De sluitdatum ligt voor de openingsdatum.' }]);
      }
      const id = crypto.randomUUID();
      await store.repos.waves.create({
        id,
        organisationId,
        instrumentVersionId: instrument.id,
        label: input.label,
        mode: input.mode,
        series: input.series ?? null,
        minGroupSize: input.minGroupSize ?? defaultMinGroupSize(instrument.meta),
        opensOn: input.opensAt ?? null,
        closesOn: input.closesAt ?? null,
        status: 'open',
        // Identified waves are answered through invitations only, so they have no public link.
        publicToken: input.mode === 'anonymous' ? newToken() : null,
        supportText: input.supportText ?? null,
      });
      const created = (await store.repos.waves.findById(scopeOf(actor), id))!;
      // A new round of a team record starts from the last one of its series (team-records/).
      if (created.mode === 'team') await carryOverRecord(store, created, instrument);
      return (await store.repos.waves.findById(scopeOf(actor), id))!;
    },

    list: (actor: CurrentUser) => store.repos.waves.list(scopeOf(actor)),

    /** The instruments the new-wave form offers: those written for the kind of the actor's organisation. */
    async offeredInstruments(actor: CurrentUser) {
      const organisation = await store.repos.organisations.findById(scopeOf(actor), organisationOf(actor));
      return (await instruments.list(scopeOf(actor).organisationId)).filter((i) => {
        const kinds = organisationKindsOf(i);
        return kinds === null || (organisation !== null && kinds.includes(organisation.kind));
      });
    },

    async get(actor: CurrentUser, id: string): Promise<WaveRecord> {
      const wave = await store.repos.waves.findById(scopeOf(actor), id);
      if (!wave) throw notFound();
      return wave;
    },

    async update(actor: CurrentUser, id: string, patch: z.infer<typeof wavePatchSchema>): Promise<WaveRecord> {
      const wave = await this.get(actor, id); // 404 before 403: do not confirm another organisation's id
      assertCan(actor, 'wave.update', wave);
      if (Object.keys(patch).length === 0) throw badRequest();
      // First, and alone: when it is refused, nothing else of the patch is changed.
      if (patch.minGroupSize !== undefined && (await store.repos.waves.setMinGroupSize(scopeOf(actor), wave.id, patch.minGroupSize)) === 'refused') {
        throw conflict(t('errors.minGroupSizeShown'));
      }
      await store.repos.waves.update(scopeOf(actor), wave.id, {
        label: patch.label, status: patch.status, closesOn: patch.closesAt,
        supportText: patch.supportText === '' ? null : patch.supportText,
      });
      const changed = await this.get(actor, id);
      if (onNoLongerAccepting && !acceptsResponses(changed, dayInNetherlands())) await onNoLongerAccepting(changed.id);
      return changed;
    },

    countPerDay: async (actor: CurrentUser, id: string) => {
      const wave = await store.repos.waves.findById(scopeOf(actor), id);
      if (!wave) throw notFound();
      return perDayOrWeek(await store.repos.waves.countPerDay(wave.id), wave.minGroupSize);
    },

    /** Single-use invitation links for an identified wave; reusable member links for a team wave. */
    async createInvitations(actor: CurrentUser, id: string, input: z.infer<typeof invitationsSchema>): Promise<Invitation[]> {
      const wave = await this.get(actor, id);
      assertCan(actor, 'invitation.create', wave);
      // A team wave's invitations are member links: the same person comes back to them.
      if (wave.mode === 'anonymous') throw conflict(t('errors.invitationsForIdentified'));
      if (input.panelFrom !== undefined) {
        // The same people as in an earlier identified wave of this series: one invitation
        // each, with that person's pseudonymous key, so their answers can be paired.
        const earlier = await this.get(actor, input.panelFrom);
        if (wave.mode !== 'identified' || earlier.id === wave.id || earlier.mode !== 'identified' || !wave.series || earlier.series !== wave.series || earlier.instrumentKey !== wave.instrumentKey) {
          throw invalid([{ question: 'panelFrom', message: t('errors.panelFrom') }]);
        }
        const panel = await store.repos.invitations.panelOf(earlier.id);
        return store.repos.invitations.createMany(wave.id, panel.map((p) => ({ token: newToken(), name: p.name, panelKey: p.panelKey })));
      }
      const entries = input.names
        ? input.names.map((name) => ({ token: newToken(), name }))
        : Array.from({ length: input.count! }, () => ({ token: newToken(), name: null }));
      return store.repos.invitations.createMany(wave.id, entries);
    },

    async listInvitations(actor: CurrentUser, id: string): Promise<Invitation[]> {
      const wave = await this.get(actor, id);
      assertCan(actor, 'invitation.read', wave);
      return store.repos.invitations.listForWave(wave.id);
    },

    /** Contact details for a follow-up interview: managers only, as a list without any link to answers. */
    async listContacts(actor: CurrentUser, id: string): Promise<Array<Record<string, string>>> {
      const wave = await this.get(actor, id);
      assertCan(actor, 'contacts.read', wave);
      return store.repos.contacts.listForWave(wave.id);
    },

    /**
     * Makes void the response that came in through an invitation (identified waves only):
     * it stops counting in results, counts and exports. Anonymous waves cannot void single
     * responses: nobody can know which one is junk without tracing who sent it (409).
     */
    async voidResponse(actor: CurrentUser, id: string, invitationId: string, input: z.infer<typeof voidSchema>): Promise<Invitation> {
      const wave = await this.get(actor, id);
      assertCan(actor, 'response.void', wave);
      if (wave.mode !== 'identified') throw conflict(t('errors.voidAnonymous'));
      return store.transaction(async (repos) => {
        const invitation = await repos.invitations.findInWave(wave.id, invitationId);
        if (!invitation) throw notFound();
        if (!(await repos.responses.voidForInvitation(wave.id, invitation.id))) throw conflict(t('errors.notVoidable'));
        const token = input.reissue ? newToken() : null;
        if (token) await repos.waves.retireToken(wave.id, invitation.token);
        await repos.invitations.markVoided(invitation.id, dayInNetherlands(), token);
        return (await repos.invitations.findInWave(wave.id, invitation.id))!;
      });
    },

    /** The contact list for the manager's page, with ids to remove each. */
    async listContactsWithIds(actor: CurrentUser, id: string) {
      const wave = await this.get(actor, id);
      assertCan(actor, 'contacts.read', wave);
      return store.repos.contacts.listWithIds(wave.id);
    },

    /** Removes one contact request (or, with null, all of the wave's) for good: docs/privacy.md. */
    async removeContacts(actor: CurrentUser, id: string, contactId: string | null): Promise<number> {
      const wave = await this.get(actor, id);
      assertCan(actor, 'contacts.remove', wave);
      return store.repos.contacts.remove(wave.id, contactId);
    },

    /**
     * A new public link for an anonymous wave (junk came in through the old one). The old
     * link answers 410 from now on. 409 for a wave without a public link (identified).
     */
    async replacePublicLink(actor: CurrentUser, id: string): Promise<WaveRecord> {
      const wave = await this.get(actor, id);
      assertCan(actor, 'wave.relink', wave);
      if (!wave.publicToken) throw conflict(t('errors.noPublicLink'));
      if (!(await store.repos.waves.replacePublicToken(scopeOf(actor), wave.id, newToken()))) throw conflict(t('errors.noPublicLink'));
      return this.get(actor, id);
    },

    /**
     * The wave behind a respondent link: a wave's public token or an invitation's. 404 when
     * unknown; 410 with a neutral message for a link that was replaced.
     */
    async findForToken(token: string): Promise<{ wave: WaveRecord; invitation: Invitation | null }> {
      if (!TOKEN_PATTERN.test(token)) throw notFound();
      const publicWave = await store.repos.waves.findByPublicToken(token);
      const invitation = publicWave ? null : await store.repos.invitations.findByToken(token);
      const wave = publicWave ?? (invitation ? await store.repos.waves.findById({ organisationId: null }, invitation.waveId) : null);
      if (!wave) {
        // Asked only on the way to an error, so a working link costs no extra read.
        if (await store.repos.waves.isRetired(token)) throw gone(t('errors.linkReplaced'));
        throw notFound();
      }
      return { wave, invitation };
    },

    /** 410 when the wave is closed or outside its dates, or the invitation was used. */
    assertAccepting(wave: WaveRecord, invitation: Invitation | null, today = dayInNetherlands()): void {
      // A wave that opens later says when, so that she can come back; closed is said only when it is.
      if (wave.status === 'open' && wave.opensOn && today < wave.opensOn) throw gone(t('errors.opensLater', { date: dutchDate(wave.opensOn) }));
      if (!isAccepting(wave, today)) throw gone();
      if (invitation?.usedOn) throw gone(t('errors.invitationUsed'));
    },

    async openWaveForToken(token: string): Promise<{ wave: WaveRecord; invitation: Invitation | null }> {
      const found = await this.findForToken(token);
      this.assertAccepting(found.wave, found.invitation);
      return found;
    },
  };
}

export type WaveService = ReturnType<typeof createWaveService>;

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** 144 random bits, URL-safe: unguessable and says nothing about the instrument. */
export function newToken(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/** '2026-12-03' as Dutch readers write it: '3 december 2026'. */
export function dutchDate(day: string): string {
  return new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

export function isAccepting(wave: WaveRecord, today: string): boolean {
  if (wave.status !== 'open') return false;
  if (wave.opensOn && today < wave.opensOn) return false;
  if (wave.closesOn && today > wave.closesOn) return false;
  return true;
}

export function waveJson(wave: WaveRecord, baseUrl: string) {
  return {
    id: wave.id,
    token: wave.publicToken,
    url: wave.publicToken ? `${baseUrl}/s/${wave.publicToken}` : null,
    instrument: wave.instrumentKey,
    version: wave.instrumentVersion,
    label: wave.label,
    mode: wave.mode,
    series: wave.series,
    minGroupSize: wave.minGroupSize,
    opensAt: wave.opensOn,
    closesAt: wave.closesOn,
    status: wave.status,
    supportText: wave.supportText,
    organisationId: wave.organisationId,
    responses: wave.responses,
    /** Of those, how many the results do not count yet (docs/api-additions.md, "awaiting"). */
    awaiting: wave.awaiting,
  };
}

export function invitationJson(invitation: Invitation, baseUrl: string) {
  return {
    id: invitation.id,
    token: invitation.token,
    url: `${baseUrl}/s/${invitation.token}`,
    name: invitation.name,
    used: invitation.usedOn !== null,
    voided: invitation.voidedOn !== null,
  };
}
