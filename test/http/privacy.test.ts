// The rules of docs/privacy.md, each with a test that fails when the rule is broken.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { studentWithoutExperience } from '../helpers/tno';
import { onPostgres } from '../helpers/db';
import { sealPending } from '../helpers/seal';

const MARKER_UA = 'Spiegel-Marker-UA/7.3 (privacy test)';
const MARKER_IP = '198.51.100.213';
const MARKER_REFERER = 'https://referrer.example/marker-page';

describe('anonymity by construction', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;

  beforeEach(async () => {
    // Behind a proxy, so that the marker address really becomes the request's IP.
    t = await createTestApp({ TRUST_PROXY: 'true' });
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin);
  });
  afterEach(async () => t.close());

  const submitAsMarkedRespondent = async (data: Record<string, unknown>) => {
    await request(t.app).get(`/s/${wave.token}`).set('User-Agent', MARKER_UA).set('X-Forwarded-For', MARKER_IP).set('Referer', MARKER_REFERER);
    return request(t.app).post(`/s/${wave.token}/responses`)
      .set('User-Agent', MARKER_UA).set('X-Forwarded-For', MARKER_IP).set('Referer', MARKER_REFERER).set('Cookie', 'tracking=marker-cookie')
      .send({ submissionId: crypto.randomUUID(), data });
  };

  /** Every row of every table, as text. */
  async function everythingStored(): Promise<string> {
    const tables = onPostgres
      ? (await t.testDb.db.raw('SELECT tablename AS name FROM pg_tables WHERE schemaname = ?', [t.testDb.schema!])).rows
      : await t.testDb.db.raw("SELECT name FROM sqlite_master WHERE type = 'table'");
    const dump: unknown[] = [];
    for (const { name } of tables as Array<{ name: string }>) dump.push(await t.testDb.db(name).select('*'));
    return JSON.stringify(dump);
  }

  it('stores no IP address, user agent, referrer or cookie anywhere: not in the database file, not in the log', async () => {
    expect((await submitAsMarkedRespondent(studentWithoutExperience())).status).to.equal(201);
    const stored = await everythingStored();
    for (const marker of [MARKER_UA, 'Spiegel-Marker-UA', MARKER_IP, 'referrer.example', 'marker-cookie']) {
      expect(stored, marker).not.to.contain(marker);
      expect(t.logLines.join('\n'), marker).not.to.contain(marker);
    }
    if (t.testDb.file) {
      await t.testDb.db.raw('PRAGMA wal_checkpoint(FULL)');
      for (const file of fs.readdirSync(path.dirname(t.testDb.file))) {
        const bytes = fs.readFileSync(path.join(path.dirname(t.testDb.file), file));
        for (const marker of ['Spiegel-Marker-UA', MARKER_IP, 'referrer.example', 'marker-cookie']) {
          expect(bytes.includes(Buffer.from(marker)), `${marker} in ${file}`).to.equal(false);
        }
      }
    }
  });

  it('stores the day only, never a time of day', async () => {
    await submitAsMarkedRespondent(studentWithoutExperience());
    await sealPending(t.testDb.db);
    const columns = Object.keys(await t.testDb.db('responses').columnInfo()).sort();
    // No number of the seal batch either (migration 20261202060000 dropped sealed_batch): it
    // was a stored order of the batches, which the random ids otherwise do not give.
    expect(columns).to.deep.equal(['data', 'id', 'invitation_id', 'submission_id', 'submitted_on', 'wave_id']);
    const [row] = await t.testDb.db('responses').select('submitted_on');
    expect(row.submitted_on).to.match(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('gives responses random ids that say nothing about the order of arrival', async () => {
    for (let i = 0; i < 5; i++) await submitAsMarkedRespondent(studentWithoutExperience());
    await sealPending(t.testDb.db);
    const ids = (await t.testDb.db('responses').select('id')).map((r) => r.id as string);
    for (const id of ids) expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).to.equal(5);
  });

  it('sets no cookie on the respondent\'s side', async () => {
    const page = await request(t.app).get(`/s/${wave.token}`);
    const post = await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data: studentWithoutExperience() });
    expect(page.headers['set-cookie']).to.equal(undefined);
    expect(post.headers['set-cookie']).to.equal(undefined);
  });

  it('keeps interview contact details apart: not in the response, not in the answers, no link, no date', async () => {
    const data = { ...studentWithoutExperience(), m_interview: 'ja', m_contact: { naam: 'Marker Naam', email: 'marker@example.test' } };
    expect((await submitAsMarkedRespondent(data)).status).to.equal(201);
    await sealPending(t.testDb.db); // as when the wave closes: a contact alone waits until then
    const responses = JSON.stringify(await t.testDb.db('responses').select('*'));
    const answers = JSON.stringify(await t.testDb.db('answers').select('*'));
    for (const text of ['Marker Naam', 'marker@example.test', 'm_interview', 'm_contact']) {
      expect(responses, text).not.to.contain(text);
      expect(answers, text).not.to.contain(text);
    }
    expect(Object.keys(await t.testDb.db('contact_requests').columnInfo()).sort()).to.deep.equal(['details', 'id', 'wave_id']);
    const list = await request(t.app).get(`/api/v1/waves/${wave.id}/contacts`).set('Authorization', `Bearer ${admin.token}`);
    expect(list.body).to.deep.equal([{ naam: 'Marker Naam', email: 'marker@example.test' }]);
  });

  it('stores contact details in an order that is not the order in which they arrived', async () => {
    const names: string[] = [];
    for (let i = 0; i < 12; i++) {
      names.push(`Persoon ${i}`);
      await submitAsMarkedRespondent({ ...studentWithoutExperience(), m_interview: 'ja', m_contact: { naam: `Persoon ${i}` } });
    }
    await sealPending(t.testDb.db);
    // The order a plain SELECT (no ORDER BY) returns is the physical order of the rows: on
    // SQLite the random key's (WITHOUT ROWID), on PostgreSQL the random order of sealing.
    const physical = (await t.testDb.db('contact_requests').select('id', 'details')) as Array<{ id: string; details: string }>;
    if (!onPostgres) expect(physical.map((r) => r.id)).to.deep.equal([...physical.map((r) => r.id)].sort());
    expect(physical).to.have.length(12);
    expect(physical.map((r) => JSON.parse(r.details).naam)).not.to.deep.equal(names);
  });

  it('gives the contact questions no place in the results', async () => {
    for (let i = 0; i < 5; i++) {
      await submitAsMarkedRespondent({ ...studentWithoutExperience(), m_interview: 'ja', m_contact: { naam: `Persoon ${i}` } });
    }
    await sealPending(t.testDb.db); // as when the wave closes: the first sealed batch is held back until then
    const results = await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set('Authorization', `Bearer ${admin.token}`);
    const names = results.body.questions.map((q: { name: string }) => q.name);
    expect(names).to.include('b_role');
    for (const name of ['m_interview', 'm_contact', 'naam', 'email', 'telefoon']) expect(names).not.to.include(name);
  });

  it('shows contact details to managers only', async () => {
    const viewer = await request(t.app).post('/api/v1/users').set('Authorization', `Bearer ${admin.token}`)
      .send({ email: 'lezer@opvang.test', password: 'correct horse battery', role: 'viewer' });
    expect(viewer.status).to.equal(201);
    const login = await request(t.app).post('/api/v1/auth/login').send({ email: 'lezer@opvang.test', password: 'correct horse battery' });
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}/contacts`).set('Authorization', `Bearer ${login.body.token}`)).status).to.equal(403);
  });
});

describe('the respondent\'s safety', () => {
  let t: TestApp;
  let wave: Awaited<ReturnType<typeof createWave>>;
  before(async () => {
    t = await createTestApp({ QUICK_EXIT_URL: 'https://neutraal.example/weer' });
    wave = await createWave(t.app, await setupAdmin(t.app), { supportText: 'Bel de vertrouwenspersoon: 010-1234567.' });
  });
  after(async () => t.close());

  it('offers a quick exit to the configured neutral site, and the wave\'s own support information', async () => {
    const page = await request(t.app).get(`/s/${wave.token}`);
    expect(page.text).to.contain('id="quick-exit"').and.contain('"quickExitUrl":"https://neutraal.example/weer"');
    expect(page.text).to.contain('Bel de vertrouwenspersoon: 010-1234567.');
  });

  it('lets every sensitive TNO item be passed with "zeg ik liever niet" and never forces an answer to it without that option', async () => {
    const tno = (await t.app.locals.instruments.latest('tno-quickscan'))!;
    const questions = new Map<string, Record<string, unknown>>();
    const walk = (els: Array<Record<string, unknown>>) => els.forEach((e) => { questions.set(String(e.name), e); if (Array.isArray(e.elements)) walk(e.elements as Array<Record<string, unknown>>); });
    for (const p of tno.definition.pages as Array<{ elements: Array<Record<string, unknown>> }>) walk(p.elements);
    for (const name of tno.meta.sensitive as string[]) {
      const q = questions.get(name)!;
      const isChoice = ['radiogroup', 'checkbox', 'dropdown'].includes(String(q.type));
      if (isChoice) expect(q.showRefuseItem, name).to.equal(true);
      if (q.isRequired) expect(q.showRefuseItem, `${name} is required, so it must be refusable`).to.equal(true);
    }
  });
});
