import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import { createTestApp, createWave, setupAdmin, TestApp } from '../helpers/app';
import { quickscanSubmissions, seededRandom, Submission } from '../helpers/quickscan-stream';
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
