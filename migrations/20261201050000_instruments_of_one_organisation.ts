import type { Knex } from 'knex';

// An instrument uploaded by a manager belongs to that manager's organisation: nobody else
// sees it. Files in surveys/ and uploads by an admin for everyone have no organisation.
// No foreign key: SQLite can add one only by rebuilding the table, which the waves reference
// (the rebuild's DROP TABLE then fails on an installation with waves). Organisations are never
// deleted, so the key would guard nothing in practice.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instrument_versions', (t) => {
    t.string('organisation_id', 36).nullable();
    t.index(['organisation_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instrument_versions', (t) => {
    t.dropIndex(['organisation_id']);
    t.dropColumn('organisation_id');
  });
}
