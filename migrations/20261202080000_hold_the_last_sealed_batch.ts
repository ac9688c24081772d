import type { Knex } from 'knex';

// A sealed batch of an anonymous wave is held back from the results until the next batch
// comes in or the wave closes (server/sealing/, docs/privacy.md, rule 9): closing then adds
// the held batch and the few still pending together, never fewer than the minimum after what
// a reader already saw. Held rows stay in pending_responses, which results do not read; a
// batch is held by writing it again there, in random order with fresh random keys and
// held = true, in one transaction (what sealing gives a batch in responses).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('pending_responses', (t) => {
    t.boolean('held').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  // Plain SQL on both: knex rebuilds a SQLite table to drop a column, and would lose WITHOUT ROWID.
  await knex.raw('ALTER TABLE pending_responses DROP COLUMN held');
}
