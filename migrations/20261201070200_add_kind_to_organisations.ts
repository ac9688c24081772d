import type { Knex } from 'knex';

// What kind of organisation it is: a shelter or care organisation ("opvang", every existing
// one) or a municipality ("gemeente", which runs the Movisie route: surveys/movisie-gemeente.json).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('organisations', (t) => {
    t.string('kind', 16).notNullable().defaultTo('opvang');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('organisations', (t) => {
    t.dropColumn('kind');
  });
}
