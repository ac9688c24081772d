import crypto from 'node:crypto';
import { expect } from 'chai';
import { createTestDb, onPostgres, TestDb } from '../helpers/db';
import { testInstrumentFiles } from '../helpers/app';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { createStore, Store } from '../../server/store';

describe('the CSV repository', () => {
  let t: TestDb;
  let store: Store;
  let waveId: string;

  beforeEach(async () => {
    t = await createTestDb();
    store = createStore(t.db);
    const catalogue = await createInstrumentCatalogue(t.db, testInstrumentFiles());
    const organisation = await store.repos.organisations.create('Opvang');
    waveId = crypto.randomUUID();
    await store.repos.waves.create({
      id: waveId, organisationId: organisation.id, instrumentVersionId: (await catalogue.latest('tno-quickscan'))!.id,
      label: 'Test', mode: 'anonymous', series: null, minGroupSize: 5, opensOn: null, closesOn: null, status: 'open', publicToken: 'tok_abcdefghijklmnop',
    });
  });
  afterEach(async () => t.close());

  const record = (fileHash: string) => ({
    id: crypto.randomUUID(), waveId, userId: null, userEmail: 'beheer@opvang.test', importedAt: new Date().toISOString(), rows: 3, fileHash, fileName: 'a.csv',
  });

  it('pages through a wave\'s responses by day and id, each response exactly once, whatever the page size', async () => {
    const days = ['2026-01-02', '2026-01-01', '2026-01-03'];
    for (let i = 0; i < 25; i++) {
      await store.repos.responses.insert({
        id: crypto.randomUUID(), waveId, submissionId: crypto.randomUUID(), submittedOn: days[i % 3]!, data: { b_role: 'student', i }, answers: [],
      });
    }
    for (const size of [1, 4, 7, 25, 100]) {
      const seen: Array<{ day: string; id: string }> = [];
      let after: { day: string; id: string } | null = null;
      for (;;) {
        const page = await store.repos.csv.responsePage(waveId, after, size);
        if (page.length === 0) break;
        seen.push(...page.map((r) => ({ day: r.day, id: r.id })));
        after = seen[seen.length - 1]!;
      }
      expect(seen, `page size ${size}`).to.have.length(25);
      expect(new Set(seen.map((r) => r.id)).size).to.equal(25);
      const sorted = [...seen].sort((a, b) => (a.day === b.day ? (a.id < b.id ? -1 : 1) : a.day < b.day ? -1 : 1));
      expect(seen).to.deep.equal(sorted);
    }
  });

  it('reads responses at the places a page gave, and by id those that moved; leaves out the deleted and other waves\' rows', async () => {
    const otherWave = crypto.randomUUID();
    const wave = await t.db('waves').where({ id: waveId }).first();
    await t.db('waves').insert({ ...wave, id: otherWave, public_token: null });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = crypto.randomUUID();
      ids.push(id);
      await store.repos.responses.insert({ id, waveId: i === 5 ? otherWave : waveId, submissionId: crypto.randomUUID(), submittedOn: '2026-01-01', data: { i }, answers: [] });
    }
    const placed = [...await store.repos.csv.responsePage(waveId, null, 10), ...await store.repos.csv.responsePage(otherWave, null, 10)];
    const placeOf = new Map(placed.map((r) => [r.id, r.place]));
    // Row 0 moves (an update writes a new version on PostgreSQL; SQLite gets a new rowid), and
    // row 1 takes its old place on SQLite; row 2 is deleted.
    if (onPostgres) await t.db.raw('update responses set data = data where id in (?, ?)', [ids[0], ids[1]]);
    else {
      await t.db.raw('update responses set rowid = rowid + 1000 where id = ?', [ids[0]]);
      await t.db.raw('update responses set rowid = ? where id = ?', [placeOf.get(ids[0])!, ids[1]]);
    }
    await t.db('responses').where({ id: ids[2] }).delete();
    const wanted = ids.map((id) => ({ id, place: placeOf.get(id)! }));
    const read = await store.repos.csv.responsesAt(waveId, wanted);
    expect(read.map((r) => (JSON.parse(r.text) as { i: number }).i).sort()).to.deep.equal([0, 1, 3, 4]);
    expect(await store.repos.csv.responsesAt(waveId, [])).to.deep.equal([]);
  });

  it('records an import once per wave and file hash; the second record of the same file is refused', async () => {
    expect(await store.repos.csv.hasImport(waveId, 'a'.repeat(64))).to.equal(false);
    expect(await store.repos.csv.recordImport(record('a'.repeat(64)))).to.equal(true);
    expect(await store.repos.csv.recordImport(record('a'.repeat(64)))).to.equal(false);
    expect(await store.repos.csv.hasImport(waveId, 'a'.repeat(64))).to.equal(true);
    const list = await store.repos.csv.listImports(waveId);
    expect(list.map((r) => ({ rows: r.rows, email: r.userEmail, name: r.fileName }))).to.deep.equal([{ rows: 3, email: 'beheer@opvang.test', name: 'a.csv' }]);
  });

  it('rolls the record of an import back with its responses when the transaction fails', async () => {
    try {
      await store.transaction(async (repos) => {
        await repos.csv.recordImport(record('b'.repeat(64)));
        throw new Error('a row failed');
      });
    } catch { /* expected */ }
    expect(await store.repos.csv.hasImport(waveId, 'b'.repeat(64))).to.equal(false);
  });

  it('keeps an upload byte for byte, shows it only to its uploader, and removes old ones', async () => {
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a, 0xff, 0x00]);
    const userId = crypto.randomUUID();
    await store.repos.csv.saveUpload({ id: 'u1', waveId, userId, fileName: 'x.csv', bytes }, '2026-01-01T00:00:00.000Z');
    await store.repos.csv.saveUpload({ id: 'u2', waveId, userId, fileName: null, bytes }, '2026-01-03T00:00:00.000Z');
    expect((await store.repos.csv.findUpload(waveId, 'u1', userId))!.bytes.equals(bytes)).to.equal(true);
    expect(await store.repos.csv.findUpload(waveId, 'u1', crypto.randomUUID())).to.equal(null);
    await store.repos.csv.deleteUploadsBefore('2026-01-02T00:00:00.000Z');
    expect(await store.repos.csv.findUpload(waveId, 'u1', userId)).to.equal(null);
    expect(await store.repos.csv.findUpload(waveId, 'u2', userId)).not.to.equal(null);
  });
});
