// The rules of the positioning workshop. A facilitator (manager) prepares the long list and
// the criteria and screens the list on the knock-out criteria; participants score the
// shortlist through single-use links; the plenary view appears only once scoring is closed
// with at least the minimum of participants, all at once, so that no intermediate state can
// be set beside a later one to single out one participant's scores.
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../store';
import { CurrentUser, organisationOf, scopeOf } from '../auth/scope';
import { assertCan } from '../auth/policy';
import { AppError, conflict, gone, invalid, notFound, FieldError } from '../http/errors';
import { t } from '../i18n/messages';
import { dayInNetherlands } from '../util/dates';
import type { CriterionKind, WorkshopCriterion, WorkshopOption, WorkshopRecord, WorkshopStatus, Screening, StoredScore } from './repository';
import { cellSpread, isDisagreement, rankOptions, Ranked, Score, sensitivity, Sensitivity, Spread, Totals } from './analysis';

export const MIN_PARTICIPANTS_FLOOR = 3;
export const MAX_WEIGHT = 10;
/** The symbols of the handleiding, as participants and the API write them. */
export const SCORE_VALUES: ReadonlyMap<string, Score> = new Map([['-', -1], ['+/-', 0], ['+', 1]]);
export const SCORE_SYMBOLS: ReadonlyMap<number, string> = new Map([[-1, '-'], [0, '+/-'], [1, '+']]);

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullish().transform((v) => (v ? v : null));

export const newWorkshopSchema = z.object({
  title: text(200),
  purpose: optionalText(4000),
  minParticipants: z.number().int().min(MIN_PARTICIPANTS_FLOOR, t('workshops.errors.minParticipants', { min: MIN_PARTICIPANTS_FLOOR })).max(500).default(MIN_PARTICIPANTS_FLOOR),
  organisationId: z.string().max(36).optional(),
}).strict();

export const workshopPatchSchema = z.object({
  title: text(200).optional(),
  purpose: optionalText(4000).optional(),
  /** preparing: back to screening (from scoring or plenary); scoring: open, or reopen after plenary. */
  status: z.enum(['preparing', 'scoring', 'plenary']).optional(),
}).strict();

export const optionSchema = z.object({ name: text(200), description: optionalText(4000) }).strict();
export const criterionSchema = z.object({
  name: text(200),
  description: optionalText(4000),
  kind: z.enum(['knock-out', 'precondition', 'distinguishing']),
}).strict();

export const optionPatchSchema = z.object({ name: text(200).optional(), description: optionalText(4000).optional() }).strict();
export const criterionPatchSchema = z.object({
  name: text(200).optional(),
  description: optionalText(4000).optional(),
  kind: z.enum(['knock-out', 'precondition', 'distinguishing']).optional(),
}).strict();
/** Every option (or criterion) of the workshop, once, in the new order. */
export const orderSchema = z.object({ ids: z.array(z.string().max(36)).max(500) }).strict();

export const screeningSchema = z.object({
  failures: z.array(z.object({ optionId: z.string().max(36), criterionId: z.string().max(36), reason: text(2000) }).strict()).max(2000),
}).strict();

export const invitationsSchema = z.object({ count: z.number().int().min(1).max(100) }).strict();

export const scoresSchema = z.object({
  scores: z.array(z.object({
    optionId: z.string().max(36),
    criterionId: z.string().max(36),
    score: z.enum(['-', '+/-', '+']),
    remark: optionalText(1000),
  }).strict()).max(2000),
}).strict();

export const weightsSchema = z.object({
  weights: z.array(z.object({ criterionId: z.string().max(36), weight: z.number().int().min(0).max(MAX_WEIGHT) }).strict()).max(200),
}).strict();

export const preferredSchema = z.object({
  optionId: z.string().max(36),
  reasons: text(8000),
  pros: optionalText(8000),
  cons: optionalText(8000),
  nextSteps: optionalText(8000),
}).strict();

export interface OptionView extends WorkshopOption {
  shortlisted: boolean;
  /** The knock-out criteria it fails, with the facilitator's reason. */
  droppedBecause: Array<{ criterionId: string; criterion: string; reason: string }>;
}

export interface WorkshopView extends WorkshopRecord {
  options: OptionView[];
  criteria: WorkshopCriterion[];
  participants: { invited: number; submitted: number };
}

export interface PlenaryCell {
  optionId: string;
  criterionId: string;
  spread: Spread;
  mean: number;
  disagreement: boolean;
  remarks: string[];
}

export interface Plenary {
  n: number;
  shortlist: WorkshopOption[];
  criteria: WorkshopCriterion[];
  cells: PlenaryCell[];
  equal: Ranked[];
  /** Under the group's weights; null until the group has set them. */
  weighted: Ranked[] | null;
  weights: Array<{ criterionId: string; weight: number }>;
  sensitivity: Sensitivity;
}

const newToken = () => crypto.randomBytes(18).toString('base64url');

/**
 * A change that drops what participants or the facilitator entered (scores, screening
 * reasons) is made only when asked again with confirm=true; the first answer says what goes.
 */
export const CONFIRMATION_REQUIRED = 'confirmation_required';
const needsConfirmation = (message: string) => new AppError(409, CONFIRMATION_REQUIRED, message);

/** The steps back and forth between the statuses, by target: where each may come from. */
const STEPS_FROM: ReadonlyMap<WorkshopStatus, readonly WorkshopStatus[]> = new Map<WorkshopStatus, WorkshopStatus[]>([
  ['preparing', ['scoring', 'plenary']], ['scoring', ['preparing', 'plenary']], ['plenary', ['scoring']],
]);

export function createWorkshopService(store: Store) {
  const repos = store.repos.workshops;

  async function load(actor: CurrentUser, id: string): Promise<WorkshopRecord> {
    const workshop = await repos.findById(scopeOf(actor), id);
    if (!workshop) throw notFound();
    return workshop;
  }

  async function view(workshop: WorkshopRecord): Promise<WorkshopView> {
    const [options, criteria, screenings, participants] = await Promise.all([
      repos.options(workshop.id), repos.criteria(workshop.id), repos.screenings(workshop.id), repos.participants(workshop.id),
    ]);
    const names = new Map(criteria.map((c) => [c.id, c.name]));
    const failures = new Map<string, Screening[]>();
    for (const s of screenings) failures.set(s.optionId, [...(failures.get(s.optionId) ?? []), s]);
    return {
      ...workshop,
      options: options.map((o) => {
        const dropped = (failures.get(o.id) ?? []).map((f) => ({ criterionId: f.criterionId, criterion: names.get(f.criterionId) ?? '', reason: f.reason }));
        return { ...o, shortlisted: dropped.length === 0, droppedBecause: dropped };
      }),
      criteria,
      participants: { invited: participants.length, submitted: participants.filter((p) => p.submittedOn !== null).length },
    };
  }

  async function runnable(actor: CurrentUser, id: string, status?: WorkshopStatus): Promise<WorkshopRecord> {
    const workshop = await load(actor, id); // 404 before 403
    assertCan(actor, 'workshop.run', workshop);
    if (status !== undefined && workshop.status !== status) throw conflict(t(`workshops.errors.not_${status}`));
    return workshop;
  }

  /** Why there is no plenary view now: not yet closed, or reopened after it was shown. */
  const plenaryWaiting = (workshop: WorkshopRecord) => (workshop.status === 'scoring' && workshop.shownParticipants > 0
    ? t('workshops.errors.reopened') : t('workshops.errors.not_plenary'));

  const shortlistOf = (v: WorkshopView) => v.options.filter((o) => o.shortlisted);
  const distinguishingOf = (v: WorkshopView) => v.criteria.filter((c) => c.kind === 'distinguishing');

  return {
    async create(actor: CurrentUser, input: z.infer<typeof newWorkshopSchema>): Promise<WorkshopView> {
      assertCan(actor, 'workshop.run');
      const organisationId = input.organisationId ?? organisationOf(actor);
      assertCan(actor, 'workshop.run', { organisationId });
      if (!(await store.repos.organisations.findById(scopeOf(actor), organisationId))) throw notFound();
      const id = await repos.create({ organisationId, title: input.title, purpose: input.purpose, minParticipants: input.minParticipants });
      return view((await repos.findById(scopeOf(actor), id))!);
    },

    list: (actor: CurrentUser) => repos.list(scopeOf(actor)),

    async get(actor: CurrentUser, id: string): Promise<WorkshopView> {
      return view(await load(actor, id));
    },

    async update(actor: CurrentUser, id: string, patch: z.infer<typeof workshopPatchSchema>, confirmed = false): Promise<WorkshopView> {
      const workshop = await runnable(actor, id);
      if (patch.status !== undefined && patch.status !== workshop.status) {
        const current = await view(workshop);
        const from = workshop.status;
        if (!STEPS_FROM.get(patch.status)!.includes(from)) throw conflict(t('workshops.errors.not_scoring'));
        const submitted = current.participants.submitted;
        if (patch.status === 'scoring' && from === 'preparing' && (shortlistOf(current).length < 2 || distinguishingOf(current).length < 1)) {
          throw conflict(t('workshops.errors.nothingToScore'));
        }
        if (patch.status === 'plenary') {
          if (submitted < workshop.minParticipants) throw conflict(t('workshops.errors.tooFewParticipants', { min: workshop.minParticipants }));
          // After a reopening: the view shown before set beside this one must not single out fewer than the minimum.
          const added = submitted - workshop.shownParticipants;
          if (workshop.shownParticipants > 0 && added > 0 && added < workshop.minParticipants) {
            throw conflict(t('workshops.errors.tooFewAdded', { min: workshop.minParticipants, added, shown: workshop.shownParticipants }));
          }
        }
        if (patch.status === 'preparing') {
          if (submitted > 0 && !confirmed) throw needsConfirmation(t('workshops.confirm.backToScreening', { n: submitted }));
          const moved = await store.transaction(async (r) => {
            if (!(await r.workshops.moveStatus(workshop.id, from, 'preparing', 0))) return false;
            await r.workshops.dropAllScores(workshop.id);
            return true;
          });
          if (!moved) throw conflict(t('workshops.errors.not_scoring'));
        } else {
          const shown = patch.status === 'plenary' ? submitted : undefined;
          if (!(await repos.moveStatus(workshop.id, from, patch.status, shown))) throw conflict(t(`workshops.errors.not_${from}`));
        }
      }
      await repos.update(workshop.id, { title: patch.title, purpose: patch.purpose });
      return this.get(actor, id);
    },

    /** Name and description can be put right at any time; they change no score. */
    async updateOption(actor: CurrentUser, id: string, optionId: string, patch: z.infer<typeof optionPatchSchema>): Promise<OptionView> {
      const workshop = await runnable(actor, id);
      if (!(await view(workshop)).options.some((o) => o.id === optionId)) throw notFound();
      await repos.updateOption(workshop.id, optionId, patch);
      return (await view(workshop)).options.find((o) => o.id === optionId)!;
    },

    /**
     * Name and description at any time. The kind only while preparing: a criterion that
     * became scored during scoring would have cells nobody scored. A knock-out criterion that
     * is no longer one drops its screening reasons (confirmed), and its options return.
     */
    async updateCriterion(actor: CurrentUser, id: string, criterionId: string, patch: z.infer<typeof criterionPatchSchema>, confirmed = false): Promise<WorkshopCriterion> {
      const workshop = await runnable(actor, id);
      const criterion = (await view(workshop)).criteria.find((c) => c.id === criterionId);
      if (!criterion) throw notFound();
      const newKind = patch.kind !== undefined && patch.kind !== criterion.kind ? patch.kind as CriterionKind : undefined;
      if (newKind !== undefined) {
        if (workshop.status !== 'preparing') throw conflict(t('workshops.errors.kindFixed'));
        const { screenings } = await repos.dependants(workshop.id, 'criterion_id', criterionId);
        if (screenings > 0 && !confirmed) throw needsConfirmation(t('workshops.confirm.unmarkKnockOut', { criterion: criterion.name, n: screenings }));
      }
      await store.transaction(async (r) => {
        if (newKind !== undefined && criterion.kind === 'knock-out') await r.workshops.dropScreenings(workshop.id, criterionId);
        await r.workshops.updateCriterion(workshop.id, criterionId, { name: patch.name, description: patch.description, kind: newKind });
      });
      return (await repos.criteria(workshop.id)).find((c) => c.id === criterionId)!;
    },

    /** Removes an option with its screening reasons and, confirmed, its scores. */
    async removeOption(actor: CurrentUser, id: string, optionId: string, confirmed = false): Promise<void> {
      const workshop = await runnable(actor, id);
      const current = await view(workshop);
      const option = current.options.find((o) => o.id === optionId);
      if (!option) throw notFound();
      if (workshop.preferred?.optionId === optionId) throw conflict(t('workshops.errors.preferredOption'));
      if (workshop.status !== 'preparing' && option.shortlisted && shortlistOf(current).length <= 2) throw conflict(t('workshops.errors.nothingToScore'));
      const { scores } = await repos.dependants(workshop.id, 'option_id', optionId);
      if (scores > 0 && !confirmed) throw needsConfirmation(t('workshops.confirm.removeOption', { name: option.name, n: scores }));
      await store.transaction((r) => r.workshops.remove(workshop.id, 'option', optionId));
    },

    /**
     * Removes a criterion with, confirmed, its scores or screening reasons. Once scoring has
     * opened, a knock-out criterion that dropped options stays: removing it would put options
     * on the shortlist that nobody scored (go back to screening for that).
     */
    async removeCriterion(actor: CurrentUser, id: string, criterionId: string, confirmed = false): Promise<void> {
      const workshop = await runnable(actor, id);
      const current = await view(workshop);
      const criterion = current.criteria.find((c) => c.id === criterionId);
      if (!criterion) throw notFound();
      const { scores, screenings } = await repos.dependants(workshop.id, 'criterion_id', criterionId);
      if (workshop.status !== 'preparing') {
        if (screenings > 0) throw conflict(t('workshops.errors.screeningFixed'));
        if (criterion.kind === 'distinguishing' && distinguishingOf(current).length <= 1) throw conflict(t('workshops.errors.nothingToScore'));
      }
      if (scores > 0 && !confirmed) throw needsConfirmation(t('workshops.confirm.removeCriterionScores', { name: criterion.name, n: scores }));
      if (screenings > 0 && !confirmed) throw needsConfirmation(t('workshops.confirm.removeCriterionScreenings', { name: criterion.name, n: screenings }));
      await store.transaction((r) => r.workshops.remove(workshop.id, 'criterion', criterionId));
    },

    /** A new order of the long list or the criteria: every id of the workshop once. Any time; it changes no score. */
    async reorder(actor: CurrentUser, id: string, what: 'option' | 'criterion', input: z.infer<typeof orderSchema>): Promise<WorkshopView> {
      const workshop = await runnable(actor, id);
      const current = await view(workshop);
      const known = new Set((what === 'option' ? current.options : current.criteria).map((x) => x.id));
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      input.ids.forEach((x, i) => {
        if (!known.has(x)) errors.push({ question: `ids.${i}`, message: t(what === 'option' ? 'workshops.errors.unknownOption' : 'workshops.errors.unknownCriterion') });
        else if (seen.has(x)) errors.push({ question: `ids.${i}`, message: t('workshops.errors.twice') });
        seen.add(x);
      });
      if (errors.length === 0 && seen.size !== known.size) errors.push({ question: 'ids', message: t('workshops.errors.orderIncomplete') });
      if (errors.length > 0) throw invalid(errors);
      await store.transaction((r) => r.workshops.reorder(workshop.id, what, input.ids));
      return this.get(actor, id);
    },

    async addOption(actor: CurrentUser, id: string, input: z.infer<typeof optionSchema>): Promise<WorkshopOption> {
      const workshop = await runnable(actor, id, 'preparing');
      return repos.addOption(workshop.id, input.name, input.description);
    },

    async addCriterion(actor: CurrentUser, id: string, input: z.infer<typeof criterionSchema>): Promise<WorkshopCriterion> {
      const workshop = await runnable(actor, id, 'preparing');
      return repos.addCriterion(workshop.id, input.name, input.description, input.kind as CriterionKind);
    },

    /** Replaces the screening: every failure names an option and a knock-out criterion of this workshop. */
    async screen(actor: CurrentUser, id: string, input: z.infer<typeof screeningSchema>): Promise<WorkshopView> {
      const workshop = await runnable(actor, id, 'preparing');
      const current = await view(workshop);
      const optionIds = new Set(current.options.map((o) => o.id));
      const knockOuts = new Set(current.criteria.filter((c) => c.kind === 'knock-out').map((c) => c.id));
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      input.failures.forEach((f, i) => {
        if (!optionIds.has(f.optionId)) errors.push({ question: `failures.${i}.optionId`, message: t('workshops.errors.unknownOption') });
        if (!knockOuts.has(f.criterionId)) errors.push({ question: `failures.${i}.criterionId`, message: t('workshops.errors.notKnockOut') });
        const key = `${f.optionId} ${f.criterionId}`;
        if (seen.has(key)) errors.push({ question: `failures.${i}`, message: t('workshops.errors.twice') });
        seen.add(key);
      });
      if (errors.length > 0) throw invalid(errors);
      await store.transaction((r) => r.workshops.replaceScreenings(workshop.id, input.failures));
      return this.get(actor, id);
    },

    async invite(actor: CurrentUser, id: string, count: number) {
      const workshop = await load(actor, id);
      assertCan(actor, 'workshop.run', workshop);
      if (workshop.status === 'plenary') throw conflict(t('workshops.errors.not_scoring'));
      return repos.createParticipants(workshop.id, Array.from({ length: count }, newToken));
    },

    async invitations(actor: CurrentUser, id: string) {
      const workshop = await runnable(actor, id);
      return repos.participants(workshop.id);
    },

    /** What a participant's link opens: the shortlist and the distinguishing criteria. */
    async forParticipant(token: string) {
      const participant = await repos.participantByToken(token);
      if (!participant) throw notFound();
      const workshop = (await repos.findById({ organisationId: participant.organisationId }, participant.workshopId))!;
      if (participant.submittedOn !== null) throw gone(t('workshops.errors.linkUsed'));
      if (workshop.status !== 'scoring') throw gone(t(workshop.status === 'preparing' ? 'workshops.errors.notYet' : 'workshops.errors.closed'));
      const current = await view(workshop);
      return { participant, workshop: current, shortlist: shortlistOf(current), criteria: distinguishingOf(current) };
    },

    /** A complete matrix or nothing: every shortlisted option on every distinguishing criterion, once. */
    async submitScores(token: string, input: z.infer<typeof scoresSchema>): Promise<void> {
      const { participant, shortlist, criteria } = await this.forParticipant(token);
      const options = new Set(shortlist.map((o) => o.id));
      const criterionIds = new Set(criteria.map((c) => c.id));
      const cells = new Map<string, StoredScore>();
      const errors: FieldError[] = [];
      input.scores.forEach((s, i) => {
        if (!options.has(s.optionId) || !criterionIds.has(s.criterionId)) { errors.push({ question: `scores.${i}`, message: t('workshops.errors.unknownCell') }); return; }
        const key = `${s.optionId} ${s.criterionId}`;
        if (cells.has(key)) { errors.push({ question: `scores.${i}`, message: t('workshops.errors.twice') }); return; }
        cells.set(key, { optionId: s.optionId, criterionId: s.criterionId, score: SCORE_VALUES.get(s.score)!, remark: s.remark });
      });
      for (const o of shortlist) {
        for (const c of criteria) {
          if (!cells.has(`${o.id} ${c.id}`)) errors.push({ question: `${o.id}.${c.id}`, message: t('workshops.errors.cellMissing', { option: o.name, criterion: c.name }) });
        }
      }
      if (errors.length > 0) throw invalid(errors);
      const outcome = await store.transaction((r) => r.workshops.storeScores(participant.id, participant.workshopId, dayInNetherlands(), [...cells.values()]));
      if (outcome === 'used') throw gone(t('workshops.errors.linkUsed'));
    },

    /** The plenary view, or why it is not there (for the page that says so instead). */
    async plenaryOrWhy(actor: CurrentUser, id: string): Promise<{ plenary: Plenary | null; why: string | null }> {
      const workshop = await load(actor, id);
      if (workshop.status !== 'plenary') return { plenary: null, why: plenaryWaiting(workshop) };
      return { plenary: await this.plenary(actor, id), why: null };
    },

    async plenary(actor: CurrentUser, id: string): Promise<Plenary> {
      const workshop = await load(actor, id);
      if (workshop.status !== 'plenary') throw conflict(plenaryWaiting(workshop));
      const current = await view(workshop);
      const shortlist = shortlistOf(current);
      const criteria = distinguishingOf(current);
      const scores = await repos.scores(workshop.id);
      const n = current.participants.submitted;
      const byCell = new Map<string, StoredScore[]>();
      for (const s of scores) byCell.set(`${s.optionId} ${s.criterionId}`, [...(byCell.get(`${s.optionId} ${s.criterionId}`) ?? []), s]);
      const totals: Totals = new Map(shortlist.map((o) => [o.id, new Map<string, number>()]));
      const cells: PlenaryCell[] = [];
      for (const o of shortlist) {
        for (const c of criteria) {
          const given = byCell.get(`${o.id} ${c.id}`) ?? [];
          const spread = cellSpread(given.map((s) => s.score as Score));
          totals.get(o.id)!.set(c.id, spread.total);
          cells.push({
            optionId: o.id, criterionId: c.id, spread, mean: spread.n === 0 ? 0 : spread.total / spread.n, disagreement: isDisagreement(spread),
            // Sorted, so their order says nothing about who wrote which.
            remarks: given.map((s) => s.remark).filter((r): r is string => r !== null).sort((a, b) => a.localeCompare(b, 'nl')),
          });
        }
      }
      const optionIds = shortlist.map((o) => o.id);
      const criterionIds = criteria.map((c) => c.id);
      const equalWeights = new Map(criterionIds.map((c) => [c, 1]));
      const groupSet = criteria.every((c) => c.weight !== null);
      const groupWeights = new Map(criteria.map((c) => [c.id, c.weight ?? 1]));
      return {
        n, shortlist, criteria, cells,
        equal: rankOptions(optionIds, criterionIds, totals, n, equalWeights),
        weighted: groupSet ? rankOptions(optionIds, criterionIds, totals, n, groupWeights) : null,
        weights: criteria.map((c) => ({ criterionId: c.id, weight: groupWeights.get(c.id)! })),
        sensitivity: sensitivity(optionIds, criterionIds, totals, groupWeights),
      };
    },

    async setWeights(actor: CurrentUser, id: string, input: z.infer<typeof weightsSchema>): Promise<Plenary> {
      const workshop = await runnable(actor, id, 'plenary');
      const criteria = distinguishingOf(await view(workshop));
      const weights = new Map<string, number>();
      const errors: FieldError[] = [];
      const known = new Set(criteria.map((c) => c.id));
      input.weights.forEach((w, i) => {
        if (!known.has(w.criterionId)) errors.push({ question: `weights.${i}.criterionId`, message: t('workshops.errors.notDistinguishing') });
        else weights.set(w.criterionId, w.weight);
      });
      for (const c of criteria) if (!weights.has(c.id)) errors.push({ question: c.id, message: t('workshops.errors.weightMissing', { criterion: c.name }) });
      if (errors.length > 0) throw invalid(errors);
      await store.transaction((r) => r.workshops.setWeights(workshop.id, weights));
      return this.plenary(actor, id);
    },

    async setPreferred(actor: CurrentUser, id: string, input: z.infer<typeof preferredSchema>): Promise<WorkshopView> {
      const workshop = await runnable(actor, id, 'plenary');
      const current = await view(workshop);
      if (!shortlistOf(current).some((o) => o.id === input.optionId)) throw invalid([{ question: 'optionId', message: t('workshops.errors.notShortlisted') }]);
      await repos.setPreferred(workshop.id, { ...input, decidedOn: dayInNetherlands() });
      return this.get(actor, id);
    },
  };
}

export type WorkshopService = ReturnType<typeof createWorkshopService>;
