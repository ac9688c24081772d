// The write that /healthz makes: one counter in one row (migration create_health_probe).
import type { Knex } from 'knex';

export function createHealthRepository(db: Knex | Knex.Transaction) {
  return {
    async recordProbe(): Promise<void> {
      await db('health_probe').where({ id: 1 }).increment('writes', 1);
    },
  };
}
