// The same results request at the same version of a wave's answers is answered from what
// the process kept (server/results/read-memo.ts) after one read of the wave; any change of
// the answers, or of the wave's settings, computes it again. A read seals only when a seal
// could change something.
import crypto from 'node:crypto';
import { expect } from 'chai';
import { createTestDb, TestDb } from '../helpers/db';
import { quickscanWave } from '../helpers/quickscan-wave';
import { storeResponses } from '../helpers/results';
import { seededRandom } from '../helpers/quickscan-stream';
import { quickscanResponse } from '../../bench/quickscan-data';
import type { InstrumentCatalogue } from '../../server/instruments/catalogue';
import type { Store } from '../../server/store';
import { createResultsService } from '../../server/results/service';
import { createReadMemo, doNotKeep } from '../../server/results/read-memo';
import { asOneRead } from '../../server/results/one-read';
import type { CurrentUser } from '../../server/auth/scope';
import { readerOf } from '../../server/db/connection';

describe('results kept per version of the answers', function () {
  this.timeout(120_000);
  let t: TestDb;
  let store: Store;
  let catalogue: InstrumentCatalogue;
  let waveId: string;
  let user: CurrentUser;

  beforeEach(async () => {
    t = await createTestDb();
    ({ store, catalogue, waveId, user } = await quickscanWave(t, { seed: 21, responses: 120 }));
  });
  afterEach(() => t.close());

  async function queriesOf(work: () => Promise<unknown>): Promise<string[]> {
    const queries: string[] = [];
    const listen = (q: { sql: string }) => queries.push(q.sql);
    const pools = [...new Set([t.db, readerOf(t.db)])];
    for (const pool of pools) pool.on('query', listen);
    try {
      await work();
    } finally {
      for (const pool of pools) pool.removeListener('query', listen);
    }
    return queries;
  }

  const requests = (results: ReturnType<typeof createResultsService>) => ({
    results: () => results.results(user, waveId, []),
    'results, filter b_role:student': () => results.results(user, waveId, ['b_role:student']),
    'compare by b_role': () => results.compare(user, waveId, 'b_role', []),
    'compare by c_ervaring within b_role:student': () => results.compare(user, waveId, 'c_ervaring', ['b_role:student']),
    summary: () => results.summary(user, waveId, []),
    'results, filter c_collegas:ja (the copy)': () => results.results(user, waveId, ['c_collegas:ja']),
  });

  it('answers a request asked again with one read of the wave, the same answer as computing it', async () => {
    const results = createResultsService(store, catalogue);
    const computed = createResultsService(store, catalogue, { keptAnswers: 0 });
    await results.results(user, waveId, []); // records the first day of results: that answer is not kept
    for (const [name, ask] of Object.entries(requests(results))) {
      const first = await ask();
      let again: unknown;
      const queries = await queriesOf(async () => { again = await ask(); });
      expect(queries, name).to.have.length(1);
      expect(queries[0], name).to.match(/wave_answer_changes/);
      expect(again, name).to.deep.equal(first);
      expect(again, name).to.deep.equal(await requests(computed)[name as keyof ReturnType<typeof requests>]());
    }
  });

  it('computes again after new answers, a change of the minimum, and with fresh awaiting', async () => {
    const results = createResultsService(store, catalogue);
    const before = await results.compare(user, waveId, 'b_role', []);
    const random = seededRandom(22);
    await storeResponses(t.db, waveId, Array.from({ length: 30 }, () => quickscanResponse(random)));
    const after = await results.compare(user, waveId, 'b_role', []);
    expect(after.n).to.equal((before.n ?? 0) + 30);

    await t.db('waves').where({ id: waveId }).update({ min_group_size: 200 });
    const raised = await results.results(user, waveId, []);
    expect(raised.suppressed).to.equal(true);
    expect(raised.wave.minGroupSize).to.equal(200);

    // Deleted answers raise the epoch: the next read counts without them.
    await t.db('waves').where({ id: waveId }).update({ min_group_size: 5 });
    const whole = await results.results(user, waveId, []);
    const [one] = await t.db('responses').where({ wave_id: waveId }).limit(1).select('submission_id');
    await store.transaction((repos) => repos.responses.undoImport(waveId, [one.submission_id]));
    expect((await results.results(user, waveId, [])).n).to.equal((whole.n ?? 0) - 1);
  });

  it('keeps the head fresh: a response waiting for its seal shows in awaiting of a kept answer', async () => {
    const results = createResultsService(store, catalogue);
    await results.results(user, waveId, []); // records the first day of results
    const first = await results.results(user, waveId, []);
    expect(first.wave.awaiting).to.equal(0);
    await t.db('pending_responses').insert({
      id: crypto.randomUUID(), wave_id: waveId, invitation_id: null, submission_id: crypto.randomUUID(), submitted_on: '2026-12-03',
      data: '{}', answers: '[]', held: false,
    });
    const again = await results.results(user, waveId, []);
    expect(again.wave.awaiting).to.equal(1);
    expect(again.questions).to.equal(first.questions); // the kept answer, not a new one
  });

  it('asks the sealer only when a seal could change something', async () => {
    const asked: string[] = [];
    const results = createResultsService(store, catalogue, { beforeRead: async (id) => { asked.push(id); } });
    await results.results(user, waveId, []);
    expect(asked, 'nothing pending').to.deep.equal([]);
    const pending = (n: number) => t.db('pending_responses').insert(Array.from({ length: n }, () => ({
      id: crypto.randomUUID(), wave_id: waveId, invitation_id: null, submission_id: crypto.randomUUID(), submitted_on: '2026-12-03',
      data: '{}', answers: '[]', held: false,
    })));
    await pending(4);
    await results.results(user, waveId, []);
    expect(asked, 'fewer than the minimum waiting in an open wave').to.deep.equal([]);
    await pending(1);
    await results.results(user, waveId, []);
    expect(asked, 'the minimum waiting').to.deep.equal([waveId]);
    await t.db('pending_responses').where({ wave_id: waveId }).delete();
    await pending(1);
    await t.db('waves').where({ id: waveId }).update({ status: 'closed' });
    await results.results(user, waveId, []);
    expect(asked, 'a closed wave seals whatever waits').to.deep.equal([waveId, waveId]);
  });

  it('keeps no answer that a read asked not to keep, and stays within its bound', async () => {
    const memo = createReadMemo(3);
    await asOneRead(async () => {
      doNotKeep();
      memo.keep('w1', 'v1', 'a', { x: 1 });
    });
    expect(memo.get('w1', 'v1', 'a')).to.equal(undefined);
    for (const request of ['a', 'b', 'c']) memo.keep('w1', 'v1', request, { request });
    memo.keep('w2', 'v1', 'a', { x: 2 });
    expect(memo.size()).to.be.at.most(3);
    expect(memo.get('w2', 'v1', 'a')).to.deep.equal({ x: 2 });
    expect(memo.get('w1', 'v1', 'a'), 'the least recently used wave went').to.equal(undefined);
    expect(memo.get('w1', 'v2', 'b'), 'another version').to.equal(undefined);
    memo.keep('w2', 'v2', 'a', { x: 3 });
    expect(memo.get('w2', 'v1', 'a'), 'a wave keeps its latest version only').to.equal(undefined);
    const kept = memo.get('w2', 'v2', 'a') as { x: number };
    expect(Object.isFrozen(kept)).to.equal(true);
  });
});
