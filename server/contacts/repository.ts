import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { dialectName } from '../db/dialect';

export function createContactRepository(db: Knex | Knex.Transaction) {
  /**
   * Stores contact details with no link to a response and no date. On PostgreSQL the
   * table is rewritten in the order of its random key, so the physical order of rows
   * does not reveal the order in which they (and the responses) arrived; several at once
   * (group commit) rewrite it once.
   */
  const addMany = async (contacts: ReadonlyArray<{ waveId: string; details: Record<string, string> }>): Promise<void> => {
    if (contacts.length === 0) return;
    await db('contact_requests').insert(contacts.map((c) => ({ id: crypto.randomUUID(), wave_id: c.waveId, details: JSON.stringify(c.details) })));
    if (dialectName(db) === 'postgres') await db.raw('CLUSTER contact_requests USING contact_requests_pkey');
  };

  return {
    addMany,
    async add(waveId: string, details: Record<string, string>): Promise<void> {
      await addMany([{ waveId, details }]);
    },

    /** The list for the manager's page, with the ids its remove buttons name, in key order (random). */
    async listWithIds(waveId: string): Promise<Array<{ id: string; details: Record<string, string> }>> {
      const rows = await db('contact_requests').where({ wave_id: waveId }).orderBy('id').select('id', 'details');
      return rows.map((r: { id: string; details: string }) => ({ id: r.id, details: JSON.parse(r.details) }));
    },

    /**
     * Deletes contact requests of a wave (one, or all when id is null) so that they cannot be
     * read back from the database files: docs/privacy.md promises that a removed contact is
     * gone. SQLite: secure_delete overwrites the freed bytes on the delete's own connection
     * (a transaction holds one), and a checkpoint then copies the overwritten pages into the
     * database file and empties the WAL, which still held the row as it was written.
     * PostgreSQL: the table is rewritten (CLUSTER, as after every insert), so the dead row
     * versions go with the old file. Returns how many were deleted.
     */
    async remove(waveId: string, id: string | null): Promise<number> {
      const deleted = await db.transaction(async (trx) => {
        if (dialectName(trx) === 'sqlite') await trx.raw('PRAGMA secure_delete = ON');
        const query = trx('contact_requests').where({ wave_id: waveId });
        if (id !== null) query.andWhere({ id });
        const n = await query.delete();
        // Only this delete needs it; the connection goes back to the pool as it was.
        if (dialectName(trx) === 'sqlite') await trx.raw('PRAGMA secure_delete = OFF');
        return n;
      });
      if (deleted > 0) {
        if (dialectName(db) === 'postgres') await db.raw('CLUSTER contact_requests USING contact_requests_pkey');
        else if (!('isTransaction' in db && db.isTransaction)) await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
      }
      return deleted;
    },

    /** The list for the manager, in key order, which is random. */
    async listForWave(waveId: string): Promise<Array<Record<string, string>>> {
      const rows = await db('contact_requests').where({ wave_id: waveId }).orderBy('id').select('details');
      return rows.map((r: { details: string }) => JSON.parse(r.details));
    },
  };
}
