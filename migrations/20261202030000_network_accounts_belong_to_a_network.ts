import type { Knex } from 'knex';

// A network account (role "network") belonged formally to the admin's organisation, with a
// link to its network in network_users. It belongs to no organisation's data: it gets its
// network in users.network_id and no organisation, and a check keeps the two apart (a
// network account has a network and no organisation; every other account the reverse).
// No table references users, so SQLite may rebuild it to change the column. SQLite cannot add
// a check to a table it has; two triggers say the same there.
const CHECK = 'users_network_or_organisation';
const isPostgres = (knex: Knex) => ['pg', 'postgres', 'postgresql'].includes(String(knex.client.config.client));
const RULE = "(role = 'network' AND network_id IS NOT NULL AND organisation_id IS NULL) OR (role <> 'network' AND network_id IS NULL AND organisation_id IS NOT NULL)";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('network_id', 36).nullable().references('networks.id');
  });
  await knex.schema.alterTable('users', (t) => {
    t.string('organisation_id', 36).nullable().alter();
  });
  const links = await knex('network_users').select('user_id', 'network_id');
  for (const link of links as Array<{ user_id: string; network_id: string }>) {
    await knex('users').where({ id: link.user_id, role: 'network' }).update({ network_id: link.network_id, organisation_id: null });
  }
  // A network account without a network could see nothing; it cannot satisfy the check.
  await knex('users').where({ role: 'network' }).whereNull('network_id').delete();
  await knex.schema.alterTable('users', (t) => {
    t.index(['network_id']);
  });
  if (isPostgres(knex)) {
    await knex.schema.alterTable('users', (t) => { t.check(RULE, [], CHECK); });
  } else {
    for (const event of ['INSERT', 'UPDATE']) {
      await knex.raw(`CREATE TRIGGER ${CHECK}_${event.toLowerCase()} BEFORE ${event} ON users FOR EACH ROW WHEN NOT (${RULE.replace(/\b(role|network_id|organisation_id)\b/g, 'NEW.$1')}) BEGIN SELECT RAISE(ABORT, '${CHECK}'); END`);
    }
  }
  await knex.schema.dropTable('network_users');
}

export async function down(knex: Knex): Promise<void> {
  if (isPostgres(knex)) await knex.schema.alterTable('users', (t) => { t.dropChecks([CHECK]); });
  else for (const event of ['insert', 'update']) await knex.raw(`DROP TRIGGER ${CHECK}_${event}`);
  await knex.schema.createTable('network_users', (t) => {
    t.string('user_id', 36).primary();
    t.string('network_id', 36).notNullable().references('networks.id');
  });
  const accounts = await knex('users').select('id', 'network_id').where({ role: 'network' });
  if (accounts.length > 0) await knex('network_users').insert(accounts.map((a: { id: string; network_id: string }) => ({ user_id: a.id, network_id: a.network_id })));
  // As before: formally in an admin's organisation.
  const admin = await knex('users').select('organisation_id').where({ role: 'admin' }).orderBy('id').first();
  if (admin) await knex('users').where({ role: 'network' }).update({ organisation_id: admin.organisation_id });
  else await knex('users').where({ role: 'network' }).delete();
  await knex.schema.alterTable('users', (t) => {
    t.dropIndex(['network_id']);
  });
  await knex.schema.alterTable('users', (t) => {
    t.dropForeign(['network_id']);
  });
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('network_id');
    t.string('organisation_id', 36).notNullable().alter();
  });
}
