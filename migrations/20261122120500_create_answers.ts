import type { Knex } from 'knex';

// Long format: one row per answered question, matrix row or ticked choice, so that
// results are GROUP BY queries instead of loading every response into the process.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('answers', (t) => {
    t.string('response_id', 36).notNullable().references('responses.id').onDelete('CASCADE');
    t.string('wave_id', 36).notNullable().references('waves.id');
    t.string('question', 100).notNullable();
    t.string('row', 100).notNullable().defaultTo(''); // matrix row or multiple-text item; '' otherwise
    t.string('value', 200).nullable(); // a choice value (closed questions)
    t.text('text').nullable(); // free text (open questions); never indexed
    t.index(['wave_id', 'question', 'row', 'value']);
    t.index(['response_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('answers');
}
