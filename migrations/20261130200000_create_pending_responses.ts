import type { Knex } from 'knex';

// Submissions wait here until they are sealed (server/sealing/): results do not read these
// tables, and sealing moves a batch of at least the wave's minimum into responses, answers
// and contact_requests in one transaction, in random order and with fresh random keys, so
// that a copy of the database neither orders responses by arrival nor links a contact to
// its response by transaction (xmin). Contacts wait apart from responses, written in a
// transaction of their own. submission_id makes a retry harmless while a row waits.
// On SQLite both tables are WITHOUT ROWID: rows are stored in the order of their random key.
export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client === 'pg') {
    await knex.schema.createTable('pending_responses', (t) => {
      t.string('id', 36).primary();
      t.string('wave_id', 36).notNullable().references('waves.id');
      t.string('invitation_id', 36).nullable();
      t.string('submission_id', 36).notNullable();
      t.string('submitted_on', 10).notNullable();
      t.text('data').notNullable();
      t.text('answers').notNullable(); // the long-format rows, as JSON
      t.unique(['wave_id', 'submission_id']);
    });
    await knex.schema.createTable('pending_contacts', (t) => {
      t.string('id', 36).primary();
      t.string('wave_id', 36).notNullable().references('waves.id');
      t.string('submission_id', 36).notNullable();
      t.text('details').notNullable();
      t.unique(['wave_id', 'submission_id']);
    });
    return;
  }
  await knex.raw(`CREATE TABLE pending_responses (
    id varchar(36) NOT NULL PRIMARY KEY,
    wave_id varchar(36) NOT NULL REFERENCES waves(id),
    invitation_id varchar(36) NULL,
    submission_id varchar(36) NOT NULL,
    submitted_on varchar(10) NOT NULL,
    data text NOT NULL,
    answers text NOT NULL,
    UNIQUE (wave_id, submission_id)
  ) WITHOUT ROWID`);
  await knex.raw(`CREATE TABLE pending_contacts (
    id varchar(36) NOT NULL PRIMARY KEY,
    wave_id varchar(36) NOT NULL REFERENCES waves(id),
    submission_id varchar(36) NOT NULL,
    details text NOT NULL,
    UNIQUE (wave_id, submission_id)
  ) WITHOUT ROWID`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('pending_contacts');
  await knex.schema.dropTable('pending_responses');
}
