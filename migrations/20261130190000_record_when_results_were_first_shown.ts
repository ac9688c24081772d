import type { Knex } from 'knex';

// The day a wave first showed a result with numbers. Once set, the wave's minimum group
// size may be raised but not lowered: a lower minimum would show groups next to the ones
// already seen, and their difference could be a group below the minimum promised.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('waves', (t) => {
    t.string('results_shown_on', 10).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('waves', (t) => {
    t.dropColumn('results_shown_on');
  });
}
