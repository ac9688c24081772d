import type { Knex } from 'knex';

// A file waiting in the import's mapping step. It lives in the database, not on disk,
// so that several app processes on one PostgreSQL database see the same upload. Uploads
// are removed when imported and after a day at the latest.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('csv_uploads', (t) => {
    t.string('id', 36).primary();
    t.string('wave_id', 36).notNullable().references('waves.id');
    t.string('user_id', 36).notNullable();
    t.string('file_name', 200).nullable();
    t.text('content').notNullable(); // the file's bytes as base64: kept exactly as uploaded
    t.string('created_at', 24).notNullable(); // ISO moment, compared as text on both databases
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('csv_uploads');
}
