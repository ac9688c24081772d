import type { Knex } from 'knex';

// The columnar copies of the results (server/results/columns/) no longer need a stored
// order of the sealed batches, nor a lock on the wave's row per submission:
// - responses.sealed_batch is dropped. It was the one place where the order of the seal
//   batches was still written down (the keys are random); a copy now finds the responses
//   it lacks by the difference between the wave's ids and the ones it holds.
// - waves.answers_version is dropped for wave_answer_changes: per wave a few counters
//   ("stripes"), of which a transaction that adds responses raises one at random, just
//   before its commit. Their sum changes with every such commit, which is all a copy needs
//   to know; two writers of one wave wait for each other only when they pick the same
//   stripe, and then only for the moment until the first commits (on PostgreSQL; SQLite
//   has one writer at a time anyway).
// waves.answers_epoch stays: it is raised when answers are deleted (a void).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('wave_answer_changes', (t) => {
    t.string('wave_id', 36).notNullable().references('waves.id').onDelete('CASCADE');
    t.integer('stripe').notNullable();
    t.integer('n').notNullable().defaultTo(0);
    t.primary(['wave_id', 'stripe']);
  });
  if (knex.client.config.client === 'pg') {
    // PostgreSQL keeps a dropped column's values in the rows until they are rewritten: a
    // zero first, so that the live rows no longer hold the numbers (the old row versions
    // go at the next VACUUM, as the pending rows do; docs/privacy.md).
    await knex('responses').update({ sealed_batch: 0 });
  }
  await knex.raw('drop index responses_by_sealed_batch');
  // SQLite (3.35+) rewrites the table without the column.
  await knex.raw('alter table responses drop column sealed_batch');
  await knex.raw('alter table waves drop column answers_version');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('waves', (t) => {
    t.integer('answers_version').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('responses', (t) => {
    t.integer('sealed_batch').notNullable().defaultTo(0);
    t.index(['wave_id', 'sealed_batch', 'id'], 'responses_by_sealed_batch');
  });
  await knex.schema.dropTable('wave_answer_changes');
}
