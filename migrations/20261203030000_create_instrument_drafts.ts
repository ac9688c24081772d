import type { Knex } from 'knex';

// Instruments checked on the upload page but not yet published (server/instruments/drafts.ts).
// They were kept in one process's memory, so with several processes behind a load balancer
// the preview or the publish step could land on a process that never saw the check. A draft
// belongs to the member of staff who checked it (removed with the account); `body` is the
// JSON as uploaded (published as it is), `file` the checked instrument (what the preview
// shows and validates against). Times are milliseconds since the epoch, compared as numbers
// on both databases; expired rows are deleted when a new draft is added.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('instrument_drafts', (t) => {
    t.string('id', 32).primary();
    t.string('user_id', 36).notNullable().references('users.id').onDelete('CASCADE');
    // The organisation chosen on the form to publish for (checked at publish), or null.
    t.string('organisation_id', 36).nullable();
    t.string('key', 100).nullable();
    t.text('body').notNullable();
    t.text('file').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.index(['expires_at']);
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('instrument_drafts');
}
