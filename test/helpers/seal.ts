// Live submissions wait pending until sealed (server/sealing/): a batch of at least the
// wave's minimum, or all once the wave closes. Tests about something else (what is stored,
// the CSV export) seal everything first, as closing every wave would.
import type { Knex } from 'knex';
import { createRepositories } from '../../server/store';

export async function sealPending(db: Knex): Promise<void> {
  const repos = createRepositories(db);
  for (const { waveId } of await repos.pending.waiting()) {
    await db.transaction((trx) => createRepositories(trx).pending.sealResponses(waveId, { min: 0, all: true, limit: 1_000_000 }));
    await db.transaction((trx) => createRepositories(trx).pending.sealContacts(waveId));
  }
}
