// Attempts that must be refused with nothing changed (issue 6, "Hostile input").
import crypto from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createOrganisation, Account, PASSWORD } from '../helpers/app';
import { studentWithoutExperience } from '../helpers/tno';
import { sealPending } from '../helpers/seal';

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const SQL = "'; DROP TABLE responses; --";

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('hostile input', () => {
  let t: TestApp;
  let admin: Account & { organisationId: string };
  let wave: Awaited<ReturnType<typeof createWave>>;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const responseCount = async () => {
    await sealPending(t.testDb.db);
    return Number((await t.testDb.db('responses').count({ n: '*' }).first())!.n);
  };

  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin);
  });
  afterEach(async () => t.close());

  describe('forged and stale login tokens answer 401', () => {
    const claims = () => ({ sub: admin.user.id, org: admin.organisationId, role: 'admin', sv: 0, jti: crypto.randomUUID(), iss: 'spiegel' });

    it('refuses alg "none"', async () => {
      const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims(), exp: Math.floor(Date.now() / 1000) + 600 })}.`;
      expect((await request(t.app).get('/api/v1/waves').set(bearer(token))).status).to.equal(401);
    });

    it('refuses a token signed with another key', async () => {
      const token = jwt.sign(claims(), 'not-the-secret-of-this-installation', { algorithm: 'HS256', expiresIn: 600 });
      expect((await request(t.app).get('/api/v1/waves').set(bearer(token))).status).to.equal(401);
    });

    it('refuses a token whose role or organisation was changed', async () => {
      const [header, payload, signature] = admin.token.split('.');
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString());
      for (const change of [{ role: 'viewer' }, { org: crypto.randomUUID() }, { sub: crypto.randomUUID() }]) {
        const forged = `${header}.${b64({ ...decoded, ...change })}.${signature}`;
        expect((await request(t.app).get('/api/v1/waves').set(bearer(forged))).status, JSON.stringify(change)).to.equal(401);
      }
    });

    it('refuses a correctly signed token whose claims no longer match the account', async () => {
      const token = jwt.sign({ ...claims(), org: crypto.randomUUID() }, t.config.jwtSecret, { algorithm: 'HS256', expiresIn: 600 });
      expect((await request(t.app).get('/api/v1/waves').set(bearer(token))).status).to.equal(401);
    });

    it('refuses an expired token', async () => {
      const token = jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 1 }, t.config.jwtSecret, { algorithm: 'HS256' });
      expect((await request(t.app).get('/api/v1/waves').set(bearer(token))).status).to.equal(401);
    });
  });

  it('refuses a cookie-authenticated API change without the CSRF token, and accepts it with', async () => {
    const agent = request.agent(t.app);
    await agent.post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: PASSWORD });
    const without = await agent.patch(`/api/v1/waves/${wave.id}`).send({ label: 'gewijzigd' });
    expect(without.status).to.equal(403);
    const page = await agent.get('/waves/new');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const withToken = await agent.patch(`/api/v1/waves/${wave.id}`).set('X-CSRF-Token', csrf).send({ label: 'gewijzigd' });
    expect(withToken.status).to.equal(200);
    const forged = await agent.patch(`/api/v1/waves/${wave.id}`).set('X-CSRF-Token', `${csrf}x`).send({ label: 'nogmaals' });
    expect(forged.status).to.equal(403);
  });

  it('shows script and SQL in organisation names, wave labels and answers back escaped, never executed', async () => {
    const orgId = await createOrganisation(t.app, admin, `${XSS} ${SQL}`);
    const hostile = await createWave(t.app, admin, { label: `${XSS} ${SQL}`, organisationId: orgId, series: XSS });
    const submitted = await request(t.app).post(`/s/${hostile.token}/responses`)
      .send({ submissionId: crypto.randomUUID(), data: { ...studentWithoutExperience(), e_toelichting: `${XSS} ${SQL}` } });
    expect(submitted.status).to.equal(201);
    const pages = ['/waves', `/waves/${hostile.id}`, '/organisations', '/users'];
    for (const path of pages) {
      const res = await request(t.app).get(path).set(bearer(admin.token));
      expect(res.status, path).to.equal(200);
      expect(res.text, path).not.to.contain('<script>alert').and.not.to.contain('<img src=x');
      expect(res.text, path).to.contain('&lt;script&gt;alert');
    }
    await sealPending(t.testDb.db);
    const stored = await t.testDb.db('answers').where({ question: 'e_toelichting' }).first('text');
    expect(stored.text).to.equal(`${XSS} ${SQL}`);
    expect(await t.testDb.db.schema.hasTable('responses')).to.equal(true);
  });

  describe('malformed bodies change nothing', () => {
    const post = (body: string, type = 'application/json') =>
      request(t.app).post(`/s/${wave.token}/responses`).set('Content-Type', type).send(body);

    it('refuses deeply nested JSON with a 4xx, not a crash', async () => {
      const deep = `${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}`;
      const inData = await post(`{"submissionId":"${crypto.randomUUID()}","data":{"e_toelichting":${deep}}}`);
      expect(inData.status).to.equal(422);
      const asData = await post(`{"submissionId":"${crypto.randomUUID()}","data":${deep}}`);
      expect(asData.status).to.be.oneOf([400, 422]);
      const wave2 = await request(t.app).post('/api/v1/waves').set(bearer(admin.token)).send(`{"instrument":"tno-quickscan","mode":"anonymous","label":${deep}}`).set('Content-Type', 'application/json');
      expect(wave2.status).to.equal(422);
      expect(await responseCount()).to.equal(0);
    });

    it('refuses JSON that is not an object, a wrong content type, and an unknown charset', async () => {
      expect((await post('[1,2,3]')).status).to.equal(400);
      expect((await post('"text"')).status).to.equal(400);
      expect((await post('null')).status).to.equal(400);
      expect((await post('submissionId=1', 'application/x-www-form-urlencoded')).status).to.equal(415);
      expect((await post('{}', 'application/json; charset=ebcdic')).status).to.equal(415);
      expect(await responseCount()).to.equal(0);
    });

    it('refuses numbers out of range and values of the wrong type in answers', async () => {
      for (const data of [{ e_wenselijk: 99 }, { e_wenselijk: -1 }, { e_wenselijk: Number.POSITIVE_INFINITY }, { f_leren: '5; DROP TABLE answers' }, { t5: { t5_1: [1, 2] } }]) {
        const res = await post(JSON.stringify({ submissionId: crypto.randomUUID(), data: { ...studentWithoutExperience(), ...data } }));
        expect(res.status, JSON.stringify(data)).to.be.oneOf([400, 422]);
      }
      expect(await responseCount()).to.equal(0);
    });

    it('never answers with a stack trace or SQL', async () => {
      const res = await post('{"submissionId": "x", "data": {');
      expect(res.status).to.equal(400);
      expect(JSON.stringify(res.body)).not.to.match(/at \w+ \(|SELECT|INSERT|node_modules/);
    });
  });

  it('refuses path traversal in every parameter that names a file or a token', async () => {
    for (const path of ['/assets/..%2f..%2fpackage.json', '/assets/%2e%2e%2fmanifest.json', '/assets/....//etc/passwd',
      '/s/..%2f..%2fetc%2fpasswd', '/s/%2e%2e', `/s/${wave.token}%2f..%2f..`]) {
      const res = await request(t.app).get(path);
      expect(res.status, path).to.be.oneOf([400, 404]);
      expect(res.text, path).not.to.contain('"dependencies"').and.not.to.contain('root:');
    }
  });
});
