import type { Knex } from 'knex';

// Storing a submission got slower as a wave grew (bench/submissions.ts, SQLite: 900/s empty,
// 380/s at 20,000 responses) because of answers_by_wave (wave_id, question, row, value,
// response_id): response ids are random, so each answer row landed at a random place in
// its answer's run of that index and a batch of 64 submissions dirtied some 1,500 pages
// (~6 MB of WAL). Even without response_id, the end of every answer's run is a page of its
// own to rewrite per batch. So answers keep one index, by response (a response's rows sit
// together: one page per submission), and a wave's answers are reached through its
// responses: responses_by_wave (wave_id, submitted_on, id) gives a wave's response ids
// without reading the responses' rows, and still serves the responses per day.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('responses', (t) => {
    t.index(['wave_id', 'submitted_on', 'id'], 'responses_by_wave');
  });
  await knex.schema.alterTable('responses', (t) => {
    t.dropIndex(['wave_id', 'submitted_on']);
  });
  await knex.schema.alterTable('answers', (t) => {
    t.dropIndex([], 'answers_by_wave');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('answers', (t) => {
    t.index(['wave_id', 'question', 'row', 'value', 'response_id'], 'answers_by_wave');
  });
  await knex.schema.alterTable('responses', (t) => {
    t.index(['wave_id', 'submitted_on']);
  });
  await knex.schema.alterTable('responses', (t) => {
    t.dropIndex([], 'responses_by_wave');
  });
}
