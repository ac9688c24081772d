import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Server } from 'node:http';
import { expect } from 'chai';
import { createTestApp, createWave, setupAdmin, TestApp } from '../helpers/app';
import { quickscanSubmissions, seededRandom, Submission } from '../helpers/quickscan-stream';
import { studentWithoutExperience } from '../helpers/tno';
import { expectWholeResponses } from '../helpers/stored-responses';

// Submissions that arrive together are committed together (group commit); this checks that
// each is still stored once, whole, and answered for itself.
describe('submissions arriving at the same moment', () => {
  let t: TestApp;
  let server: Server;

  beforeEach(async () => {
    t = await createTestApp();
    server = await new Promise<Server>((resolve) => {
      const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
    });
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  });

  it('are each stored once and whole, and retries sent alongside them are answered 200 duplicate', async () => {
    const admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const submissions = quickscanSubmissions(60, 5);
    const random = seededRandom(3);
    // Every fourth submission three times over, all sent at once in a shuffled order.
    const sends = submissions.flatMap((s, i) => (i % 4 === 0 ? [s, s, s] : [s])).sort(() => random() - 0.5);
    const statuses = await Promise.all(sends.map(async (s: Submission) => {
      const res = await fetch(`${base}/s/${wave.token}/responses`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(s),
      });
      return { id: s.submissionId, status: res.status, body: await res.json() };
    }));

    for (const s of submissions) {
      const mine = statuses.filter((x) => x.id === s.submissionId);
      expect(mine.filter((x) => x.status === 201).map((x) => x.body), s.submissionId).to.deep.equal([{ status: 'stored' }]);
      expect(mine.filter((x) => x.status !== 201).map((x) => x.body)).to.deep.equal(mine.slice(1).map(() => ({ status: 'duplicate' })));
    }
    const stored = await expectWholeResponses(t.testDb.db, wave.id, new Map(submissions.map((s) => [s.submissionId, s.data])));
    expect(stored.size).to.equal(submissions.length);
  });
});

describe('a retried submission', () => {
  let t: TestApp;
  beforeEach(async () => { t = await createTestApp(); });
  afterEach(() => t.close());

  it('is answered 200 duplicate even once the wave has closed, or when what it sends would now be refused', async () => {
    const admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin);
    const submit = (body: object) => request(t.app).post(`/s/${wave.token}/responses`).send(body);
    const submissionId = crypto.randomUUID();
    expect((await submit({ submissionId, data: studentWithoutExperience() })).status).to.equal(201);
    const changed = await submit({ submissionId, data: { ...studentWithoutExperience(), c_ervaring: 'misschien' } });
    expect([changed.status, changed.body]).to.deep.equal([200, { status: 'duplicate' }]);
    const patch = await request(t.app).patch(`/api/v1/waves/${wave.id}`).set('Authorization', `Bearer ${admin.token}`).send({ status: 'closed' });
    expect(patch.status).to.equal(200);
    const late = await submit({ submissionId, data: studentWithoutExperience() });
    expect([late.status, late.body]).to.deep.equal([200, { status: 'duplicate' }]);
    // A new one is refused, and an invalid new one would have been.
    expect((await submit({ submissionId: crypto.randomUUID(), data: studentWithoutExperience() })).status).to.equal(410);
    const stored = await expectWholeResponses(t.testDb.db, wave.id, new Map([[submissionId, studentWithoutExperience()]]));
    expect(stored.size).to.equal(1);
  });

  it('that was never stored is judged like a new one: 422 when invalid', async () => {
    const admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin);
    const res = await request(t.app).post(`/s/${wave.token}/responses`)
      .send({ submissionId: crypto.randomUUID(), data: { ...studentWithoutExperience(), c_ervaring: 'misschien' } });
    expect(res.status).to.equal(422);
  });
});
