// Two admins who demote (or remove) each other at the same moment must leave one admin, not
// none. Raced for real, many times, on SQLite and on PostgreSQL.
import { expect } from 'chai';
import { createTestDb, TestDb } from '../helpers/db';
import { createStore, Store } from '../../server/store';
import { createAuthService, AuthService } from '../../server/auth/service';
import type { CurrentUser } from '../../server/auth/scope';
import type { Role } from '../../server/auth/tokens';

const ROUNDS = 40;

describe('the last admin, with two admins acting on each other at once', () => {
  let t: TestDb;
  let store: Store;
  let auth: AuthService;
  let organisationId: string;
  beforeEach(async () => {
    t = await createTestDb();
    store = createStore(t.db);
    auth = createAuthService(store, { jwtSecret: 'test-secret-that-is-long-enough-0123456789', tokenTtlSeconds: 3600, dataDir: t.dataDir });
    organisationId = (await store.repos.organisations.create('Opvang Noord')).id;
  });
  afterEach(() => t.close());

  const admin = async (email: string): Promise<CurrentUser> => {
    const user = await store.repos.users.create({ organisationId, email, passwordHash: 'not-a-login', role: 'admin' });
    return { id: user.id, email, role: 'admin', organisationId, networkId: null };
  };
  const outcome = (work: Promise<unknown>) => work.then(() => 'done', (err: { status?: number }) => err.status ?? err);
  const admins = () => store.repos.users.countAdmins();

  it('leaves one admin when each demotes the other at the same moment', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = [await admin(`a${round}@opvang.test`), await admin(`b${round}@opvang.test`)];
      await t.db('users').whereNotIn('id', [a.id, b.id]).delete();
      const results = await Promise.all([
        outcome(auth.changeRole(a, b.id, 'manager' as Role)),
        outcome(auth.changeRole(b, a.id, 'viewer' as Role)),
      ]);
      expect(await admins(), `round ${round}: ${results.join(', ')}`).to.equal(1);
      expect([...results].sort(), `round ${round}`).to.deep.equal([409, 'done']);
    }
  });

  it('leaves one admin when each removes the other at the same moment', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = [await admin(`a${round}@opvang.test`), await admin(`b${round}@opvang.test`)];
      await t.db('users').whereNotIn('id', [a.id, b.id]).delete();
      const results = await Promise.all([outcome(auth.removeUser(a, b.id)), outcome(auth.removeUser(b, a.id))]);
      expect(await admins(), `round ${round}: ${results.join(', ')}`).to.equal(1);
    }
  });

  it('leaves one admin when one admin is demoted and the other removed at the same moment', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = [await admin(`a${round}@opvang.test`), await admin(`b${round}@opvang.test`)];
      await t.db('users').whereNotIn('id', [a.id, b.id]).delete();
      await Promise.all([outcome(auth.changeRole(a, b.id, 'manager' as Role)), outcome(auth.removeUser(b, a.id))]);
      expect(await admins(), `round ${round}`).to.equal(1);
    }
  });
});
