import type { Knex } from 'knex';

// A team wave (mode "team") holds one shared record that its members edit as often as they
// like. Every save is a revision: the whole record as saved, what changed against the one
// before, who saved it and when. The current record is the highest revision. The primary
// key (wave, revision) is what makes two saves from the same base collide instead of one
// silently overwriting the other (optimistic concurrency, server/team-records/service.ts).
// A team record holds the organisation's facts, not a person's answers, so the moment of a
// save and the name of the member who made it are kept (it is not an anonymous wave).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('team_record_revisions', (t) => {
    t.string('wave_id', 36).notNullable().references('waves.id');
    t.integer('revision').notNullable();
    t.text('data').notNullable(); // JSON: the whole record after this save
    t.text('changes').notNullable(); // JSON: [{question, before, after}] against the previous revision
    t.string('saved_at', 24).notNullable(); // ISO moment
    t.string('author_kind', 16).notNullable(); // 'account' | 'link' | 'carried' (pre-filled from the previous round)
    t.string('author_label', 254).notNullable(); // the account's e-mail, the member link's name, or the round it came from
    t.primary(['wave_id', 'revision']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('team_record_revisions');
}
