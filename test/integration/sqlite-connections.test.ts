import { expect } from 'chai';
import { createTestDb, onPostgres, TestDb } from '../helpers/db';

// SQLite: one writer at a time, readers beside it (server/db/connection.ts).
(onPostgres ? describe.skip : describe)('SQLite connections (SQLite only)', () => {
  let t: TestDb;
  beforeEach(async () => { t = await createTestDb(); });
  afterEach(() => t.close());

  it('lets a read through while a transaction is being written, and makes a write wait for it instead of failing', async () => {
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const transaction = t.db.transaction(async (trx) => {
      await trx('organisations').select('id'); // reads first, writes later
      events.push('transaction read');
      await held;
      await trx('organisations').insert({ id: 'a', name: 'A' });
      events.push('transaction wrote');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const read = t.db('organisations').count({ n: '*' }).then((rows) => events.push(`read ${Number(rows[0].n)} beside it`));
    const write = t.db('organisations').insert({ id: 'b', name: 'B' }).then(() => events.push('wrote after it'));
    await read;
    release();
    await Promise.all([transaction, write]);
    expect(events).to.deep.equal(['transaction read', 'read 0 beside it', 'transaction wrote', 'wrote after it']);
    expect((await t.db('organisations').orderBy('id').pluck('id'))).to.deep.equal(['a', 'b']);
  });
});
