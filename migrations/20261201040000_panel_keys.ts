import type { Knex } from 'knex';

// A panel: the invitations of identified waves of one series that belong to the same person
// share a pseudonymous key (random; never shown, never derived from a name), so the same
// people's answers can be compared before and after (paired tests). Null: not in a panel.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invitations', (t) => {
    t.string('panel_key', 36).nullable();
    t.index(['panel_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invitations', (t) => {
    t.dropIndex(['panel_key']);
    t.dropColumn('panel_key');
  });
}
