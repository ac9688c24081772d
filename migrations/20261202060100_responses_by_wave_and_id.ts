import type { Knex } from 'knex';

// The columnar copies read a wave's response ids whenever the wave changed (migration
// 20261202060000, server/results/columns/): with this index from the index alone, without
// reading the rows (each holds the whole response as JSON). Ordered by the random ids, it
// says nothing about the order of arrival. It takes the place of responses_by_sealed_batch.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('responses', (t) => {
    t.index(['wave_id', 'id'], 'responses_by_wave_and_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('responses', (t) => {
    t.dropIndex([], 'responses_by_wave_and_id');
  });
}
