// Keys that name JavaScript's own machinery (`__proto__`, `constructor`, `prototype`), sent
// as field names, answer texts, question names and filter names to every form and JSON body
// that takes keys. None may reach Object.prototype: a polluted prototype is shared by the
// whole process, so one manager's request broke every later login and submission.
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account, PASSWORD } from '../helpers/app';
import { bearer, fixture } from '../helpers/csv';
import { studentWithoutExperience } from '../helpers/tno';

const HOSTILE = ['__proto__', 'constructor', 'prototype'];

/** What Object.prototype holds now: its own keys and what they point to. */
function prototypeState(): Map<string | symbol, unknown> {
  return new Map(Reflect.ownKeys(Object.prototype).map((key) => [key, Object.getOwnPropertyDescriptor(Object.prototype, key)!.value]));
}

describe('hostile keys in forms and JSON bodies', () => {
  let t: TestApp;
  let admin: Account & { organisationId: string };
  let wave: Awaited<ReturnType<typeof createWave>>;
  let before: Map<string | symbol, unknown>;

  beforeEach(async () => {
    before = prototypeState();
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin);
  });

  /** The keys of Object.prototype added or changed since the test began, put back as they were. */
  function restorePrototype(): string[] {
    const after = prototypeState();
    const changed = [...after.keys()].filter((key) => !before.has(key) || before.get(key) !== after.get(key));
    for (const key of changed) {
      if (before.has(key)) Object.defineProperty(Object.prototype, key, { value: before.get(key), writable: true, configurable: true, enumerable: false });
      else delete (Object.prototype as Record<string | symbol, unknown>)[key];
    }
    return changed.map(String);
  }

  // Any pollution is undone even when a test failed half-way, so that it cannot fail every later suite.
  afterEach(async () => {
    restorePrototype();
    await t.close();
  });

  async function signedIn() {
    const agent = request.agent(t.app);
    await agent.post('/login').type('form').send({ email: 'beheer@opvang.test', password: PASSWORD });
    const page = await agent.get(`/waves/${wave.id}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    return { agent, csrf };
  }

  /** The app still works for everyone: a login, a submission, another organisation's list. */
  async function stillWorks() {
    expect(restorePrototype(), 'Object.prototype gained or changed keys').to.deep.equal([]);
    const login = await request(t.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: PASSWORD });
    expect(login.status, JSON.stringify(login.body)).to.equal(200);
    const submitted = await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId: crypto.randomUUID(), data: studentWithoutExperience() });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(201);
    const waves = await request(t.app).get('/api/v1/waves').set(bearer(login.body as Account));
    expect(waves.status).to.equal(200);
    expect(({} as Record<string, unknown>).role).to.equal(undefined);
  }

  it('keeps Object.prototype clean when the mapping form names __proto__, constructor or prototype as target or field', async () => {
    const { agent, csrf } = await signedIn();
    const uploaded = await agent.post(`/waves/${wave.id}/import`).field('_csrf', csrf)
      .attach('file', fixture('google-forms-quickscan-earlier-round.csv'), 'q.csv');
    expect(uploaded.status).to.equal(303);
    const mappingUrl = uploaded.headers.location as string;
    const post = agent.post(mappingUrl).field('_csrf', csrf).field('action', 'preview').field('column_1', 'b_sector.*');
    HOSTILE.forEach((key, k) => {
      post.field(`answerFor_${k}`, JSON.stringify([key, 'role'])).field(`answer_${k}`, 'admin');
      post.field(`answerFor_${k + 10}`, JSON.stringify(['b_sector.*', key])).field(`answer_${k + 10}`, 'vrouwenopvang');
      post.field(key, 'x');
    });
    const res = await post;
    expect(res.status).to.be.oneOf([200, 400, 422]);
    const confirm = agent.post(mappingUrl).field('_csrf', csrf).field('action', 'confirm');
    HOSTILE.forEach((key, k) => confirm.field(`answerFor_${k}`, JSON.stringify([key, 'toString'])).field(`answer_${k}`, 'x'));
    expect((await confirm).status).to.be.below(500);
    await stillWorks();
  });

  it('keeps Object.prototype clean when an imported CSV has them as headers or cells', async () => {
    const csv = `b_role,${HOSTILE.join(',')}\nstudent,1,2,3\n__proto__,constructor,prototype,x\n`;
    const res = await request(t.app).post(`/api/v1/waves/${wave.id}/import?dryRun=1`).set(bearer(admin)).set('Content-Type', 'text/csv').send(csv);
    expect(res.status).to.equal(422);
    await stillWorks();
  });

  it('keeps Object.prototype clean when a submission has them as question, matrix row or item names', async () => {
    for (const key of HOSTILE) {
      const bodies = [
        `{"submissionId":"${crypto.randomUUID()}","data":{"${key}":{"role":"admin"}}}`,
        `{"submissionId":"${crypto.randomUUID()}","data":{"b_role":"student","t5":{"${key}":{"role":"admin"}}}}`,
        `{"submissionId":"${crypto.randomUUID()}","data":{"b_role":"student"},"${key}":{"role":"admin"}}`,
      ];
      for (const body of bodies) {
        const res = await request(t.app).post(`/s/${wave.token}/responses`).set('Content-Type', 'application/json').send(body);
        expect(res.status, body).to.be.oneOf([400, 422]);
      }
    }
    await stillWorks();
  });

  it('keeps Object.prototype clean when the wave and user bodies and forms carry them', async () => {
    const { agent, csrf } = await signedIn();
    for (const key of HOSTILE) {
      const json = `{"instrument":"tno-quickscan","mode":"anonymous","label":"x","${key}":{"role":"admin"}}`;
      const created = await request(t.app).post('/api/v1/waves').set(bearer(admin)).set('Content-Type', 'application/json').send(json);
      expect(created.status).to.equal(400);
      const patched = await request(t.app).patch(`/api/v1/waves/${wave.id}`).set(bearer(admin)).set('Content-Type', 'application/json')
        .send(`{"label":"y","${key}":{"role":"admin"}}`);
      expect(patched.status).to.equal(400);
      const user = await request(t.app).post('/api/v1/users').set(bearer(admin)).set('Content-Type', 'application/json')
        .send(`{"email":"x@opvang.test","password":"${PASSWORD}","role":"viewer","${key}":{"role":"admin"}}`);
      expect(user.status).to.equal(400);
      const login = await request(t.app).post('/api/v1/auth/login').set('Content-Type', 'application/json')
        .send(`{"email":"beheer@opvang.test","password":"${PASSWORD}","${key}":{"role":"admin"}}`);
      expect(login.status).to.equal(400);
      const form = `_csrf=${encodeURIComponent(csrf)}&instrument=tno-quickscan&mode=anonymous&label=x&${key}=admin&${key}%5Brole%5D=admin`;
      expect((await agent.post('/waves').type('form').send(form)).status).to.be.oneOf([400, 422]);
      expect((await agent.post('/users').type('form').send(`_csrf=${encodeURIComponent(csrf)}&email=y%40opvang.test&role=viewer&${key}=admin`)).status)
        .to.be.oneOf([400, 422]);
      expect((await agent.post(`/waves/${wave.id}/settings`).type('form').send(`_csrf=${encodeURIComponent(csrf)}&label=z&${key}=admin`)).status)
        .to.be.below(500);
    }
    await stillWorks();
  });

  it('refuses them as filter and comparison names of the results', async () => {
    for (const key of HOSTILE) {
      for (const query of [`filter=${key}:1`, `filter=b_role.${key}:student`, `filter=b_role:${key}`]) {
        const res = await request(t.app).get(`/api/v1/waves/${wave.id}/results?${query}`).set(bearer(admin));
        expect(res.status, query).to.equal(422);
      }
      const compare = await request(t.app).get(`/api/v1/waves/${wave.id}/compare?by=${key}`).set(bearer(admin));
      expect(compare.status).to.equal(422);
    }
    await stillWorks();
  });
});
