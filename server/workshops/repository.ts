// The only code that touches the workshop tables (see the migration for what each holds).
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Scope } from '../auth/scope';

export type WorkshopStatus = 'preparing' | 'scoring' | 'plenary';
export type CriterionKind = 'knock-out' | 'precondition' | 'distinguishing';

export interface PreferredScenario {
  optionId: string;
  reasons: string;
  pros: string | null;
  cons: string | null;
  nextSteps: string | null;
  decidedOn: string;
}

export interface WorkshopRecord {
  id: string;
  organisationId: string;
  title: string;
  purpose: string | null;
  status: WorkshopStatus;
  minParticipants: number;
  /** How many had submitted when the plenary view was last shown (0: never shown). */
  shownParticipants: number;
  preferred: PreferredScenario | null;
}

export interface WorkshopOption { id: string; position: number; name: string; description: string | null }
export interface WorkshopCriterion { id: string; position: number; name: string; description: string | null; kind: CriterionKind; weight: number | null }
export interface Screening { optionId: string; criterionId: string; reason: string }
export interface Participant { id: string; token: string; submittedOn: string | null }
export interface StoredScore { optionId: string; criterionId: string; score: number; remark: string | null }

interface WorkshopRow {
  id: string; organisation_id: string; title: string; purpose: string | null; status: WorkshopStatus; min_participants: number; shown_participants: number | string;
  preferred_option_id: string | null; reasons: string | null; pros: string | null; cons: string | null; next_steps: string | null; decided_on: string | null;
}

const WORKSHOP_COLUMNS = ['id', 'organisation_id', 'title', 'purpose', 'status', 'min_participants', 'shown_participants', 'preferred_option_id', 'reasons', 'pros', 'cons', 'next_steps', 'decided_on'];

const fromRow = (row: WorkshopRow): WorkshopRecord => ({
  id: row.id,
  organisationId: row.organisation_id,
  title: row.title,
  purpose: row.purpose,
  status: row.status,
  minParticipants: Number(row.min_participants),
  shownParticipants: Number(row.shown_participants),
  preferred: row.preferred_option_id === null ? null : {
    optionId: row.preferred_option_id, reasons: row.reasons ?? '', pros: row.pros, cons: row.cons, nextSteps: row.next_steps, decidedOn: row.decided_on ?? '',
  },
});

export function createWorkshopRepository(db: Knex | Knex.Transaction) {
  const scoped = (scope: Scope) => {
    const query = db<WorkshopRow>('workshops').select(WORKSHOP_COLUMNS);
    if (scope.organisationId !== null) query.where({ organisation_id: scope.organisationId });
    return query;
  };
  const nextPosition = async (table: string, workshopId: string) => {
    const row = await db(table).where({ workshop_id: workshopId }).max({ max: 'position' }).first() as { max: number | string | null } | undefined;
    return Number(row?.max ?? 0) + 1;
  };

  return {
    async create(input: { organisationId: string; title: string; purpose: string | null; minParticipants: number }): Promise<string> {
      const id = crypto.randomUUID();
      await db('workshops').insert({
        id, organisation_id: input.organisationId, title: input.title, purpose: input.purpose, status: 'preparing', min_participants: input.minParticipants,
      });
      return id;
    },

    async findById(scope: Scope, id: string): Promise<WorkshopRecord | null> {
      const row = await scoped(scope).andWhere({ id }).first();
      return row ? fromRow(row as unknown as WorkshopRow) : null;
    },

    async list(scope: Scope): Promise<WorkshopRecord[]> {
      return (await scoped(scope).orderBy('created_at', 'desc').orderBy('id')).map((row) => fromRow(row as unknown as WorkshopRow));
    },

    async update(id: string, fields: { title?: string; purpose?: string | null; status?: WorkshopStatus }): Promise<void> {
      const row = Object.fromEntries(Object.entries({ title: fields.title, purpose: fields.purpose, status: fields.status }).filter(([, v]) => v !== undefined));
      if (Object.keys(row).length > 0) await db('workshops').where({ id }).update(row);
    },

    /**
     * Moves the status only from the expected one: two facilitators clicking at once move it
     * once. `shown`: the number of submissions the plenary view shows from now on, when it is.
     */
    async moveStatus(id: string, from: WorkshopStatus, to: WorkshopStatus, shown?: number): Promise<boolean> {
      const fields = shown === undefined ? { status: to } : { status: to, shown_participants: shown };
      return (await db('workshops').where({ id, status: from }).update(fields)) === 1;
    },

    async updateOption(workshopId: string, optionId: string, fields: { name?: string; description?: string | null }): Promise<void> {
      const row = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      if (Object.keys(row).length > 0) await db('workshop_options').where({ workshop_id: workshopId, id: optionId }).update(row);
    },

    async updateCriterion(workshopId: string, criterionId: string, fields: { name?: string; description?: string | null; kind?: CriterionKind }): Promise<void> {
      const row = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      if (Object.keys(row).length > 0) await db('workshop_criteria').where({ workshop_id: workshopId, id: criterionId }).update(row);
    },

    /** The scores and screening reasons that name an option or a criterion: what removing it drops. */
    async dependants(workshopId: string, column: 'option_id' | 'criterion_id', id: string): Promise<{ scores: number; screenings: number }> {
      const count = async (table: string) => {
        const row = await db(table).where({ workshop_id: workshopId, [column]: id }).count({ n: '*' }).first() as { n: number | string } | undefined;
        return Number(row?.n ?? 0);
      };
      return { scores: await count('workshop_scores'), screenings: await count('workshop_screenings') };
    },

    async dropScreenings(workshopId: string, criterionId: string): Promise<void> {
      await db('workshop_screenings').where({ workshop_id: workshopId, criterion_id: criterionId }).delete();
    },

    /** Removes an option or a criterion with the scores and screening reasons that name it. */
    async remove(workshopId: string, what: 'option' | 'criterion', id: string): Promise<void> {
      const column = what === 'option' ? 'option_id' : 'criterion_id';
      await db('workshop_scores').where({ workshop_id: workshopId, [column]: id }).delete();
      await db('workshop_screenings').where({ workshop_id: workshopId, [column]: id }).delete();
      await db(what === 'option' ? 'workshop_options' : 'workshop_criteria').where({ workshop_id: workshopId, id }).delete();
    },

    /** Numbers the options or criteria 1, 2, … in the order given (every one of the workshop's ids). */
    async reorder(workshopId: string, what: 'option' | 'criterion', ids: readonly string[]): Promise<void> {
      const table = what === 'option' ? 'workshop_options' : 'workshop_criteria';
      for (const [index, id] of ids.entries()) await db(table).where({ workshop_id: workshopId, id }).update({ position: index + 1 });
    },

    /** Back to screening: every score goes, and every link can score again. */
    async dropAllScores(workshopId: string): Promise<void> {
      await db('workshop_scores').where({ workshop_id: workshopId }).delete();
      await db('workshop_participants').where({ workshop_id: workshopId }).update({ submitted_on: null });
    },

    async addOption(workshopId: string, name: string, description: string | null): Promise<WorkshopOption> {
      const option = { id: crypto.randomUUID(), position: await nextPosition('workshop_options', workshopId), name, description };
      await db('workshop_options').insert({ ...option, workshop_id: workshopId });
      return option;
    },

    async addCriterion(workshopId: string, name: string, description: string | null, kind: CriterionKind): Promise<WorkshopCriterion> {
      const criterion = { id: crypto.randomUUID(), position: await nextPosition('workshop_criteria', workshopId), name, description, kind, weight: null };
      await db('workshop_criteria').insert({ ...criterion, workshop_id: workshopId });
      return criterion;
    },

    async options(workshopId: string): Promise<WorkshopOption[]> {
      const rows = await db('workshop_options').select('id', 'position', 'name', 'description').where({ workshop_id: workshopId }).orderBy('position');
      return rows.map((r: WorkshopOption) => ({ ...r, position: Number(r.position) }));
    },

    async criteria(workshopId: string): Promise<WorkshopCriterion[]> {
      const rows = await db('workshop_criteria').select('id', 'position', 'name', 'description', 'kind', 'weight').where({ workshop_id: workshopId }).orderBy('position');
      return rows.map((r: WorkshopCriterion) => ({ ...r, position: Number(r.position), weight: r.weight === null ? null : Number(r.weight) }));
    },

    async screenings(workshopId: string): Promise<Screening[]> {
      const rows = await db('workshop_screenings').select('option_id', 'criterion_id', 'reason').where({ workshop_id: workshopId });
      return rows.map((r: { option_id: string; criterion_id: string; reason: string }) => ({ optionId: r.option_id, criterionId: r.criterion_id, reason: r.reason }));
    },

    async replaceScreenings(workshopId: string, failures: Screening[]): Promise<void> {
      await db('workshop_screenings').where({ workshop_id: workshopId }).delete();
      if (failures.length > 0) {
        await db('workshop_screenings').insert(failures.map((f) => ({ workshop_id: workshopId, option_id: f.optionId, criterion_id: f.criterionId, reason: f.reason })));
      }
    },

    async setWeights(workshopId: string, weights: Map<string, number>): Promise<void> {
      for (const [criterionId, weight] of weights) {
        await db('workshop_criteria').where({ workshop_id: workshopId, id: criterionId }).update({ weight });
      }
    },

    async setPreferred(workshopId: string, scenario: PreferredScenario): Promise<void> {
      await db('workshops').where({ id: workshopId }).update({
        preferred_option_id: scenario.optionId, reasons: scenario.reasons, pros: scenario.pros, cons: scenario.cons,
        next_steps: scenario.nextSteps, decided_on: scenario.decidedOn,
      });
    },

    async createParticipants(workshopId: string, tokens: string[]): Promise<Participant[]> {
      const rows = tokens.map((token) => ({ id: crypto.randomUUID(), workshop_id: workshopId, token, submitted_on: null }));
      await db.batchInsert('workshop_participants', rows, 100);
      return rows.map((r) => ({ id: r.id, token: r.token, submittedOn: null }));
    },

    async participants(workshopId: string): Promise<Participant[]> {
      const rows = await db('workshop_participants').select('id', 'token', 'submitted_on').where({ workshop_id: workshopId }).orderBy('id');
      return rows.map((r: { id: string; token: string; submitted_on: string | null }) => ({ id: r.id, token: r.token, submittedOn: r.submitted_on }));
    },

    async participantByToken(token: string): Promise<(Participant & { workshopId: string; organisationId: string }) | null> {
      const row = await db('workshop_participants as p').join('workshops as w', 'w.id', 'p.workshop_id')
        .select('p.id', 'p.token', 'p.submitted_on', 'p.workshop_id', 'w.organisation_id').where('p.token', token).first();
      return row ? { id: row.id, token: row.token, submittedOn: row.submitted_on, workshopId: row.workshop_id, organisationId: row.organisation_id } : null;
    },

    /** Spends the link and stores its scores, without anything that ties them to it. 'used': spent already. */
    async storeScores(participantId: string, workshopId: string, day: string, scores: StoredScore[]): Promise<'stored' | 'used'> {
      const spent = await db('workshop_participants').where({ id: participantId, submitted_on: null }).update({ submitted_on: day });
      if (spent !== 1) return 'used';
      await db.batchInsert('workshop_scores', scores.map((s) => ({
        id: crypto.randomUUID(), workshop_id: workshopId, option_id: s.optionId, criterion_id: s.criterionId, score: s.score, remark: s.remark,
      })), 200);
      return 'stored';
    },

    async scores(workshopId: string): Promise<StoredScore[]> {
      // By id (random), so the order says nothing about who scored when.
      const rows = await db('workshop_scores').select('option_id', 'criterion_id', 'score', 'remark').where({ workshop_id: workshopId }).orderBy('id');
      return rows.map((r: { option_id: string; criterion_id: string; score: number; remark: string | null }) => ({
        optionId: r.option_id, criterionId: r.criterion_id, score: Number(r.score), remark: r.remark,
      }));
    },
  };
}
