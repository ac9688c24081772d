// A results request is one read (server/results/one-read.ts): what each of its counts would
// repeat (the wave, the tally queue, tally rows, the copy's check) is done once, and its
// counts come from one state of the columnar copy.
import { expect } from 'chai';
import { createTestDb, TestDb } from '../helpers/db';
import { quickscanWave } from '../helpers/quickscan-wave';
import { storeResponses } from '../helpers/results';
import { seededRandom } from '../helpers/quickscan-stream';
import { quickscanResponse } from '../../bench/quickscan-data';
import type { InstrumentCatalogue } from '../../server/instruments/catalogue';
import type { Store } from '../../server/store';
import { createResultsService } from '../../server/results/service';
import { createResultsRepository } from '../../server/results/repository';
import { asOneRead } from '../../server/results/one-read';
import type { CurrentUser } from '../../server/auth/scope';
import { readerOf } from '../../server/db/connection';

describe('one read per results request', function () {
  this.timeout(120_000);
  let t: TestDb;
  let store: Store;
  let catalogue: InstrumentCatalogue;
  let waveId: string;
  let user: CurrentUser;

  beforeEach(async () => {
    t = await createTestDb();
    ({ store, catalogue, waveId, user } = await quickscanWave(t, { seed: 11, responses: 200 }));
  });
  afterEach(() => t.close());

  it('checks the tally queue, finds the wave and reads each grouping\'s tallies once in a filtered summary', async () => {
    // Computing every time (no answer kept: read-memo.ts), as the first read after a change does.
    const results = createResultsService(store, catalogue, { keptAnswers: 0 });
    await results.summary(user, waveId, ['c_collegas:ja']); // builds the copy
    const queries: string[] = [];
    const withBindings: string[] = [];
    const listen = (q: { sql: string; bindings?: unknown[] }) => {
      queries.push(q.sql);
      withBindings.push(`${q.sql} ${JSON.stringify(q.bindings ?? [])}`);
    };
    // The copy reads through its own pool (server/db/connection.ts, readerOf): count its queries too.
    const pools = [...new Set([t.db, readerOf(t.db)])];
    for (const pool of pools) pool.on('query', listen);
    try {
      await results.summary(user, waveId, ['c_collegas:ja']);
    } finally {
      for (const pool of pools) pool.removeListener('query', listen);
    }
    const count = (pattern: RegExp) => queries.filter((sql) => pattern.test(sql)).length;
    // The queue is checked in the statement that finds the wave, and not read again: the filter
    // brings the copy up to date first, and the whole wave's counts are then made on it (no
    // fold: server/results/repository.ts, copyChecked).
    expect(count(/from .tally_queue./), 'tally queue checks').to.be.at.most(1);
    expect(count(/from .waves. as .w. inner join/), 'wave lookups').to.equal(1);
    expect(queries.filter((sql) => /wave_answer_changes/.test(sql) && !/tally_queue/.test(sql)).length, 'copy checks').to.equal(1);
    expect(count(/pending_responses/), 'pending counts').to.equal(1);
    const tallyReads = withBindings.filter((sql) => /from .answer_tallies./.test(sql));
    // Each grouping's tally rows at most once (the whole wave was read 7 times, 27 tally reads
    // in all, before); with the copy brought up to date by the filter, none.
    expect(new Set(tallyReads).size).to.equal(tallyReads.length);
  });

  it('counts from one state of the copy within a read, and sees a change in the next', async () => {
    const repo = createResultsRepository(t.db, { useTallies: false });
    const wave = (await repo.findWave({ organisationId: null }, waveId))!;
    const filter = [{ question: 'c_collegas', row: '', value: 'ja' }];
    const before = await repo.countRespondents(wave, filter);
    const random = seededRandom(12);
    const more = Array.from({ length: 40 }, () => ({ ...quickscanResponse(random), c_collegas: 'ja' }));
    const [inside, after] = await asOneRead(async () => {
      const first = await repo.countRespondents(wave, filter);
      await storeResponses(t.db, waveId, more);
      return [first, await repo.countRespondents(wave, filter)];
    });
    expect(inside).to.equal(before);
    expect(after).to.equal(before);
    expect(await repo.countRespondents(wave, filter)).to.equal(before + 40);
  });
});
