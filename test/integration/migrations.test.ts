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
});
