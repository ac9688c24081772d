import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { studentWithoutExperience } from '../helpers/tno';

describe('the respondent: survey page and submissions', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin);
  });
  afterEach(async () => t.close());

  const submit = (body: unknown, token = wave.token) =>
    request(t.app).post(`/s/${token}/responses`).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const count = async () => (await request(t.app).get(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`)).body.responses;

  it('serves the survey page with a neutral title, no cookie, and a strict CSP', async () => {
    const res = await request(t.app).get(`/s/${wave.token}`);
    expect(res.status).to.equal(200);
    expect(res.headers['set-cookie']).to.equal(undefined);
    expect(res.text).to.contain('<title>Vragenlijst</title>').and.contain('Snel weg').and.contain('0800-2000');
    expect(res.text).not.to.match(/<title>[^<]*(geweld|onveilig|quickscan)/i);
    const csp = res.headers['content-security-policy'];
    expect(csp).to.contain("script-src 'self'").and.not.contain('unsafe-eval');
    expect(csp).not.to.match(/script-src[^;]*unsafe-inline/);
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['referrer-policy']).to.equal('no-referrer');
    // No inline script: only external scripts and one JSON data block.
    const inline = [...res.text.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
    expect(inline).to.deep.equal([' type="application/json" id="spiegel-survey"']);
    // The page refers to no other host.
    expect(res.text).not.to.match(/(src|href)="(https?:)?\/\//);
  });

  it('answers 404 for an unknown token and 410 for a closed wave', async () => {
    expect((await request(t.app).get('/s/unknown-token-aaaaaaaaaa')).status).to.equal(404);
    await request(t.app).patch(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'closed' });
    expect((await request(t.app).get(`/s/${wave.token}`)).status).to.equal(410);
  });

  it('stores a valid response (201) and the count goes up', async () => {
    const res = await submit({ submissionId: crypto.randomUUID(), data: studentWithoutExperience() });
    expect(res.status).to.equal(201);
    expect(res.body).to.deep.equal({ status: 'stored' });
    expect(await count()).to.equal(1);
  });

  it('stores a retried submission once (200 duplicate)', async () => {
    const submissionId = crypto.randomUUID();
    await submit({ submissionId, data: studentWithoutExperience() });
    const retry = await submit({ submissionId, data: studentWithoutExperience() });
    expect(retry.status).to.equal(200);
    expect(retry.body).to.deep.equal({ status: 'duplicate' });
    expect(await count()).to.equal(1);
  });

  it('refuses invalid answers with 422 and a message per question, storing nothing', async () => {
    const res = await submit({ submissionId: crypto.randomUUID(), data: { ...studentWithoutExperience(), c_ervaring: 'misschien', extra: 1 } });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('invalid');
    expect(res.body.errors).to.deep.equal([{ question: 'extra', message: 'Deze vraag bestaat niet in de vragenlijst.' }]);
    expect(await count()).to.equal(0);
  });

  it('refuses malformed JSON (400), a missing submissionId (400), unknown fields (400) and the wrong content type (415)', async () => {
    const malformed = await request(t.app).post(`/s/${wave.token}/responses`).set('Content-Type', 'application/json').send('{"submissionId": ');
    expect(malformed.status).to.equal(400);
    expect(malformed.body.error.message).to.equal('De gegevens zijn geen geldige JSON.');
    expect((await submit({ data: studentWithoutExperience() })).status).to.equal(400);
    expect((await submit({ submissionId: crypto.randomUUID(), data: {}, ip: '1.2.3.4' })).status).to.equal(400);
    expect((await submit({ submissionId: 'not-a-uuid', data: {} })).status).to.equal(400);
    const text = await request(t.app).post(`/s/${wave.token}/responses`).set('Content-Type', 'text/plain').send('hallo');
    expect(text.status).to.equal(415);
    expect(await count()).to.equal(0);
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await submit({ submissionId: crypto.randomUUID(), data: { e_toelichting: 'x'.repeat(300 * 1024) } });
    expect(res.status).to.equal(413);
    expect(await count()).to.equal(0);
  });

  it('answers 404 for an unknown token and 410 for a closed wave, storing nothing', async () => {
    expect((await submit({ submissionId: crypto.randomUUID(), data: studentWithoutExperience() }, 'unknown-token-aaaaaaaaaa')).status).to.equal(404);
    await request(t.app).patch(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'closed' });
    expect((await submit({ submissionId: crypto.randomUUID(), data: studentWithoutExperience() })).status).to.equal(410);
    expect(await count()).to.equal(0);
  });

  it('answers 410 before the opening date and after the closing date', async () => {
    const future = await createWave(t.app, admin, { opensAt: '2999-01-01' });
    const past = await createWave(t.app, admin, { closesAt: '2000-01-01' });
    expect((await request(t.app).get(`/s/${future.token}`)).status).to.equal(410);
    expect((await request(t.app).get(`/s/${past.token}`)).status).to.equal(410);
  });

  it('keeps the token, the IP address and the user agent out of the log', async () => {
    await request(t.app).get(`/s/${wave.token}`).set('User-Agent', 'Marker-UA/9.9').set('X-Forwarded-For', '203.0.113.77');
    await submit({ submissionId: crypto.randomUUID(), data: studentWithoutExperience() });
    const log = t.logLines.join('\n');
    expect(log).to.contain('/s/:token/responses');
    expect(log).not.to.contain(wave.token).and.not.contain('Marker-UA').and.not.contain('203.0.113.77').and.not.contain('127.0.0.1');
    const respondentLines = t.logLines.filter((l) => l.includes('/s/:token'));
    expect(respondentLines.every((l) => !('time' in JSON.parse(l)))).to.equal(true);
  });
});
