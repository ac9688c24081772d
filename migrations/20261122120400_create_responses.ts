import type { Knex } from 'knex';

// A response holds no IP address, user agent, referrer or time of day: only the day.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('responses', (t) => {
    t.string('id', 36).primary(); // random UUID, says nothing about order of arrival
    t.string('wave_id', 36).notNullable().references('waves.id');
    t.string('submission_id', 36).notNullable(); // made by the page; makes retries harmless
    t.string('submitted_on', 10).notNullable(); // YYYY-MM-DD
    t.text('data').notNullable(); // the validated SurveyJS result
    t.unique(['wave_id', 'submission_id']);
    t.index(['wave_id', 'submitted_on']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('responses');
}
