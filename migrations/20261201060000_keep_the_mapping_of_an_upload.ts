import type { Knex } from 'knex';

// The mapping step's API (PUT /api/v1/imports/:id/mapping) keeps the manager's mapping with
// the file it belongs to, so that a later GET and the confirm use the same one. JSON text;
// null until a mapping has been sent (then the suggested one applies).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('csv_uploads', (t) => {
    t.text('mapping').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('csv_uploads', (t) => {
    t.dropColumn('mapping');
  });
}
