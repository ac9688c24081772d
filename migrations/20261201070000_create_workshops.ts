import type { Knex } from 'knex';

// The positioning workshop (handleiding Organisatorische positionering, steps 4-8): a long
// list of options, criteria (knock-out, precondition, distinguishing), the screening that
// drops options with the reason kept, participants' scores of the shortlist on the
// distinguishing criteria, the weights the group sets and the preferred scenario.
//
// Scores carry no participant: a participant's link is spent when the scores are stored, so
// nobody (the facilitator included) can tell which scores came from which link.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('workshops', (t) => {
    t.string('id', 36).primary();
    t.string('organisation_id', 36).notNullable().references('organisations.id');
    t.string('title', 200).notNullable();
    t.text('purpose').nullable();
    t.string('status', 16).notNullable(); // preparing | scoring | plenary
    t.integer('min_participants').notNullable();
    t.string('preferred_option_id', 36).nullable();
    t.text('reasons').nullable();
    t.text('pros').nullable();
    t.text('cons').nullable();
    t.text('next_steps').nullable();
    t.string('decided_on', 10).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['organisation_id']);
  });
  await knex.schema.createTable('workshop_options', (t) => {
    t.string('id', 36).primary();
    t.string('workshop_id', 36).notNullable().references('workshops.id');
    t.integer('position').notNullable();
    t.string('name', 200).notNullable();
    t.text('description').nullable();
    t.index(['workshop_id']);
  });
  await knex.schema.createTable('workshop_criteria', (t) => {
    t.string('id', 36).primary();
    t.string('workshop_id', 36).notNullable().references('workshops.id');
    t.integer('position').notNullable();
    t.string('name', 200).notNullable();
    t.text('description').nullable();
    t.string('kind', 16).notNullable(); // knock-out | precondition | distinguishing
    t.integer('weight').nullable(); // the group's weight (distinguishing criteria), set in the plenary
    t.index(['workshop_id']);
  });
  // An option that fails a knock-out criterion, and why. No row: it passes.
  await knex.schema.createTable('workshop_screenings', (t) => {
    t.string('workshop_id', 36).notNullable().references('workshops.id');
    t.string('option_id', 36).notNullable().references('workshop_options.id');
    t.string('criterion_id', 36).notNullable().references('workshop_criteria.id');
    t.text('reason').notNullable();
    t.primary(['option_id', 'criterion_id']);
    t.index(['workshop_id']);
  });
  await knex.schema.createTable('workshop_participants', (t) => {
    t.string('id', 36).primary();
    t.string('workshop_id', 36).notNullable().references('workshops.id');
    t.string('token', 64).notNullable().unique();
    t.string('submitted_on', 10).nullable();
    t.index(['workshop_id']);
  });
  await knex.schema.createTable('workshop_scores', (t) => {
    t.string('id', 36).primary();
    t.string('workshop_id', 36).notNullable().references('workshops.id');
    t.string('option_id', 36).notNullable().references('workshop_options.id');
    t.string('criterion_id', 36).notNullable().references('workshop_criteria.id');
    t.integer('score').notNullable(); // -1 slecht, 0 matig, 1 goed
    t.text('remark').nullable();
    t.index(['workshop_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['workshop_scores', 'workshop_participants', 'workshop_screenings', 'workshop_criteria', 'workshop_options', 'workshops']) {
    await knex.schema.dropTable(table);
  }
}
