import type { Knex } from 'knex';

// Support information shown to respondents; null means the default (Veilig Thuis).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('waves', (t) => {
    t.string('support_text', 1000).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('waves', (t) => {
    t.dropColumn('support_text');
  });
}
