// What /healthz reports: whether a response could be stored now. A read ("select 1")
// succeeds on a database that is read-only, full or whose writer is stuck, so the check
// writes: one counter in a transaction, given up after timeoutMs. The submission writer's
// own state counts too: a batch in flight for longer than its time, or a transaction given
// up whose connection has not ended, means respondents are waiting right now.
import type { Store } from '../store';
import { unavailableReason } from './errors';
import type { WriterState } from '../responses/submission-writer';

export interface HealthReport {
  status: 'ok' | 'degraded';
  db: 'sqlite' | 'postgres';
  writes: 'ok' | 'failing' | 'stuck';
  reason?: string;
}

export interface HealthCheckOptions {
  timeoutMs: number;
  writerState: () => WriterState;
}

/**
 * A failure of the writer counts for this many timeouts after it, unless a batch commits:
 * the test write can succeed while submissions fail (on PostgreSQL a lock on the responses
 * table does not touch the probe's table), and respondents met that failure just now.
 */
const RECENT = 3;

export function createHealthCheck(store: Store, { timeoutMs, writerState }: HealthCheckOptions) {
  return async function check(): Promise<HealthReport> {
    const db = store.dialect;
    const writer = writerState();
    if (writer.batchAgeMs !== null && writer.batchAgeMs > timeoutMs) {
      return { status: 'degraded', db, writes: 'stuck', reason: `the submission writer has waited ${seconds(writer.batchAgeMs)} for the database (${writer.queued} waiting)` };
    }
    if (writer.lastFailure && writer.lastFailure.agoMs < RECENT * timeoutMs) {
      const { reason } = writer.lastFailure;
      return { status: 'degraded', db, writes: reason === 'timed out' ? 'stuck' : 'failing', reason: `submissions failed ${seconds(writer.lastFailure.agoMs)} ago: ${reason}` };
    }
    if (store.abandoned() > 0) {
      return { status: 'degraded', db, writes: 'stuck', reason: `${store.abandoned()} transaction(s) given up have not ended` };
    }
    try {
      await store.boundedTransaction(timeoutMs, (repos) => repos.health.recordProbe());
      return { status: 'ok', db, writes: 'ok' };
    } catch (err) {
      const reason = unavailableReason(err);
      if (reason === 'timed out') return { status: 'degraded', db, writes: 'stuck', reason: `a test write did not finish within ${seconds(timeoutMs)}` };
      // Only the kind of failure: the driver's message may hold a statement or a path.
      return { status: 'degraded', db, writes: 'failing', reason: `a test write failed: ${reason ?? 'unexpected error'}` };
    }
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
