// An instrument published through one Spiegel process is offered by every other process on
// the same database at once, new versions too, without a restart. Two apps, each with its own
// connection pool and its own instrument catalogue (as two processes have), on one database:
// SQLite (one file) or, with DATABASE_URL, PostgreSQL.
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import request from 'supertest';
import type { Knex } from 'knex';
import { createApp, SpiegelApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { createDb } from '../../server/db/connection';
import { createInstrumentCatalogue, DEFAULT_REFRESH_EVERY_MS } from '../../server/instruments/catalogue';
import { createTestDb, onPostgres, TestDb } from '../helpers/db';
import { Account, login, prepareSetupCode, setupAdmin, SURVEYS_DIR, testInstrumentFiles } from '../helpers/app';
import { sealPending } from '../helpers/seal';

const definition = (title: string) => ({
  title,
  pages: [{ name: 'p1', elements: [
    { type: 'rating', name: 'score', title: 'Hoe tevreden bent u?', rateMin: 1, rateMax: 5, isRequired: true },
  ] }],
});

describe(`an instrument published in one process, used in another (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestDb;
  let poolB: Knex;
  let a: SpiegelApp;
  let b: SpiegelApp;
  let admin: Account;
  // Process B's clock, so that the throttle of its database check can be passed without waiting.
  let clockB = 0;

  before(async () => {
    t = await createTestDb();
    poolB = onPostgres
      ? createDb({ databaseUrl: process.env.DATABASE_URL!, pgSchema: t.schema })
      : createDb({ databaseUrl: null, sqliteFile: t.file! });
    const config = loadConfig({
      NODE_ENV: 'test', DATA_DIR: t.dataDir, JWT_SECRET: 'test-secret-that-is-long-enough-0123456789', SURVEYS_DIR,
      PUBLIC_LINK_SUBMISSIONS_PER_MINUTE: '1000000',
    });
    const log = createLogger('info', new Writable({ write(_chunk, _enc, done) { done(); } }));
    const sealing = { delayMs: 3_600_000, intervalMs: 0 };
    a = await createApp({ config, db: t.db, log, sealing, instruments: await createInstrumentCatalogue(t.db, testInstrumentFiles()) });
    const catalogueB = await createInstrumentCatalogue(poolB, testInstrumentFiles(), [], { now: () => clockB });
    b = await createApp({ config, db: poolB, log, sealing, instruments: catalogueB });
    prepareSetupCode(a, t.dataDir);
    admin = await setupAdmin(a);
  });

  after(async () => {
    await poolB?.destroy();
    await t?.close();
  });

  const bearer = () => ({ Authorization: `Bearer ${admin.token}` });

  it('offers B a key published through A at once, runs a wave of it on B, and stores B\'s submission', async () => {
    // B has read its list before the publication (its check is now throttled).
    const before = await request(b).get('/api/v1/instruments').set(bearer());
    expect(before.body.map((i: { key: string }) => i.key)).not.to.include('nieuw');

    const published = await request(a).post('/api/v1/instruments?key=nieuw').set(bearer()).send(definition('Nieuwe lijst'));
    expect(published.status, JSON.stringify(published.body)).to.equal(201);

    const shown = await request(b).get('/api/v1/instruments/nieuw').set(bearer());
    expect(shown.status, 'a key B does not know yet is looked up at once').to.equal(200);
    expect(shown.body).to.include({ key: 'nieuw', version: 1 });

    const wave = await request(b).post('/api/v1/waves').set(bearer()).send({ instrument: 'nieuw', label: 'Via B', mode: 'anonymous', minGroupSize: 3 });
    expect(wave.status, JSON.stringify(wave.body)).to.equal(201);
    expect(wave.body).to.include({ instrument: 'nieuw', version: 1 });

    expect((await request(b).get(`/s/${wave.body.token}`)).status).to.equal(200);
    const bad = await request(b).post(`/s/${wave.body.token}/responses`).send({ submissionId: crypto.randomUUID(), data: { score: 9 } });
    expect(bad.status, 'validated against the published definition').to.equal(422);
    for (const score of [2, 4, 5]) {
      const res = await request(b).post(`/s/${wave.body.token}/responses`).send({ submissionId: crypto.randomUUID(), data: { score } });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    await sealPending(t.db);
    const results = await request(a).get(`/api/v1/waves/${wave.body.id}/results`).set(bearer());
    expect(results.status).to.equal(200);
    expect(results.body.n).to.equal(3);
  });

  it('pins a wave created on B to the version A has just published, and B\'s list follows within its throttle', async () => {
    const listed = async () => (await request(b).get('/api/v1/instruments').set(bearer())).body
      .find((i: { key: string }) => i.key === 'nieuw')?.version;
    clockB += DEFAULT_REFRESH_EVERY_MS + 1;
    expect(await listed()).to.equal(1);

    const second = await request(a).post('/api/v1/instruments?key=nieuw').set(bearer()).send(definition('Nieuwe lijst, herzien'));
    expect(second.status, JSON.stringify(second.body)).to.equal(201);
    expect(second.body.version).to.equal(2);

    const wave = await request(b).post('/api/v1/waves').set(bearer()).send({ instrument: 'nieuw', label: 'Via B, versie 2', mode: 'anonymous', minGroupSize: 3 });
    expect(wave.status, JSON.stringify(wave.body)).to.equal(201);
    expect(wave.body.version, 'creating a wave checks the database whatever the throttle').to.equal(2);
    const res = await request(b).post(`/s/${wave.body.token}/responses`).send({ submissionId: crypto.randomUUID(), data: { score: 3 } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);

    clockB += DEFAULT_REFRESH_EVERY_MS + 1;
    expect(await listed(), 'the list after the throttle').to.equal(2);
    const shown = await request(b).get('/api/v1/instruments/nieuw').set(bearer());
    expect(shown.body).to.include({ version: 2, title: 'Nieuwe lijst, herzien' });
    // Logging in on B works on the same accounts (one database).
    expect((await login(b, 'beheer@opvang.test')).user.role).to.equal('admin');
  });

  it('keeps a draft checked on A\'s upload page in the database: B previews it, checks a send and publishes it', async () => {
    // One browser, two processes behind a load balancer: the session cookie is good on both.
    const loggedIn = await request(a).post('/login').type('form').send({ email: 'beheer@opvang.test', password: 'correct horse battery' });
    const cookie = String(loggedIn.headers['set-cookie']).match(/spiegel_session=[^;]+/)![0];
    const page = await request(a).get('/instruments').set('Cookie', cookie);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const checked = await request(a).post('/instruments/check').set('Cookie', cookie).type('form')
      .send({ _csrf: csrf, key: 'concept', definition: JSON.stringify(definition('Concept via A')) });
    expect(checked.status, checked.text.slice(0, 500)).to.equal(200);
    const draftId = /\/instruments\/drafts\/([A-Za-z0-9_-]+)\/publish/.exec(checked.text)![1];

    const onB = (path: string) => request(b).get(path).set('Cookie', cookie);
    const preview = await onB(`/instruments/drafts/${draftId}/preview`);
    expect(preview.status, 'B finds the draft A checked').to.equal(200);
    expect(preview.text).to.contain('Hoe tevreden bent u?');
    const sent = await request(b).post(`/instruments/drafts/${draftId}/responses`).send({ submissionId: crypto.randomUUID(), data: { score: 9 } });
    expect(sent.status, 'validated against the draft on B').to.equal(422);
    const published = await request(b).post(`/instruments/drafts/${draftId}/publish`).set('Cookie', cookie).type('form').send({ _csrf: csrf });
    expect(published.status, published.text.slice(0, 500)).to.equal(200);
    expect(published.text).to.contain('is gepubliceerd als versie 1');
    expect((await request(a).get('/api/v1/instruments/concept').set(bearer())).body).to.include({ key: 'concept', version: 1, title: 'Concept via A' });
    // Published once: the draft is gone on both.
    expect((await request(a).post(`/instruments/drafts/${draftId}/publish`).set('Cookie', cookie).type('form').send({ _csrf: csrf })).status).to.equal(404);
  });

  it('refuses to publish a new version of a file in surveys/: its versions come from the file', async () => {
    const res = await request(a).post('/api/v1/instruments?key=tno-quickscan').set(bearer()).send(definition('Vervangen'));
    expect(res.status).to.equal(422);
    expect(res.body.errors[0]).to.include({ rule: 'key' });
    expect(res.body.errors[0].message).to.contain('surveys/');
  });
});
