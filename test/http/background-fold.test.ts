import request from 'supertest';
import { expect } from 'chai';
import { createTestApp, createWave, setupAdmin, TestApp } from '../helpers/app';
import { quickscanSubmissions } from '../helpers/quickscan-stream';
import { expectTalliesMatchAnswers } from '../helpers/stored-responses';

// A submission only queues its response for the tallies; the server folds the queue in
// while no submissions arrive, so that the first dashboard after a burst is quick.
// Sealing (server/sealing/) only when the test says so: what it seals is what the fold gets.
// An anonymous wave holds its last sealed batch back from the results (and the tallies) until
// the next one, or until it closes: a close releases all of it.
const MANUAL_SEALING = { delayMs: 3_600_000, intervalMs: 0 };

describe('folding queued responses into the tallies in the background', () => {
  let t: TestApp;
  afterEach(() => t.close());

  const queued = async (waveId: string) => Number((await t.testDb.db('tally_queue').where({ wave_id: waveId }).count({ n: '*' }).first())!.n);

  async function untilQueueEmpty(waveId: string, withinMs: number): Promise<void> {
    const deadline = Date.now() + withinMs;
    while ((await queued(waveId)) > 0) {
      if (Date.now() > deadline) throw new Error(`${await queued(waveId)} responses still queued after ${withinMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Closes the wave: every pending and held response is released before the answer. */
  async function close(adminToken: string, waveId: string): Promise<void> {
    const res = await request(t.app).patch(`/api/v1/waves/${waveId}`).set('Authorization', `Bearer ${adminToken}`).send({ status: 'closed' });
    expect(res.status).to.equal(200);
  }

  async function submitAll(token: string, count: number, seed: number): Promise<void> {
    for (const s of quickscanSubmissions(count, seed)) {
      const res = await request(t.app).post(`/s/${token}/responses`).send(s);
      expect(res.status).to.equal(201);
    }
  }

  it('folds a burst in small transactions once submissions stop, to the same counts as the answers', async () => {
    t = await createTestApp({}, { tallyFold: { quietMs: 50, chunk: 7 }, sealing: MANUAL_SEALING });
    const admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin);
    await submitAll(wave.token, 30, 11);
    await close(admin.token, wave.id);
    expect(Number((await t.testDb.db('responses').where({ wave_id: wave.id }).count({ n: '*' }).first())!.n), 'released').to.equal(30);

    await untilQueueEmpty(wave.id, 10_000);
    await expectTalliesMatchAnswers(t.testDb.db, wave.id);
    const res = await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set('Authorization', `Bearer ${admin.token}`);
    expect(res.status).to.equal(200);
    expect(res.body.n).to.equal(30);
  });

  it('waits while submissions keep arriving, and leaves nothing to a read that comes first', async () => {
    t = await createTestApp({}, { tallyFold: { quietMs: 2000 }, sealing: MANUAL_SEALING });
    const admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin);
    await submitAll(wave.token, 10, 12);
    expect(await t.app.locals.sealer.sealDue()).to.equal(10); // held back
    await submitAll(wave.token, 10, 15);
    expect(await t.app.locals.sealer.sealDue()).to.equal(10); // the first 10 released, these held
    expect(await queued(wave.id), 'folded before the quiet time').to.equal(10);

    // A results read folds the rest itself; the background fold then finds nothing to do.
    const res = await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set('Authorization', `Bearer ${admin.token}`);
    expect(res.body.n).to.equal(10);
    expect(await queued(wave.id)).to.equal(0);
    await submitAll(wave.token, 5, 13);
    expect(await t.app.locals.sealer.sealDue()).to.equal(5);
    await untilQueueEmpty(wave.id, 10_000);
    await expectTalliesMatchAnswers(t.testDb.db, wave.id);
  });

  it('logs a failed fold without a time and without the statement, and leaves the queue for the next read', async () => {
    t = await createTestApp({}, { tallyFold: { quietMs: 50 }, sealing: MANUAL_SEALING });
    const admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin);
    await t.testDb.db.schema.renameTable('answer_tallies', 'answer_tallies_away');
    await submitAll(wave.token, 5, 14); // the wave's minimum group size, so that the results read below shows them
    await close(admin.token, wave.id);
    const responseIds = await t.testDb.db('responses').where({ wave_id: wave.id }).pluck('id') as string[];

    const deadline = Date.now() + 10_000;
    let line: string | undefined;
    while (!(line = t.logLines.find((l) => l.includes('background tally fold failed')))) {
      if (Date.now() > deadline) throw new Error('no failed fold logged');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(JSON.parse(line)).not.to.have.property('time');
    for (const id of [...responseIds, wave.id]) expect(line).not.to.contain(id);
    expect(await queued(wave.id)).to.equal(5);

    await t.testDb.db.schema.renameTable('answer_tallies_away', 'answer_tallies');
    const res = await request(t.app).get(`/api/v1/waves/${wave.id}/results`).set('Authorization', `Bearer ${admin.token}`);
    expect(res.body.n).to.equal(5);
    expect(await queued(wave.id)).to.equal(0);
  });
});
