import type { Knex } from 'knex';

// Networks of organisations (e.g. Valente's Landelijk Netwerk Vrouwenopvang) and their
// benchmark: the waves organisations opt in, the network role's accounts, and every set of
// organisations whose aggregate was shown per item (server/benchmarks/disclosure.ts), so
// that no later set can be subtracted from an earlier one to single one out.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('networks', (t) => {
    t.string('id', 36).primary();
    t.string('name', 200).notNullable().unique();
    t.integer('min_organisations').notNullable();
  });
  await knex.schema.createTable('network_members', (t) => {
    t.string('network_id', 36).notNullable().references('networks.id');
    t.string('organisation_id', 36).notNullable().references('organisations.id');
    t.primary(['network_id', 'organisation_id']);
  });
  // A user with the role "network" sees the aggregates of this network only.
  await knex.schema.createTable('network_users', (t) => {
    t.string('user_id', 36).primary(); // no foreign key: users are removed by deleting their row
    t.string('network_id', 36).notNullable().references('networks.id');
  });
  // One wave per organisation and instrument contributes to a network's benchmark.
  await knex.schema.createTable('benchmark_waves', (t) => {
    t.string('network_id', 36).notNullable().references('networks.id');
    t.string('organisation_id', 36).notNullable().references('organisations.id');
    t.string('instrument_key', 100).notNullable();
    t.string('wave_id', 36).notNullable().references('waves.id');
    t.primary(['network_id', 'organisation_id', 'instrument_key']);
    t.index(['wave_id']);
  });
  await knex.schema.createTable('benchmark_disclosures', (t) => {
    t.string('network_id', 36).notNullable().references('networks.id');
    t.string('instrument_key', 100).notNullable();
    t.string('item', 250).notNullable(); // question, or question.row
    t.string('set_hash', 64).notNullable();
    t.text('organisations').notNullable(); // the ids, sorted, comma-separated
    t.primary(['network_id', 'instrument_key', 'item', 'set_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['benchmark_disclosures', 'benchmark_waves', 'network_users', 'network_members', 'networks']) await knex.schema.dropTable(table);
}
