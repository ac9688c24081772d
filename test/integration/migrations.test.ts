import { expect } from 'chai';
import { createTestDb, TestDb } from '../helpers/db';
import { migrationSource } from '../../migrations';

describe('migrations', () => {
  let t: TestDb;
  before(async () => { t = await createTestDb({ migrate: false }); });
  after(async () => t.close());

  it('apply from nothing, roll back completely and apply again', async () => {
    await t.db.migrate.latest({ migrationSource });
    expect(await t.db.schema.hasTable('answers')).to.equal(true);
    await t.db.migrate.rollback({ migrationSource }, true);
    expect(await t.db.schema.hasTable('organisations')).to.equal(false);
    await t.db.migrate.latest({ migrationSource });
    expect(await t.db.schema.hasTable('responses')).to.equal(true);
  });

  it('moves a network account out of the admin\'s organisation into its network, and keeps it there', async () => {
    const db = t.db;
    await db.migrate.rollback({ migrationSource }, true);
    const names = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
    // Up to the migration before: the account formally in the admin's organisation, linked in network_users.
    for (const name of names.slice(0, names.indexOf('20261202030000_network_accounts_belong_to_a_network'))) await db.migrate.up({ migrationSource, name });
    await db('organisations').insert({ id: 'org-1', name: 'Opvang Noord' });
    await db('users').insert([
      { id: 'u-admin', organisation_id: 'org-1', email: 'beheer@noord.test', password_hash: 'x', role: 'admin' },
      { id: 'u-net', organisation_id: 'org-1', email: 'netwerk@noord.test', password_hash: 'x', role: 'network' },
    ]);
    await db('networks').insert({ id: 'net-1', name: 'Netwerk', min_organisations: 5 });
    await db('network_users').insert({ user_id: 'u-net', network_id: 'net-1' });
    await db.migrate.latest({ migrationSource });
    expect(await db('users').select('id', 'organisation_id', 'network_id').orderBy('id')).to.deep.equal([
      { id: 'u-admin', organisation_id: 'org-1', network_id: null },
      { id: 'u-net', organisation_id: null, network_id: 'net-1' },
    ]);
    expect(await db.schema.hasTable('network_users')).to.equal(false);
    // Neither both, nor neither, nor a network without the role: refused by the database itself.
    const refused = (row: object) => db('users').insert({ password_hash: 'x', ...row }).then(() => 'stored', () => 'refused');
    expect(await refused({ id: 'a', email: 'a@t', role: 'network', organisation_id: 'org-1', network_id: 'net-1' })).to.equal('refused');
    expect(await refused({ id: 'b', email: 'b@t', role: 'network' })).to.equal('refused');
    expect(await refused({ id: 'c', email: 'c@t', role: 'viewer', network_id: 'net-1', organisation_id: 'org-1' })).to.equal('refused');
    expect(await refused({ id: 'd', email: 'd@t', role: 'viewer' })).to.equal('refused');
    expect(await db('users').where({ id: 'u-net' }).update({ role: 'manager' }).then(() => 'stored', () => 'refused')).to.equal('refused');
    expect(await refused({ id: 'e', email: 'e@t', role: 'viewer', organisation_id: 'org-1' })).to.equal('stored');
    // And back: the account returns to the admin's organisation.
    await db.migrate.down({ migrationSource, name: '20261202030000_network_accounts_belong_to_a_network' });
    expect(await db('users').where({ id: 'u-net' }).first()).to.include({ organisation_id: 'org-1' });
    expect(await db('network_users').select('user_id', 'network_id')).to.deep.equal([{ user_id: 'u-net', network_id: 'net-1' }]);
    await db.migrate.latest({ migrationSource });
  });
});
