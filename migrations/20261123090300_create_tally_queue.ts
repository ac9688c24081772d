import type { Knex } from 'knex';

// Responses whose answers are stored but not yet in answer_tallies. A submission only adds
// its id here (one small row instead of ~180 tally upserts in the submission transaction);
// the results fold the queue into the tallies, in one GROUP BY per batch, before they read
// them. A row lives only until the next fold.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tally_queue', (t) => {
    t.string('wave_id', 36).notNullable().references('waves.id');
    t.string('response_id', 36).notNullable().references('responses.id').onDelete('CASCADE');
    t.primary(['wave_id', 'response_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tally_queue');
}
