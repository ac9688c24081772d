import type { Knex } from 'knex';

// Only identified waves fill this in; an anonymous response never points at anyone.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('responses', (t) => {
    t.string('invitation_id', 36).nullable().references('invitations.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('responses', (t) => {
    t.dropColumn('invitation_id');
  });
}
