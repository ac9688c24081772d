import type { Knex } from 'knex';

// Every distinct content of an instrument file is kept for good: waves point at the
// version they were created with, so editing a file never changes an old wave.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('instrument_versions', (t) => {
    t.string('id', 36).primary();
    t.string('key', 100).notNullable();
    t.integer('version').notNullable();
    t.string('title', 300).notNullable();
    t.string('hash', 64).notNullable();
    t.text('definition').notNullable();
    t.text('meta').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['key', 'version']);
    t.unique(['key', 'hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('instrument_versions');
}
