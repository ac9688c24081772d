import type { Knex } from 'knex';

// What lets each process keep a columnar copy of a wave's answers current
// (server/results/columns/) and see another process's writes with one primary-key read:
// - waves.answers_version counts the transactions that added responses to the wave; each
//   such transaction raises it first (which locks the wave's row, so on PostgreSQL the
//   writers of one wave commit in the order of their numbers) and writes the number into
//   responses.sealed_batch of every response it adds. A copy at version v loads the
//   responses with sealed_batch > v, and nothing else.
// - waves.answers_epoch is raised when answers are deleted or changed (a voided response):
//   every copy of the wave is then rebuilt.
// The number says in which sealed batch a response came, no more than the order of the
// rows in the file already does (SQLite's rowid); within a batch the order is random.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('waves', (t) => {
    t.integer('answers_version').notNullable().defaultTo(0);
    t.integer('answers_epoch').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('responses', (t) => {
    t.integer('sealed_batch').notNullable().defaultTo(0);
    t.index(['wave_id', 'sealed_batch', 'id'], 'responses_by_sealed_batch');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('responses', (t) => {
    t.dropIndex([], 'responses_by_sealed_batch');
    t.dropColumn('sealed_batch');
  });
  await knex.schema.alterTable('waves', (t) => {
    t.dropColumn('answers_epoch');
    t.dropColumn('answers_version');
  });
}
