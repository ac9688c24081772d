import type { Knex } from 'knex';

// Rate-limit counters shared by every app process on one PostgreSQL database, so that
// several processes behind a proxy give an attacker one budget, not one each. The key is
// an HMAC of the limiter's purpose and the address or e-mail it counts: no address or
// e-mail is stored. A row ends its window at reset_at (milliseconds since the epoch);
// expired rows are deleted.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limit_hits', (t) => {
    t.string('key_hash', 64).primary();
    t.integer('hits').notNullable();
    t.bigInteger('reset_at').notNullable();
    t.index(['reset_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limit_hits');
}
