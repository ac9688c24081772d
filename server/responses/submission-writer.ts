// Group commit for submissions: the ones that arrive while a transaction is being written
// wait for it, and are then written together, in one transaction with few statements.
// Every caller hears back only after the transaction holding its response has committed,
// and then the one holding its contact details (never the same transaction, storage.ts), so
// a 201 still means "on disk"; with no load, a submission is written at once, alone.
// Responses are stored pending; sealing (server/sealing/) moves them later, in batches.
//
// One transaction at a time per process: SQLite allows one writer anyway, and on PostgreSQL
// a second one measured no faster, while two transactions storing contact details at once
// can deadlock (each CLUSTERs contact_requests). fsync and the per-statement work are shared
// by the whole batch.
//
// Nothing waits for ever. A database that goes silent (or a SQLite write that never
// returns) would otherwise hold the one batch in flight, and every submission behind it,
// for good: each transaction is given up after timeoutMs (its connection aborted, store.ts),
// each submission is answered within timeoutMs of arriving, with a 503 if it was not
// committed by then, and at most maxQueued wait; more are turned away at once with a 503.
// A submission that was answered 503 may still have been committed: its retry then hears
// 'duplicate'. None is ever answered 'stored' without its commit.
import type { Store } from '../store';
import { ResponseToStore, storePending, storePendingContacts } from './storage';
import { serviceUnavailable } from '../http/errors';
import { unavailableReason, UnavailableReason } from '../db/errors';
import { t } from '../i18n/messages';

export type PendingSubmission = Omit<ResponseToStore, 'invitationId'>;

interface Queued extends PendingSubmission {
  /** True once answered (committed, failed, or given up on): later outcomes are ignored. */
  settled: boolean;
  done(outcome: 'stored' | 'duplicate'): void;
  fail(err: unknown): void;
}

export interface SubmissionWriter {
  /** Resolves once the submission is committed ('stored') or found stored before ('duplicate'). */
  write(submission: PendingSubmission): Promise<'stored' | 'duplicate'>;
  /** For /healthz. */
  state(): WriterState;
}

export interface WriterState {
  /** Submissions waiting for the writer. */
  queued: number;
  /** How long the batch in flight has been written (null: none). */
  batchAgeMs: number | null;
  /** The last time the database failed the writer, unless a batch has committed since. */
  lastFailure: { agoMs: number; reason: UnavailableReason } | null;
}

export interface SubmissionWriterOptions {
  /** A submission is answered within this long; a transaction is given up after it. */
  timeoutMs: number;
  /** Submissions that may wait for the writer; more are refused with a 503. */
  maxQueued: number;
}

/** Most submissions in one transaction. */
const MAX_BATCH = 64;

export function createSubmissionWriter(store: Store, { timeoutMs, maxQueued }: SubmissionWriterOptions): SubmissionWriter {
  const queue: Queued[] = [];
  let batchStartedAt: number | null = null;
  let lastFailure: { at: number; reason: UnavailableReason } | null = null;
  const failed = (reason: UnavailableReason) => { lastFailure = { at: Date.now(), reason }; };

  const pump = () => {
    if (batchStartedAt !== null || queue.length === 0) return;
    batchStartedAt = Date.now();
    void writeBatch(queue.splice(0, MAX_BATCH)).finally(() => {
      batchStartedAt = null;
      pump();
    });
  };

  /** The database cannot serve now: a 503 for this submission, not the driver's error. */
  const unavailable = (err: unknown) => (unavailableReason(err) ? serviceUnavailable() : err);

  async function writeBatch(batch: Queued[]): Promise<void> {
    let outcomes: Array<'stored' | 'duplicate'>;
    try {
      outcomes = await store.boundedTransaction(timeoutMs, (repos) => storePending(repos, batch));
      await storePendingContacts(store, timeoutMs, batch);
    } catch (err) {
      // The database is down, silent, read-only or full: the same for every submission.
      const reason = unavailableReason(err);
      if (reason) {
        failed(reason);
        batch.forEach((item) => item.fail(serviceUnavailable()));
        return;
      }
      // Nothing of the batch was committed (a transaction of another process deadlocked with
      // this one, say, or one submission is at fault): each is now stored the way a single
      // submission always was, in a transaction of its own, one after the other, and tried
      // once more if that fails.
      for (const [i, item] of batch.entries()) {
        if (item.settled) continue; // answered already (its time ran out)
        const once = async () => {
          const [outcome] = await store.boundedTransaction(timeoutMs, (repos) => storePending(repos, [item]));
          await storePendingContacts(store, timeoutMs, [item]);
          return outcome;
        };
        try {
          item.done(await once().catch((first: unknown) => (unavailableReason(first) ? Promise.reject(first) : once())));
        } catch (failure) {
          item.fail(unavailable(failure));
          const reason = unavailableReason(failure);
          if (reason) {
            failed(reason);
            batch.slice(i + 1).forEach((rest) => rest.fail(serviceUnavailable()));
            return;
          }
        }
      }
      return;
    }
    lastFailure = null;
    batch.forEach((item, i) => item.done(outcomes[i]));
  }

  return {
    write(submission) {
      // The queue is bounded: during an outage it would otherwise grow with every request.
      if (queue.length >= maxQueued) return Promise.reject(serviceUnavailable(t('errors.busy')));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const waiting = queue.indexOf(item);
          if (waiting >= 0) queue.splice(waiting, 1);
          if (!item.settled) failed('timed out');
          item.fail(serviceUnavailable());
        }, timeoutMs);
        const settle = () => {
          item.settled = true;
          clearTimeout(timer);
        };
        const item: Queued = {
          ...submission,
          settled: false,
          done(outcome) { if (!item.settled) { settle(); resolve(outcome); } },
          fail(err) { if (!item.settled) { settle(); reject(err); } },
        };
        queue.push(item);
        pump();
      });
    },
    state: () => ({
      queued: queue.length,
      batchAgeMs: batchStartedAt === null ? null : Date.now() - batchStartedAt,
      lastFailure: lastFailure && { agoMs: Date.now() - lastFailure.at, reason: lastFailure.reason },
    }),
  };
}
