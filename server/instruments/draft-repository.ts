// The only code that touches instrument_drafts: instruments checked on the upload page and
// not yet published (drafts.ts says why they are in the database).
import type { Knex } from 'knex';
import type { InstrumentFile } from './instrument-file';

export interface DraftRecord {
  id: string;
  userId: string;
  /** What was uploaded, as parsed JSON: published as it is. */
  body: unknown;
  key: string | undefined;
  organisationId: string | undefined;
  /** The checked instrument: what the preview shows and validates against. */
  file: InstrumentFile;
  createdAt: number;
  expiresAt: number;
}

interface Row {
  id: string; user_id: string; organisation_id: string | null; key: string | null; body: string; file: string;
  created_at: number | string; expires_at: number | string;
}

const fromRow = (row: Row): DraftRecord => ({
  id: row.id,
  userId: row.user_id,
  body: JSON.parse(row.body),
  key: row.key ?? undefined,
  organisationId: row.organisation_id ?? undefined,
  file: JSON.parse(row.file) as InstrumentFile,
  // bigint comes back as text from PostgreSQL.
  createdAt: Number(row.created_at),
  expiresAt: Number(row.expires_at),
});

export function createDraftRepository(db: Knex | Knex.Transaction) {
  return {
    async insert(draft: DraftRecord): Promise<void> {
      await db('instrument_drafts').insert({
        id: draft.id, user_id: draft.userId, organisation_id: draft.organisationId ?? null, key: draft.key ?? null,
        body: JSON.stringify(draft.body), file: JSON.stringify(draft.file), created_at: draft.createdAt, expires_at: draft.expiresAt,
      });
    },

    /** The draft if it has not expired at `now`. */
    async find(id: string, now: number): Promise<DraftRecord | null> {
      const row = await db<Row>('instrument_drafts').where({ id }).andWhere('expires_at', '>', now).first();
      return row ? fromRow(row) : null;
    },

    async remove(id: string): Promise<void> {
      await db('instrument_drafts').where({ id }).delete();
    },

    /** Deletes the expired drafts, then all but the newest `keep` (so uploads cannot fill the disk within the hour). */
    async purge(now: number, keep: number): Promise<void> {
      await db('instrument_drafts').where('expires_at', '<=', now).delete();
      const newest = await db('instrument_drafts').select('id').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(keep);
      if (newest.length < keep) return;
      await db('instrument_drafts').whereNotIn('id', newest.map((r: { id: string }) => r.id)).delete();
    },
  };
}

export type DraftRepository = ReturnType<typeof createDraftRepository>;
