// Rate limits: setup per address (API and form together); on PostgreSQL one budget for all
// the processes of an installation, kept under hashed keys; refusal when the store fails.
import { expect } from 'chai';
import request from 'supertest';
import type { Knex } from 'knex';
import { createApp, SpiegelApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { createDb } from '../../server/db/connection';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { createTestApp, TestApp, PASSWORD, SURVEYS_DIR, testInstrumentFiles, setupAdmin } from '../helpers/app';
import { createTestDb, onPostgres, TestDb } from '../helpers/db';

describe('rate limits on first-run setup', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp(); });
  afterEach(() => t.close());

  it('refuses the eleventh setup attempt from one address within 15 minutes with 429, counting the form and the API together', async () => {
    // Attempts that fail validation, as a guesser's would: setup stays open all along.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(t.app).post('/api/v1/setup').send({ organisation: 'X', email: 'geen-adres', password: 'kort' })).status);
    for (let i = 0; i < 5; i++) statuses.push((await request(t.app).post('/setup').type('form').send({ organisation: 'X', email: 'geen-adres', password: 'kort' })).status);
    expect(statuses.every((s) => s !== 429), statuses.join(',')).to.equal(true);
    const api = await request(t.app).post('/api/v1/setup').send({ organisation: 'Opvang', email: 'a@b.test', password: PASSWORD });
    expect(api.status).to.equal(429);
    expect(api.body.error.code).to.equal('too_many_requests');
    expect((await request(t.app).post('/setup').type('form').send({ organisation: 'Opvang', email: 'a@b.test', password: PASSWORD })).status).to.equal(429);
    expect((await request(t.app).get('/setup')).status, 'the page itself stays readable').to.equal(200);
  });
});

(onPostgres ? describe : describe.skip)('rate limits shared by two app processes on one PostgreSQL database (PostgreSQL only)', () => {
  let testDb: TestDb;
  let otherDb: Knex;
  let a: SpiegelApp;
  let b: SpiegelApp;
  beforeEach(async () => {
    testDb = await createTestDb();
    // A second pool on the same schema: what a second process would have.
    otherDb = createDb({ databaseUrl: process.env.DATABASE_URL!, pgSchema: testDb.schema });
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: testDb.dataDir, JWT_SECRET: 'test-secret-that-is-long-enough-0123456789', SURVEYS_DIR });
    const build = async (db: Knex) => createApp({ config, db, log: createLogger('silent'), instruments: await createInstrumentCatalogue(db, testInstrumentFiles()) });
    a = await build(testDb.db);
    b = await build(otherDb);
    await setupAdmin(a);
  });
  afterEach(async () => {
    await otherDb.destroy();
    await testDb.close();
  });

  const wrongLogin = (app: SpiegelApp) => request(app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: 'niet het wachtwoord' });

  it('gives one account ten failed logins in all, whichever process they reach, then 429 on both', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await wrongLogin(i % 2 === 0 ? a : b)).status);
    expect(statuses).to.deep.equal(Array(10).fill(401));
    expect((await wrongLogin(a)).status).to.equal(429);
    expect((await wrongLogin(b)).status).to.equal(429);
  });

  it('gives one address ten setup attempts in all across the processes', async () => {
    // Setup is done (409) but every attempt counts, as a guesser's would: with the one
    // that set up, ten.
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await request(i % 2 === 0 ? a : b).post('/api/v1/setup').send({ organisation: 'X', email: 'x@y.test', password: PASSWORD })).status);
    expect(statuses.filter((s) => s === 429)).to.deep.equal([]);
    expect((await request(b).post('/api/v1/setup').send({ organisation: 'X', email: 'x@y.test', password: PASSWORD })).status).to.equal(429);
  });

  it('stores neither the address nor the e-mail: keys are HMACs', async () => {
    await wrongLogin(a);
    const rows = await testDb.db('rate_limit_hits').select('key_hash');
    expect(rows.length).to.be.at.least(2);
    for (const { key_hash: key } of rows as Array<{ key_hash: string }>) {
      expect(key).to.match(/^[0-9a-f]{64}$/);
    }
    const dump = JSON.stringify(await testDb.db('rate_limit_hits').select('*'));
    expect(dump).not.to.contain('127.0.0.1').and.not.contain('beheer').and.not.contain('opvang');
  });

  it('refuses a login with 503 and Retry-After when the store fails, rather than letting it through uncounted', async () => {
    await testDb.db.schema.renameTable('rate_limit_hits', 'rate_limit_hits_gone');
    try {
      const res = await request(a).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: PASSWORD });
      expect(res.status).to.equal(503);
      expect(res.headers['retry-after']).to.match(/^\d+$/);
      expect(res.body.error.code).to.equal('limits_unavailable');
    } finally {
      await testDb.db.schema.renameTable('rate_limit_hits_gone', 'rate_limit_hits');
    }
  });
});
