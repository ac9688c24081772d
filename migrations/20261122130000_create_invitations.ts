import type { Knex } from 'knex';

// Identified waves are answered through single-use invitation links.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('invitations', (t) => {
    t.string('id', 36).primary();
    t.string('wave_id', 36).notNullable().references('waves.id');
    t.string('token', 64).notNullable().unique();
    t.string('name', 200).nullable(); // who it is for, when the manager wrote a name on the slip
    t.string('used_on', 10).nullable(); // YYYY-MM-DD once a response came in
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['wave_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('invitations');
}
