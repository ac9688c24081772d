import type { Knex } from 'knex';

// One row that /healthz updates in a transaction: the only honest answer to "could a
// response be stored now" is a write that commits (a read succeeds on a read-only or full
// database). It holds a counter only, no time and nothing about anyone.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('health_probe', (t) => {
    t.integer('id').primary();
    t.bigInteger('writes').notNullable().defaultTo(0);
  });
  await knex('health_probe').insert({ id: 1, writes: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('health_probe');
}
