import type { Knex } from 'knex';

// Indexes that let the results aggregate the answers table without reading its rows, for
// what the tallies do not hold (filters on other questions, comparisons by them):
// - answers_by_wave (wave_id, question, row, value, response_id) covers the counts per
//   answer and the respondents per filter answer; it replaces (wave_id, question, row,
//   value), of which it is an extension.
// - answers_by_response (response_id, question, row, value) finds a respondent's answers
//   when a comparison or filter joins answers on the response; it replaces (response_id),
//   which it also serves (the foreign key's lookups on delete).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('answers', (t) => {
    t.index(['wave_id', 'question', 'row', 'value', 'response_id'], 'answers_by_wave');
    t.index(['response_id', 'question', 'row', 'value'], 'answers_by_response');
  });
  await knex.schema.alterTable('answers', (t) => {
    t.dropIndex(['wave_id', 'question', 'row', 'value']);
    t.dropIndex(['response_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('answers', (t) => {
    t.index(['wave_id', 'question', 'row', 'value']);
    t.index(['response_id']);
  });
  await knex.schema.alterTable('answers', (t) => {
    t.dropIndex([], 'answers_by_wave');
    t.dropIndex([], 'answers_by_response');
  });
}
