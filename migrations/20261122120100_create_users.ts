import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 36).primary();
    t.string('organisation_id', 36).notNullable().references('organisations.id');
    t.string('email', 254).notNullable().unique(); // stored lower-cased
    t.string('password_hash', 255).notNullable();
    t.string('role', 16).notNullable();
    // Bumped on logout, demotion or removal: tokens carry it, so old tokens stop working at once.
    t.integer('session_version').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['organisation_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
