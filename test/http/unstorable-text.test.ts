// Text PostgreSQL cannot store: U+0000 (NUL) and lone UTF-16 surrogates. Once they reached
// a query and the answer was a 500; now every body is refused at the boundary with a 400
// and a Dutch message (a CSV file with its line), nothing is stored, and the next request
// works. Run on SQLite and, with DATABASE_URL, on PostgreSQL.
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account, PASSWORD } from '../helpers/app';
import { bearer, importCsv, responseCount } from '../helpers/csv';
import { studentWithoutExperience } from '../helpers/tno';

const NUL = '\u0000';
const LONE_HIGH = '\ud800';
const LONE_LOW = '\udc00';
/** JSON text with the character escaped, as a client library would send it. */
// eslint-disable-next-line no-control-regex -- the NUL is what is escaped
const escaped = (value: unknown) => JSON.stringify(value).replace(/[\u0000\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

describe('text that cannot be stored', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin);
  });
  afterEach(async () => t.close());

  const json = (method: 'post' | 'patch', path: string, body: unknown, account?: Account) => {
    const req = request(t.app)[method](path).set('Content-Type', 'application/json');
    if (account) req.set(bearer(account));
    return req.send(escaped(body));
  };

  async function nextRequestsWork() {
    const login = await request(t.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: PASSWORD });
    expect(login.status).to.equal(200);
    const submitted = await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data: studentWithoutExperience() });
    expect(submitted.status).to.equal(201);
  }

  it('refuses a login e-mail with a NUL or a lone surrogate with 400 and a Dutch message', async () => {
    for (const bad of [NUL, LONE_HIGH, LONE_LOW]) {
      const res = await json('post', '/api/v1/auth/login', { email: `beheer${bad}@opvang.test`, password: PASSWORD });
      expect(res.status, escaped(bad)).to.equal(400);
      expect(res.body.error.message).to.match(/teken/);
      expect(res.body.errors).to.deep.equal([{ question: 'email', message: res.body.errors[0].message }]);
    }
    const form = await request(t.app).post('/login').type('form').send(`email=beheer%00%40opvang.test&password=${encodeURIComponent(PASSWORD)}`);
    expect(form.status).to.equal(400);
    await nextRequestsWork();
  });

  it('refuses a survey answer with a NUL in a free text, or in a key, and stores nothing', async () => {
    for (const data of [
      { ...studentWithoutExperience(), e_toelichting: `tekst${NUL}meer` },
      { ...studentWithoutExperience(), e_toelichting: `tekst${LONE_LOW}` },
      { ...studentWithoutExperience(), [`e_toelichting${NUL}`]: 'tekst' },
    ]) {
      const res = await json('post', `/s/${wave.token}/responses`, { submissionId: crypto.randomUUID(), data });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('bad_request');
    }
    expect(await responseCount(t.testDb.db, wave.id)).to.equal(0);
    await nextRequestsWork();
  });

  it('refuses a wave label with a NUL through the API and the page form, and keeps the old label', async () => {
    expect((await json('post', '/api/v1/waves', { instrument: 'tno-quickscan', mode: 'anonymous', label: `nieuw${NUL}` }, admin)).status).to.equal(400);
    expect((await json('patch', `/api/v1/waves/${wave.id}`, { label: `anders${NUL}` }, admin)).status).to.equal(400);
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email: 'beheer@opvang.test', password: PASSWORD });
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get(`/waves/${wave.id}`)).text)![1]!;
    const page = await agent.post(`/waves/${wave.id}/settings`).type('form').send(`_csrf=${encodeURIComponent(csrf)}&label=anders%00`);
    expect(page.status).to.equal(400);
    const stored = await t.testDb.db('waves').where({ id: wave.id }).first('label');
    expect(stored.label).to.equal('0-meting 2026');
    expect(await t.testDb.db('waves').count({ n: '*' }).first().then((r) => Number(r!.n))).to.equal(1);
    await nextRequestsWork();
  });

  it('refuses a CSV file with a NUL in a cell, past the first 8 kB too, naming the line, and stores nothing', async () => {
    const rows = Array.from({ length: 300 }, () => 'student,haagse_hogeschool,nee,nee,3,4,"lange toelichting zonder fouten"');
    rows[250] = `student,haagse_hogeschool,nee,nee,3,4,"toelichting${NUL}"`;
    const file = ['b_role,b_instelling,c_ervaring,c_collegas,e_wenselijk,f_leren,e_toelichting', ...rows].join('\n');
    expect(Buffer.byteLength(file)).to.be.above(8192);
    const res = await importCsv(t.app, admin, wave.id, file);
    expect(res.status).to.equal(422);
    expect(res.body.errors).to.have.length(1);
    expect(res.body.errors[0]).to.include({ line: 252 });
    expect(res.body.errors[0].message).to.match(/teken/);
    expect(await responseCount(t.testDb.db, wave.id)).to.equal(0);
    await nextRequestsWork();
  });

  it('refuses an uploaded file whose name or form field holds a NUL', async () => {
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email: 'beheer@opvang.test', password: PASSWORD });
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get(`/waves/${wave.id}`)).text)![1]!;
    const named = await agent.post(`/waves/${wave.id}/import`).field('_csrf', csrf).attach('file', Buffer.from('b_role\nstudent\n'), `x${NUL}.csv`);
    expect(named.status).to.equal(400);
    const field = await agent.post(`/waves/${wave.id}/import`).field('_csrf', csrf).field('note', `a${NUL}`).attach('file', Buffer.from('b_role\nstudent\n'), 'x.csv');
    expect(field.status).to.equal(400);
    expect(Number((await t.testDb.db('csv_uploads').count({ n: '*' }).first())!.n)).to.equal(0);
    await nextRequestsWork();
  });

  it('answers a NUL in a path as a missing page, not a server error', async () => {
    expect((await request(t.app).get('/s/abc%00def')).status).to.be.oneOf([400, 404]);
    expect((await request(t.app).get(`/api/v1/waves/${wave.id}%00`).set(bearer(admin))).status).to.be.oneOf([400, 404]);
    await nextRequestsWork();
  });
});
