import type { Knex } from 'knex';

// Every full (not k-anonymous) export of a wave: who asked, when, which wave. Only an admin
// can ask one; the record is what lets a works council see that it happened. The moment is
// about a member of staff, never about a respondent, so it may be finer than a day.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('full_exports', (t) => {
    t.string('id', 36).primary();
    t.string('wave_id', 36).notNullable().references('waves.id');
    t.string('user_id', 36).nullable(); // no foreign key: the record outlives a removed account
    t.string('user_email', 254).notNullable(); // who it was, as they were then
    t.string('exported_at', 24).notNullable(); // ISO moment
    t.index(['wave_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('full_exports');
}
