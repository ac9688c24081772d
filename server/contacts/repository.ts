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

    /** The list for the manager, in key order, which is random. */
    async listForWave(waveId: string): Promise<Array<Record<string, string>>> {
      const rows = await db('contact_requests').where({ wave_id: waveId }).orderBy('id').select('details');
      return rows.map((r: { details: string }) => JSON.parse(r.details));
    },
  };
}
