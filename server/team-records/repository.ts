import type { Knex } from 'knex';

/** Who saved a revision: a staff account, a member link, or the previous round it was carried from. */
export type AuthorKind = 'account' | 'link' | 'carried';

export interface RecordChange { question: string; before: unknown; after: unknown }

export interface RecordRevision {
  revision: number;
  data: Record<string, unknown>;
  changes: RecordChange[];
  savedAt: string;
  authorKind: AuthorKind;
  authorLabel: string;
}

interface Row { wave_id: string; revision: number | string; data: string; changes: string; saved_at: string; author_kind: AuthorKind; author_label: string }

const fromRow = (row: Row): RecordRevision => ({
  revision: Number(row.revision),
  data: JSON.parse(row.data) as Record<string, unknown>,
  changes: JSON.parse(row.changes) as RecordChange[],
  savedAt: row.saved_at,
  authorKind: row.author_kind,
  authorLabel: row.author_label,
});

export function createTeamRecordRepository(db: Knex | Knex.Transaction) {
  return {
    /** The current record (the highest revision), or null while nobody has saved. The caller checked the wave's scope. */
    async latest(waveId: string): Promise<RecordRevision | null> {
      const row = await db<Row>('team_record_revisions').where({ wave_id: waveId }).orderBy('revision', 'desc').first();
      return row ? fromRow(row) : null;
    },

    /** Every revision, oldest first. */
    async list(waveId: string): Promise<RecordRevision[]> {
      return (await db<Row>('team_record_revisions').where({ wave_id: waveId }).orderBy('revision', 'asc')).map(fromRow);
    },

    /**
     * Adds a revision. Two saves from the same base both try the same revision number; the
     * primary key lets exactly one of them in, and the other's insert fails (the service
     * answers it 409 with the record that won).
     */
    async insert(waveId: string, revision: Omit<RecordRevision, 'data' | 'changes'> & { data: Record<string, unknown>; changes: RecordChange[] }): Promise<void> {
      await db('team_record_revisions').insert({
        wave_id: waveId,
        revision: revision.revision,
        data: JSON.stringify(revision.data),
        changes: JSON.stringify(revision.changes),
        saved_at: revision.savedAt,
        author_kind: revision.authorKind,
        author_label: revision.authorLabel,
      });
    },
  };
}
