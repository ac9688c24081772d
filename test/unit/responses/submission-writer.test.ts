import { expect } from 'chai';
import type { Repositories, Store } from '../../../server/store';
import { createSubmissionWriter, PendingSubmission } from '../../../server/responses/submission-writer';
import { AppError } from '../../../server/http/errors';
import { DatabaseTimeoutError } from '../../../server/db/errors';

// A store whose transactions the test commits by hand, recording what each one wrote.
function fakeStore(options: { failBatches?: boolean } = {}) {
  const transactions: Array<{ ids: string[]; commit: () => void; fail: (err: Error) => void }> = [];
  const stored = new Set<string>();
  const store = {
    dialect: 'sqlite',
    transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
      const ids: string[] = [];
      const pending: string[] = [];
      // Submissions are stored pending (server/sealing/), one or many through insertResponses.
      const repos = {
        pending: {
          async insertResponses(rows: Array<{ submissionId: string }>) {
            if (options.failBatches && rows.length > 1) throw new Error('unique violation (another process)');
            ids.push(...rows.map((r) => r.submissionId));
            return rows.map((r) => {
              if (stored.has(r.submissionId) || pending.includes(r.submissionId)) return 'duplicate';
              pending.push(r.submissionId);
              return 'stored';
            });
          },
          async insertContacts() { /* no contact details here */ },
        },
      } as unknown as Repositories;
      return new Promise<T>((resolve, reject) => {
        work(repos).then((value) => {
          transactions.push({
            ids,
            commit: () => { pending.forEach((id) => stored.add(id)); resolve(value); },
            fail: (err) => reject(err),
          });
        }, reject);
      });
    },
    boundedTransaction<T>(_timeoutMs: number, work: (repos: Repositories) => Promise<T>): Promise<T> {
      return store.transaction(work);
    },
  } as unknown as Store;
  return { store, transactions, stored };
}

const submission = (id: string): PendingSubmission => ({
  waveId: 'w', submissionId: id, submittedOn: '2026-11-23', prepared: { ok: true, data: {}, answers: [], contact: null },
});
// Generous: these tests commit by hand and never wait for the timer.
const OPTIONS = { timeoutMs: 60_000, maxQueued: 100 };
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the submission writer (group commit)', () => {
  it('answers nobody before the transaction holding their submission has committed', async () => {
    const { store, transactions } = fakeStore();
    const writer = createSubmissionWriter(store, OPTIONS);
    let answered = false;
    const outcome = writer.write(submission('a')).then((o) => { answered = true; return o; });
    await tick();
    expect(transactions).to.have.length(1);
    expect(answered).to.equal(false);
    transactions[0].commit();
    expect(await outcome).to.equal('stored');
  });

  it('writes what arrives during a transaction together in the next one, duplicates included', async () => {
    const { store, transactions } = fakeStore();
    const writer = createSubmissionWriter(store, OPTIONS);
    const first = writer.write(submission('a'));
    await tick();
    const waiting = ['b', 'c', 'd', 'c'].map((id) => writer.write(submission(id)));
    await tick();
    expect(transactions.map((t) => t.ids)).to.deep.equal([['a']]); // one transaction at a time on SQLite
    transactions[0].commit();
    await first;
    await tick();
    expect(transactions.map((t) => t.ids)).to.deep.equal([['a'], ['b', 'c', 'd', 'c']]);
    transactions[1].commit();
    expect(await Promise.all(waiting)).to.deep.equal(['stored', 'stored', 'stored', 'duplicate']);
  });

  it('when a batch fails, stores its submissions one by one, each in a transaction of its own, trying a failed one once more', async () => {
    const { store, transactions } = fakeStore({ failBatches: true });
    const writer = createSubmissionWriter(store, OPTIONS);
    const first = writer.write(submission('a'));
    await tick();
    const rest = ['b', 'c'].map((id) => writer.write(submission(id)));
    transactions[0].commit();
    await first;
    for (let i = 0; i < 5; i++) await tick();
    expect(transactions.slice(1).map((t) => t.ids)).to.deep.equal([['b']]); // one at a time
    transactions[1].commit();
    for (let i = 0; i < 5; i++) await tick();
    transactions[2].fail(new Error('deadlock detected'));
    for (let i = 0; i < 5; i++) await tick();
    expect(transactions.slice(1).map((t) => t.ids)).to.deep.equal([['b'], ['c'], ['c']]);
    transactions[3].commit();
    expect(await Promise.all(rest)).to.deep.equal(['stored', 'stored']);
  });

  it('passes on an error that persists to the submission it concerns', async () => {
    const { store, transactions } = fakeStore();
    const writer = createSubmissionWriter(store, OPTIONS);
    const first = writer.write(submission('a'));
    for (let attempt = 0; attempt < 3; attempt++) {
      for (let i = 0; i < 5; i++) await tick();
      transactions[attempt].fail(new Error('disk full'));
    }
    await first.then(() => expect.fail('should have failed'), (err: Error) => expect(err.message).to.equal('disk full'));
    expect(transactions).to.have.length(3); // the batch, then alone, then once more
  });

  it('turns away submissions beyond its queue at once with a 503 and Retry-After, holding no more than maxQueued', async () => {
    const { store, transactions } = fakeStore();
    const writer = createSubmissionWriter(store, { timeoutMs: 60_000, maxQueued: 3 });
    const outcomes = Array.from({ length: 10 }, (_, i) => writer.write(submission(`s${i}`)).then(
      (o) => o, (err: AppError) => `${err.status} ${err.retryAfterSeconds}`));
    await tick();
    expect(writer.state().queued).to.equal(3); // one batch in flight, three waiting
    const refused = await Promise.all(outcomes.slice(4));
    expect(refused).to.deep.equal(Array(6).fill('503 10'));
    transactions[0].commit();
    await tick();
    transactions[1].commit();
    expect(await Promise.all(outcomes.slice(0, 4))).to.deep.equal(['stored', 'stored', 'stored', 'stored']);
  });

  it('gives up a batch whose transaction does not end: a 503 for its submissions, never stored, and writes the next batch', async () => {
    // The database never answers the first transaction; the store gives it up after timeoutMs.
    let calls = 0;
    const { store: inner, transactions } = fakeStore();
    const store = {
      ...inner,
      boundedTransaction<T>(timeoutMs: number, work: (repos: Repositories) => Promise<T>): Promise<T> {
        calls += 1;
        if (calls === 1) return new Promise<T>((_resolve, reject) => setTimeout(() => reject(new DatabaseTimeoutError(timeoutMs)), timeoutMs));
        return inner.transaction(work);
      },
    } as Store;
    const writer = createSubmissionWriter(store, { timeoutMs: 20, maxQueued: 10 });
    const stuck = await writer.write(submission('a')).then(() => 'stored', (err: AppError) => err.status);
    expect(stuck).to.equal(503);
    expect(writer.state().lastFailure?.reason).to.equal('timed out');
    const next = writer.write(submission('b'));
    // The submission's own timer and the stuck transaction's both run out after 20 ms; when
    // the submission's fires first, the writer is still in the stuck batch until the other
    // fires, and only then begins b's. Wait for that (at most a second), not one tick.
    for (const started = Date.now(); transactions.length === 0 && Date.now() - started < 1000;) await new Promise((resolve) => setTimeout(resolve, 5));
    transactions[0].commit();
    expect(await next).to.equal('stored');
    expect(writer.state().lastFailure).to.equal(null);
  });
});
