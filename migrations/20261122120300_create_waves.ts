import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('waves', (t) => {
    t.string('id', 36).primary();
    t.string('organisation_id', 36).notNullable().references('organisations.id');
    t.string('instrument_version_id', 36).notNullable().references('instrument_versions.id');
    t.string('label', 200).notNullable();
    t.string('mode', 16).notNullable(); // anonymous | identified
    t.string('series', 100).nullable();
    t.integer('min_group_size').notNullable().defaultTo(5);
    t.string('opens_on', 10).nullable(); // YYYY-MM-DD, Europe/Amsterdam
    t.string('closes_on', 10).nullable();
    t.string('status', 16).notNullable(); // open | closed
    t.string('public_token', 64).nullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['organisation_id']);
    t.index(['organisation_id', 'series']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('waves');
}
