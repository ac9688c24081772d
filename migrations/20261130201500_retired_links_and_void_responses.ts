import type { Knex } from 'knex';

// A manager can replace a wave's public link (junk came in through it) and reissue an
// invitation whose response was made void. The old link must then answer 410 with a
// neutral message, not 404, and never open a wave again: its token is remembered here as a
// SHA-256 hash (the token itself opened the wave; a hash of 144 random bits opens nothing).
//
// invitations.voided_on: the day the invitation's response was made void (identified waves).
// The response itself is deleted with its answers, so that no result, count or export can
// ever count it again; the invitation keeps only that it happened.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('retired_links', (t) => {
    t.string('token_hash', 64).primary();
    t.string('wave_id', 36).notNullable().references('waves.id');
  });
  await knex.schema.alterTable('invitations', (t) => {
    t.string('voided_on', 10).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invitations', (t) => {
    t.dropColumn('voided_on');
  });
  await knex.schema.dropTable('retired_links');
}
