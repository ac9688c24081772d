import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Scope } from '../auth/scope';

export type WaveMode = 'anonymous' | 'identified' | 'team';
export type WaveStatus = 'open' | 'closed';

export interface WaveRecord {
  id: string;
  organisationId: string;
  instrumentVersionId: string;
  instrumentKey: string;
  instrumentVersion: number;
  label: string;
  mode: WaveMode;
  series: string | null;
  minGroupSize: number;
  opensOn: string | null;
  closesOn: string | null;
  status: WaveStatus;
  publicToken: string | null;
  supportText: string | null;
  responses: number;
  /** Of `responses`, how many the results do not count yet (pending or held back: server/sealing/). */
  awaiting: number;
  /** Of `responses`, how many the results count (sealed and released). */
  counted: number;
  /** The day a result of this wave was first shown (the minimum group size can then only go up). */
  resultsShownOn: string | null;
}

interface Row {
  id: string; organisation_id: string; instrument_version_id: string; instrument_key: string; instrument_version: number;
  label: string; mode: WaveMode; series: string | null; min_group_size: number; opens_on: string | null;
  closes_on: string | null; status: WaveStatus; public_token: string | null; support_text: string | null;
  responses: number | string; awaiting: number | string; results_shown_on?: string | null;
}

const fromRow = (row: Row): WaveRecord => ({
  id: row.id,
  organisationId: row.organisation_id,
  instrumentVersionId: row.instrument_version_id,
  instrumentKey: row.instrument_key,
  instrumentVersion: Number(row.instrument_version),
  label: row.label,
  mode: row.mode,
  series: row.series,
  minGroupSize: Number(row.min_group_size),
  opensOn: row.opens_on,
  closesOn: row.closes_on,
  status: row.status,
  publicToken: row.public_token,
  supportText: row.support_text,
  responses: Number(row.responses),
  awaiting: Number(row.awaiting),
  counted: Number(row.responses) - Number(row.awaiting),
  resultsShownOn: row.results_shown_on ?? null,
});

export interface NewWave {
  id: string;
  organisationId: string;
  instrumentVersionId: string;
  label: string;
  mode: WaveMode;
  series: string | null;
  minGroupSize: number;
  opensOn: string | null;
  closesOn: string | null;
  status: WaveStatus;
  publicToken: string | null;
  supportText?: string | null;
}

export interface WavePatch {
  label?: string;
  status?: WaveStatus;
  closesOn?: string | null;
  supportText?: string | null;
}

export function createWaveRepository(db: Knex | Knex.Transaction) {
  const selectWaves = ({ countResponses = true } = {}) => db('waves as w')
    .join('instrument_versions as iv', 'iv.id', 'w.instrument_version_id')
    .select('w.*', 'iv.key as instrument_key', 'iv.version as instrument_version',
      // Sealed and still pending (server/sealing/): a total only, so the manager sees every stored response counted.
      countResponses ? db.raw('((select count(*) from responses r where r.wave_id = w.id) + (select count(*) from pending_responses p where p.wave_id = w.id)) as responses')
        : db.raw('0 as responses'),
      countResponses ? db.raw('(select count(*) from pending_responses p where p.wave_id = w.id) as awaiting') : db.raw('0 as awaiting'));

  const scoped = (query: Knex.QueryBuilder, scope: Scope) =>
    scope.organisationId === null ? query : query.where('w.organisation_id', scope.organisationId);

  return {
    async create(wave: NewWave): Promise<void> {
      await db('waves').insert({
        id: wave.id,
        organisation_id: wave.organisationId,
        instrument_version_id: wave.instrumentVersionId,
        label: wave.label,
        mode: wave.mode,
        series: wave.series,
        min_group_size: wave.minGroupSize,
        opens_on: wave.opensOn,
        closes_on: wave.closesOn,
        status: wave.status,
        public_token: wave.publicToken,
        support_text: wave.supportText ?? null,
      });
    },

    async list(scope: Scope): Promise<WaveRecord[]> {
      const rows = await scoped(selectWaves(), scope).orderBy([{ column: 'w.created_at', order: 'desc' }, 'w.label']);
      return rows.map(fromRow);
    },

    async findById(scope: Scope, id: string): Promise<WaveRecord | null> {
      const row = await scoped(selectWaves(), scope).where('w.id', id).first();
      return row ? fromRow(row) : null;
    },

    /**
     * Unscoped on purpose: a respondent holds the link, not an account. Every submission
     * looks its wave up here, so the responses are not counted (that reads the whole wave,
     * per submission): `responses` is 0 in what this returns.
     */
    async findByPublicToken(token: string): Promise<WaveRecord | null> {
      const row = await selectWaves({ countResponses: false }).where('w.public_token', token).first();
      return row ? fromRow(row) : null;
    },

    async update(scope: Scope, id: string, patch: WavePatch): Promise<boolean> {
      const changes: Record<string, unknown> = Object.create(null); // knex must not see inherited keys
      if (patch.label !== undefined) changes.label = patch.label;
      if (patch.status !== undefined) changes.status = patch.status;
      if (patch.closesOn !== undefined) changes.closes_on = patch.closesOn;
      if (patch.supportText !== undefined) changes.support_text = patch.supportText;
      if (Object.keys(changes).length === 0) return (await this.findById(scope, id)) !== null;
      const query = db('waves').where({ id });
      if (scope.organisationId !== null) query.andWhere({ organisation_id: scope.organisationId });
      return (await query.update(changes)) > 0;
    },

    /**
     * A new minimum group size, in one statement with its condition so that no result can
     * be shown in between: raised always; lowered only while the wave has shown no result.
     * 'refused' when it would be lowered after a result was shown; 'missing' when not found.
     */
    async setMinGroupSize(scope: Scope, id: string, size: number): Promise<'changed' | 'refused' | 'missing'> {
      const query = db('waves').where({ id })
        .andWhere((q) => q.where('min_group_size', '<=', size).orWhereNull('results_shown_on'));
      if (scope.organisationId !== null) query.andWhere({ organisation_id: scope.organisationId });
      if ((await query.update({ min_group_size: size })) > 0) return 'changed';
      return (await this.findById(scope, id)) ? 'refused' : 'missing';
    },

    /**
     * Gives the wave a new public link and retires the old one, in one transaction: the old
     * token is remembered (hashed) so that it answers 410, never opens a wave again. False
     * when the wave is out of scope or has no public link (identified waves).
     */
    async replacePublicToken(scope: Scope, id: string, newToken: string): Promise<boolean> {
      const run = async (trx: Knex | Knex.Transaction) => {
        const query = trx('waves').where({ id }).whereNotNull('public_token');
        if (scope.organisationId !== null) query.andWhere({ organisation_id: scope.organisationId });
        const row = await query.clone().first('public_token') as { public_token: string } | undefined;
        if (!row) return false;
        await trx('retired_links').insert({ token_hash: tokenHash(row.public_token), wave_id: id });
        return (await query.andWhere({ public_token: row.public_token }).update({ public_token: newToken })) === 1;
      };
      return db.transaction(run);
    },

    /** Retires a link (an invitation's, when it is reissued) in the caller's transaction. */
    async retireToken(waveId: string, token: string): Promise<void> {
      await db('retired_links').insert({ token_hash: tokenHash(token), wave_id: waveId });
    },

    /** Whether this token was a link that has been replaced (answered 410, not 404). */
    async isRetired(token: string): Promise<boolean> {
      return (await db('retired_links').where({ token_hash: tokenHash(token) }).first('wave_id')) !== undefined;
    },

    /** Responses per day while a wave runs: counts only, never who. */
    async countPerDay(waveId: string): Promise<Array<{ day: string; count: number }>> {
      const rows = (await db('responses').where({ wave_id: waveId })
        .select('submitted_on as day').count({ count: '*' }).groupBy('submitted_on').orderBy('submitted_on')) as Array<{ day: string; count: number | string }>;
      return rows.map((r) => ({ day: String(r.day), count: Number(r.count) }));
    },
  };
}

/** Retired links are kept as a hash: enough to recognise the link, useless to open anything. */
export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
