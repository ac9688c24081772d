// A database that stops answering, or that cannot write, must never hang Spiegel, make it
// answer 201 for a response it did not store, or let /healthz say ok.
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import request from 'supertest';
import knex, { Knex } from 'knex';
import { createApp, SpiegelApp } from '../../server/app';
import { loadConfig, DbTimeouts } from '../../server/config';
import { createLogger } from '../../server/log';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, migrateToLatest } from '../../server/db/connection';
import { createTestDb, onPostgres, TestDb } from '../helpers/db';
import { createTempDatabase, TempDatabase } from '../helpers/temp-database';
import { SURVEYS_DIR, PASSWORD, testInstrumentFiles, login, createWave, Account } from '../helpers/app';
import { ensureSetupCode, readSetupCode } from '../../server/startup/setup-code';
import { startSilentProxy, SilentProxy } from '../helpers/silent-proxy';
import { studentWithoutExperience } from '../helpers/tno';
import { sealPending } from '../helpers/seal';

// Short, so the test runs in seconds; the production defaults are in config.ts.
const TIMEOUTS: DbTimeouts = {
  writeMs: 1500, maxQueuedSubmissions: 4, connectMs: 500, acquireMs: 1000, statementMs: 4000,
  // Longer than writeMs: a write waiting for a lock outlasts the writer's patience, as a
  // write that never returns would.
  sqliteBusyMs: 6000,
};

interface OutageApp {
  app: SpiegelApp;
  dataDir: string;
  testDb: TestDb;
  /** The app's own connections (through the proxy, when there is one). */
  appDb: Knex;
  close(): Promise<void>;
}

/** The app on a migrated test database, with short timeouts, reaching PostgreSQL through `proxy` if given. */
async function outageApp(proxy?: SilentProxy): Promise<OutageApp> {
  const testDb = await createTestDb();
  const config = loadConfig({
    NODE_ENV: 'test', DATA_DIR: testDb.dataDir, JWT_SECRET: 'test-secret-that-is-long-enough-0123456789', SURVEYS_DIR,
    SPIEGEL_DB_TIMEOUTS: JSON.stringify(TIMEOUTS), PUBLIC_LINK_SUBMISSIONS_PER_MINUTE: '1000000',
  });
  const appDb = onPostgres
    ? createDb({ databaseUrl: proxy ? proxy.through(process.env.DATABASE_URL!) : process.env.DATABASE_URL!, pgSchema: testDb.schema, timeouts: config.dbTimeouts })
    : createDb({ databaseUrl: null, sqliteFile: testDb.file, timeouts: config.dbTimeouts });
  const sink = new Writable({ write(_chunk, _enc, done) { done(); } });
  const instruments = await createInstrumentCatalogue(testDb.db, testInstrumentFiles());
  const app = await createApp({ config, db: appDb, log: createLogger('silent', sink), instruments });
  ensureSetupCode(config.dataDir); // as server/index.ts does at a first start
  return { app, dataDir: config.dataDir, testDb, appDb, async close() { await appDb.destroy(); await testDb.close(); } };
}

/** First-run setup with the one-time code from DATA_DIR, as an operator would: the admin, logged in. */
async function setupAdmin(t: OutageApp): Promise<Account> {
  const res = await request(t.app).post('/api/v1/setup')
    .send({ organisation: 'Opvang Noord', email: 'beheer@opvang.test', password: PASSWORD, setupCode: readSetupCode(t.dataDir) });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return login(t.app, 'beheer@opvang.test');
}

/** A second connection, outside the app, that takes the lock a submission needs and holds it. */
async function holdWriteLock(testDb: TestDb): Promise<{ release(): Promise<void> }> {
  const holder = onPostgres
    ? knex({ client: 'pg', connection: process.env.DATABASE_URL, searchPath: [testDb.schema!], pool: { min: 1, max: 1 } })
    : knex({ client: 'sqlite3', connection: { filename: testDb.file! }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  if (onPostgres) {
    await holder.raw('BEGIN');
    // Reads (ACCESS SHARE) go on; inserts (ROW EXCLUSIVE) wait. Submissions are stored pending (server/sealing/).
    await holder.raw('LOCK TABLE pending_responses IN EXCLUSIVE MODE');
  } else {
    await holder.raw('BEGIN IMMEDIATE'); // SQLite's one write lock; readers go on (WAL)
  }
  return {
    async release() {
      await holder.raw('ROLLBACK');
      await holder.destroy();
    },
  };
}

describe('a database that stops answering or cannot write', () => {
  let t: OutageApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  let proxy: SilentProxy | undefined;
  const acknowledged: string[] = [];

  const submit = (submissionId = crypto.randomUUID()) =>
    request(t.app).post(`/s/${wave.token}/responses`).set('Content-Type', 'application/json')
      .send(JSON.stringify({ submissionId, data: studentWithoutExperience() }))
      .then((res) => { if (res.status === 201) acknowledged.push(submissionId); return res; });

  /** One submission, sent again with the same id after a 503 (at most three times), as the respondent's page would: its last status. */
  async function submitUntilAnswered(): Promise<number> {
    const submissionId = crypto.randomUUID();
    let status = 0;
    for (let i = 0; i < 3 && (status === 0 || status === 503); i++) status = (await submit(submissionId)).status;
    return status;
  }

  /** Every submission answered 201 is in the database, read without the proxy. */
  async function expectEveryAcknowledgedStored(): Promise<void> {
    await sealPending(t.testDb.db);
    const rows = await t.testDb.db('responses').where({ wave_id: wave.id }).select('submission_id');
    const stored = new Set(rows.map((r: { submission_id: string }) => r.submission_id));
    expect(acknowledged.filter((id) => !stored.has(id))).to.deep.equal([]);
  }

  /** /healthz, asked again while it reports a given-up transaction that has not ended yet. */
  async function healthOnceSettled(): Promise<request.Response> {
    for (let i = 0; ; i++) {
      const res = await request(t.app).get('/healthz');
      if (res.status === 200 || i === 40 || !/given up have not ended/.test(res.body.reason ?? '')) return res;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  afterEach(async () => {
    if (t) await t.close();
    t = undefined as unknown as OutageApp; // a skipped test leaves nothing to close
    await proxy?.close();
    proxy = undefined;
    acknowledged.length = 0;
  });

  describe('a writer stuck behind a lock it cannot get', () => {
    beforeEach(async () => {
      t = await outageApp();
      admin = await setupAdmin(t);
      wave = await createWave(t.app, admin);
    });

    it('answers every submission with a 503 and Retry-After instead of 201, refuses more than the queue holds, reports stuck, and stores again once the lock is gone', async () => {
      expect((await submit()).status).to.equal(201);
      const lock = await holdWriteLock(t.testDb);
      let released = false;
      try {
        const during = await Promise.all(Array.from({ length: 24 }, () => submit()));
        const statuses = during.map((res) => res.status);
        expect(statuses.filter((s) => s !== 503), JSON.stringify(statuses)).to.deep.equal([]);
        for (const res of during) {
          expect(res.headers['retry-after']).to.equal('10');
          expect(res.body.error.code).to.equal('service_unavailable');
        }
        // The queue is bounded: with one batch stuck, the ones beyond it are turned away at once.
        const busy = during.filter((res) => /druk/.test(res.body.error.message));
        expect(busy.length, 'refused because the queue was full').to.be.greaterThan(0);

        const health = await request(t.app).get('/healthz');
        expect(health.status).to.equal(503);
        expect(health.headers['retry-after']).to.equal('10');
        expect(health.body).to.include({ status: 'degraded', writes: 'stuck' });
        expect(health.body.reason).to.be.a('string');

        await lock.release();
        released = true;
      } finally {
        if (!released) await lock.release();
      }
      // No restart: the same app stores again. (A batch given up a moment ago may still be
      // ending, and a loaded machine may be slow: a respondent's page retries the same
      // submission, and so does this.)
      const after: number[] = [];
      for (let i = 0; i < 5; i++) after.push(await submitUntilAnswered());
      expect(after).to.deep.equal([201, 201, 201, 201, 201]);
      // A transaction given up while it waited for the lock may end a moment later (at the
      // latest at busy_timeout on SQLite); until it has, /healthz rightly says stuck.
      const health = await healthOnceSettled();
      expect(health.status, JSON.stringify(health.body)).to.equal(200);
      expect(health.body).to.deep.equal({ status: 'ok', db: onPostgres ? 'postgres' : 'sqlite', writes: 'ok' });
      await expectEveryAcknowledgedStored();
    });
  });

  describe('a PostgreSQL host that goes silent (a proxy that forwards nothing)', () => {
    before(function () { if (!onPostgres) this.skip(); });
    beforeEach(async () => {
      proxy = await startSilentProxy(new URL(process.env.DATABASE_URL!).hostname, Number(new URL(process.env.DATABASE_URL!).port || 5432));
      t = await outageApp(proxy);
      admin = await setupAdmin(t);
      wave = await createWave(t.app, admin);
    });

    it('answers submissions, pages and /healthz with a 503 while silent, never 201, and stores again after it answers again, without a restart', async () => {
      expect((await submit()).status).to.equal(201);
      proxy!.goSilent();
      const during = await Promise.all(Array.from({ length: 8 }, () => submit()));
      expect(during.map((res) => res.status)).to.deep.equal(Array(8).fill(503));
      expect(during.every((res) => res.headers['retry-after'] === '10')).to.equal(true);

      const health = await request(t.app).get('/healthz');
      expect(health.status).to.equal(503);
      expect(health.body).to.include({ status: 'degraded', db: 'postgres', writes: 'stuck' });

      // The respondent's page: a Dutch error page with a neutral title, not a hang or a 500.
      const page = await request(t.app).get(`/s/${wave.token}`).set('Accept', 'text/html');
      expect(page.status).to.equal(503);
      expect(page.headers['retry-after']).to.equal('10');
      // The respondent's layout: her neutral title and way out, also while the database is away.
      expect(page.text).to.contain('<title>Vragenlijst</title>').and.contain('Snel weg').and.contain('Probeer het over een paar seconden opnieuw');
      // And the API: JSON.
      const api = await request(t.app).get(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`);
      expect(api.status).to.equal(503);
      expect(api.body.error.code).to.equal('service_unavailable');

      proxy!.resume();
      // What was held back may still be delivered and committed; then only new submissions.
      const after: number[] = [];
      for (let i = 0; i < 5; i++) after.push(await submitUntilAnswered());
      expect(after).to.deep.equal([201, 201, 201, 201, 201]);
      const healthAfter = await healthOnceSettled();
      expect(healthAfter.status, JSON.stringify(healthAfter.body)).to.equal(200);
      await expectEveryAcknowledgedStored();
    });
  });

  describe('a database that cannot write', () => {
    it('answers submissions and /healthz with a 503 (writes failing) while the SQLite files are immutable, and stores again once they are not', async function () {
      if (onPostgres || !canMakeImmutable()) this.skip();
      t = await outageApp();
      admin = await setupAdmin(t);
      wave = await createWave(t.app, admin);
      expect((await submit()).status).to.equal(201);
      // The file system refuses every write to the database and its WAL, as a disk that went
      // read-only does (root ignores file modes; the immutable attribute binds root too).
      const files = [t.testDb.file!, `${t.testDb.file!}-wal`];
      execFileSync('chattr', ['+i', ...files]);
      try {
        const during = await Promise.all(Array.from({ length: 3 }, () => submit()));
        expect(during.map((res) => res.status)).to.deep.equal([503, 503, 503]);
        expect(during.every((res) => res.headers['retry-after'] === '10')).to.equal(true);
        const health = await request(t.app).get('/healthz');
        expect(health.status).to.equal(503);
        expect(health.body).to.include({ status: 'degraded', db: 'sqlite', writes: 'failing' });
      } finally {
        execFileSync('chattr', ['-i', ...files]);
      }
      // A connection that met the read-only file is renewed when it next fails: a retry of
      // the same submission (as the respondent's page makes) may be needed once per connection.
      const retried = crypto.randomUUID();
      const tries: number[] = [];
      while (tries.length < 4 && tries[tries.length - 1] !== 201) tries.push((await submit(retried)).status);
      expect(tries[tries.length - 1], JSON.stringify(tries)).to.equal(201);
      expect((await submit()).status).to.equal(201);
      expect((await request(t.app).get('/healthz')).status).to.equal(200);
      await expectEveryAcknowledgedStored();
    });

    describe('a PostgreSQL database turned read-only', () => {
      let temp: TempDatabase;
      let admin2: Knex;
      before(function () { if (!onPostgres) this.skip(); });
      afterEach(async () => {
        await admin2?.destroy();
        await temp?.drop();
      });

      it('answers submissions, pages and /healthz with a 503 (writes failing: read-only), and stores again once it is writable', async () => {
        temp = await createTempDatabase(process.env.DATABASE_URL!);
        const migrator = createDb({ databaseUrl: temp.url });
        await migrateToLatest(migrator);
        await migrator.destroy();
        const testDb: TestDb = { db: createDb({ databaseUrl: temp.url }), dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-ro-')), close: async () => {} };
        const config = loadConfig({
          NODE_ENV: 'test', DATA_DIR: testDb.dataDir, JWT_SECRET: 'test-secret-that-is-long-enough-0123456789', SURVEYS_DIR,
          SPIEGEL_DB_TIMEOUTS: JSON.stringify(TIMEOUTS), PUBLIC_LINK_SUBMISSIONS_PER_MINUTE: '1000000',
        });
        const appDb = createDb({ databaseUrl: temp.url, timeouts: config.dbTimeouts });
        const instruments = await createInstrumentCatalogue(testDb.db, testInstrumentFiles());
        const sink = new Writable({ write(_chunk, _enc, done) { done(); } });
        const app = await createApp({ config, db: appDb, log: createLogger('silent', sink), instruments });
        ensureSetupCode(config.dataDir);
        t = { app, dataDir: config.dataDir, testDb, appDb, async close() { await appDb.destroy(); await testDb.db.destroy(); fs.rmSync(testDb.dataDir, { recursive: true, force: true }); } };
        admin = await setupAdmin(t);
        wave = await createWave(t.app, admin);
        expect((await submit()).status).to.equal(201);

        // As after a failover onto a standby: every new session is read-only, the old ones end.
        admin2 = knex({ client: 'pg', connection: process.env.DATABASE_URL, pool: { min: 0, max: 1 } });
        const setReadOnly = async (on: boolean) => {
          await admin2.raw(`ALTER DATABASE ?? ${on ? 'SET default_transaction_read_only = on' : 'RESET default_transaction_read_only'}`, [temp.name]);
          await admin2.raw('select pg_terminate_backend(pid) from pg_stat_activity where datname = ? and pid <> pg_backend_pid()', [temp.name]);
        };
        await setReadOnly(true);
        const during: number[] = [];
        for (let i = 0; i < 3; i++) during.push((await submit()).status);
        expect(during).to.deep.equal([503, 503, 503]);
        const health = await request(t.app).get('/healthz');
        expect(health.status).to.equal(503);
        expect(health.body).to.deep.equal({
          status: 'degraded', db: 'postgres', writes: 'failing', reason: health.body.reason,
        });
        expect(health.body.reason).to.contain('read-only');

        await setReadOnly(false);
        const after: number[] = [];
        for (let i = 0; i < 3; i++) after.push((await submit()).status);
        // The first may meet a connection that was just ended: a 503, then 201s.
        expect(after.slice(1)).to.deep.equal([201, 201]);
        const healthAfter = await request(t.app).get('/healthz');
        expect(healthAfter.status, JSON.stringify(healthAfter.body)).to.equal(200);
        await expectEveryAcknowledgedStored();
      });
    });
  });
});

/** True when this process may set the immutable attribute (root on ext4 and the like). */
function canMakeImmutable(): boolean {
  const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-chattr-')), 'probe');
  fs.writeFileSync(probe, '');
  try {
    execFileSync('chattr', ['+i', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(path.dirname(probe), { recursive: true, force: true });
  }
}
