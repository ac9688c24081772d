import type { Knex } from 'knex';

// Scoring of a workshop can be reopened after the plenary view was shown. The view then
// shows the scores of more participants than before, and the difference between the two is
// the scores of those who joined. workshops.shown_participants is how many had submitted when
// the view was last shown: closing again needs no new submissions or at least the minimum of
// them, so that the difference never singles out fewer than the minimum (server/workshops/).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('workshops', (t) => {
    t.integer('shown_participants').notNullable().defaultTo(0);
  });
  // A workshop already in its plenary has shown the scores of everyone who submitted.
  await knex('workshops').where({ status: 'plenary' }).update({
    shown_participants: knex('workshop_participants').count('*').whereNotNull('submitted_on').where('workshop_id', knex.ref('workshops.id')),
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('workshops', (t) => {
    t.dropColumn('shown_participants');
  });
}
