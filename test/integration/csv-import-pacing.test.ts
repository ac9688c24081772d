// An import is background work beside live submissions (server/csv/service.ts): it stores its
// rows in chunks, pausing after each IMPORT_BACKOFF times as long as the chunk took while
// others write beside it, and takes the chunks stored before one that fails out again. Through the CSV service itself,
// on a Store that records when each chunk's transaction ran, on SQLite and PostgreSQL.
import { expect } from 'chai';
import { createTestApp, TestApp, setupAdmin, createWave, testInstrumentFiles } from '../helpers/app';
import { fixture, responseCount } from '../helpers/csv';
import { createStore, Store } from '../../server/store';
import { createWaveService } from '../../server/waves/service';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { createCsvService, IMPORT_BACKOFF, IMPORT_CHUNK, IMPORT_PAUSE_MS, isImportFile, pauseAfterChunk } from '../../server/csv/service';
import type { CurrentUser } from '../../server/auth/scope';

describe('CSV import beside live submissions', () => {
  let t: TestApp;
  let actor: CurrentUser;
  let waveId: string;
  beforeEach(async () => {
    t = await createTestApp();
    const admin = await setupAdmin(t.app);
    actor = { id: admin.user.id, email: admin.user.email, role: 'admin', organisationId: admin.organisationId, networkId: null };
    waveId = (await createWave(t.app, admin, { minGroupSize: 3 })).id;
  });
  afterEach(async () => t.close());

  /** The two valid rows of the fixture, again and again: `chunks` chunks' worth. */
  function fileOf(chunks: number): Buffer {
    const [header, ...rows] = fixture('two-valid-quickscan-rows.csv').toString('utf8').split(/\r?\n/).filter((line) => line !== '');
    const lines = Array.from({ length: chunks * IMPORT_CHUNK }, (_, i) => rows[i % rows.length]!.replace(/^\d+/, String(i + 1)));
    return Buffer.from([header, ...lines].join('\r\n') + '\r\n');
  }

  /** The CSV service on the test's database, with a Store that records each transaction and can fail the n-th. */
  async function serviceWith(failAt?: number) {
    const base = createStore(t.testDb.db);
    const turns: Array<{ start: number; end: number }> = [];
    let calls = 0;
    const store: Store = {
      ...base,
      async transaction(work) {
        calls += 1;
        if (calls === failAt) throw new Error('the database failed this chunk');
        const start = performance.now();
        try {
          return await base.transaction(work);
        } finally {
          turns.push({ start, end: performance.now() });
        }
      },
    };
    const instruments = await createInstrumentCatalogue(t.testDb.db, testInstrumentFiles());
    return { csv: createCsvService(store, createWaveService(store, instruments), instruments), turns, base };
  }

  it(`pauses after each chunk at least ${IMPORT_BACKOFF} times as long as the chunk took while others write beside it: at most a quarter of the time`, async () => {
    const { csv, turns, base } = await serviceWith();
    const file = csv.readExportFormat(fileOf(4), 'herhaald.csv');
    if (!isImportFile(file)) throw new Error(JSON.stringify(file));
    // Others write all the while, as live submissions would: one small transaction after the other.
    let importing = true;
    const beside = (async () => {
      while (importing) await base.transaction((repos) => repos.pending.waitingIn(waveId));
    })();
    const outcome = await csv.importFile(actor, waveId, file, { dryRun: false }).finally(() => { importing = false; });
    await beside;
    expect(outcome).to.include({ status: 'imported', imported: 4 * IMPORT_CHUNK });
    expect(turns).to.have.length(4);
    for (let k = 0; k + 1 < turns.length; k++) {
      const took = turns[k]!.end - turns[k]!.start;
      const pause = turns[k + 1]!.start - turns[k]!.end;
      // A fifth of slack: a timer counts from the event loop's time, taken when the loop went
      // round last, so it may fire a few ms early by the clock (and 10 ms apart, as before, fails).
      expect(pause, `the pause after chunk ${k + 1}, which took ${took.toFixed(1)} ms`).to.be.at.least(0.8 * IMPORT_BACKOFF * took);
    }
    expect(await responseCount(t.testDb.db, waveId)).to.equal(4 * IMPORT_CHUNK);
  });

  it('goes on after a short pause when nobody else writes', () => {
    expect(pauseAfterChunk(40, false)).to.equal(IMPORT_PAUSE_MS);
    expect(pauseAfterChunk(40, true)).to.equal(IMPORT_BACKOFF * 40);
    expect(pauseAfterChunk(1, true)).to.equal(IMPORT_PAUSE_MS);
  });

  it('takes the chunks stored before one that fails out again, and forgets the import: all or nothing', async () => {
    const failing = await serviceWith(3);
    const file = failing.csv.readExportFormat(fileOf(4), 'herhaald.csv');
    if (!isImportFile(file)) throw new Error(JSON.stringify(file));
    let failed: unknown = null;
    await failing.csv.importFile(actor, waveId, file, { dryRun: false }).catch((err: unknown) => { failed = err; });
    expect(String(failed)).to.contain('the database failed this chunk');
    expect(failing.turns, 'two chunks stored, then the undo').to.have.length(3);
    expect(await responseCount(t.testDb.db, waveId)).to.equal(0);
    expect(await failing.csv.listImports(actor, waveId)).to.deep.equal([]);
    // The same file goes in whole afterwards: it was not recorded as imported.
    const { csv } = await serviceWith();
    expect(await csv.importFile(actor, waveId, file, { dryRun: false })).to.include({ status: 'imported', imported: 4 * IMPORT_CHUNK });
    expect(await responseCount(t.testDb.db, waveId)).to.equal(4 * IMPORT_CHUNK);
  });
});
