// Error answers list the first errors and count the rest: a body with 12,000 unknown keys
// once produced a 913 KB answer, the server's work and the client's memory spent on a list
// nobody reads. Nothing is stored either way.
import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { bearer, importCsv, responseCount } from '../helpers/csv';
import { studentWithoutExperience } from '../helpers/tno';
import { MAX_LISTED_ERRORS } from '../../server/http/error-list';

describe('long error lists', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  beforeEach(async () => {
    t = await createTestApp();
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin);
  });
  afterEach(async () => t.close());

  const unknownKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1]));

  it('answers a submission with 12,000 unknown keys with the first 50 errors and the count of the rest', async () => {
    const res = await request(t.app).post(`/s/${wave.token}/responses`)
      .send({ submissionId: crypto.randomUUID(), data: { ...studentWithoutExperience(), ...unknownKeys(12_000) } });
    expect(res.status).to.equal(422);
    expect(res.body.errors).to.have.length(MAX_LISTED_ERRORS);
    expect(res.body.errors[0]).to.deep.equal({ question: 'k0', message: res.body.errors[0].message });
    expect(res.body.moreErrors).to.equal(12_000 - MAX_LISTED_ERRORS);
    expect(res.text.length).to.be.below(10_000);
    expect(await responseCount(t.testDb.db, wave.id)).to.equal(0);
  });

  it('caps the list of unknown fields of a staff body in the same way', async () => {
    const res = await request(t.app).patch(`/api/v1/waves/${wave.id}`).set(bearer(admin)).send({ label: 'x', ...unknownKeys(5000) });
    expect(res.status).to.equal(400);
    expect(res.body.errors).to.have.length(MAX_LISTED_ERRORS);
    expect(res.body.moreErrors).to.equal(5000 - MAX_LISTED_ERRORS);
  });

  it('does not add a count to a short list', async () => {
    const res = await request(t.app).post(`/s/${wave.token}/responses`)
      .send({ submissionId: crypto.randomUUID(), data: { ...studentWithoutExperience(), ...unknownKeys(3) } });
    expect(res.status).to.equal(422);
    expect(res.body.errors).to.have.length(3);
    expect(res.body).not.to.have.property('moreErrors');
  });

  it('answers a refused CSV import of 2,000 bad rows with the first 50 errors and the count of the rest', async () => {
    const lines = ['b_role,e_wenselijk', ...Array.from({ length: 2000 }, () => 'student,99')];
    const res = await importCsv(t.app, admin, wave.id, lines.join('\n'));
    expect(res.status).to.equal(422);
    expect(res.body.errors).to.have.length(MAX_LISTED_ERRORS);
    expect(res.body.moreErrors).to.be.at.least(2000 - MAX_LISTED_ERRORS);
    expect(res.body.errors[0].line).to.equal(2);
    expect(res.text.length).to.be.below(20_000);
    expect(await responseCount(t.testDb.db, wave.id)).to.equal(0);
  });
});
