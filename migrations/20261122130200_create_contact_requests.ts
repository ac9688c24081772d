import type { Knex } from 'knex';

// Contact details for a follow-up interview live apart from the answers: no response id,
// no date, and a random key. On SQLite the table is WITHOUT ROWID, so rows are stored in
// key order (random), not in order of arrival; on PostgreSQL the repository re-clusters
// the table on that key after each insert.
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.schema.createTable('contact_requests', (t) => {
      t.string('id', 36).primary();
      t.string('wave_id', 36).notNullable().references('waves.id');
      t.text('details').notNullable();
    });
    return;
  }
  await knex.raw(`CREATE TABLE contact_requests (
    id varchar(36) NOT NULL PRIMARY KEY,
    wave_id varchar(36) NOT NULL REFERENCES waves(id),
    details text NOT NULL
  ) WITHOUT ROWID`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('contact_requests');
}
