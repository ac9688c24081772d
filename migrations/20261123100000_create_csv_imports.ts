import type { Knex } from 'knex';

// Every CSV import into a wave: who, when, how many rows, and the hash of the file. The
// unique (wave, hash) pair is the backstop that keeps one file from being imported twice.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('csv_imports', (t) => {
    t.string('id', 36).primary();
    t.string('wave_id', 36).notNullable().references('waves.id');
    t.string('user_id', 36).nullable(); // no foreign key: the record outlives a removed account
    t.string('user_email', 254).notNullable(); // who it was, as they were then
    t.string('imported_at', 24).notNullable(); // ISO moment; about the manager, never a respondent
    t.integer('rows').notNullable();
    t.string('file_hash', 64).notNullable(); // SHA-256 of the text, BOM and line ends normalised
    t.string('file_name', 200).nullable();
    t.unique(['wave_id', 'file_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('csv_imports');
}
