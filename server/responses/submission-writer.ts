// Group commit for submissions: the ones that arrive while a transaction is being written
// wait for it, and are then written together, in one transaction with few statements.
// Every caller hears back only after the transaction holding its response has committed,
// so a 201 still means "on disk"; with no load, a submission is written at once, alone.
//
// One transaction at a time per process: SQLite allows one writer anyway, and on PostgreSQL
// a second one measured no faster, while two transactions storing contact details at once
// can deadlock (each CLUSTERs contact_requests). fsync and the per-statement work are shared
// by the whole batch.
import type { Store } from '../store';
import { ResponseToStore, storeResponse, storeResponses } from './storage';

export type PendingSubmission = Omit<ResponseToStore, 'invitationId'>;

interface Queued extends PendingSubmission {
  resolve(outcome: 'stored' | 'duplicate'): void;
  reject(err: unknown): void;
}

export interface SubmissionWriter {
  /** Resolves once the submission is committed ('stored') or found stored before ('duplicate'). */
  write(submission: PendingSubmission): Promise<'stored' | 'duplicate'>;
}

/** Most submissions in one transaction. */
const MAX_BATCH = 64;

export function createSubmissionWriter(store: Store): SubmissionWriter {
  const queue: Queued[] = [];
  let writing = false;

  const pump = () => {
    if (writing || queue.length === 0) return;
    writing = true;
    void writeBatch(queue.splice(0, MAX_BATCH)).finally(() => {
      writing = false;
      pump();
    });
  };

  async function writeBatch(batch: Queued[]): Promise<void> {
    let outcomes: Array<'stored' | 'duplicate'>;
    try {
      outcomes = await store.transaction((repos) => storeResponses(repos, batch));
    } catch {
      // Nothing of the batch was committed (a transaction of another process deadlocked with
      // this one, say, or one submission is at fault): each is now stored the way a single
      // submission always was, in a transaction of its own, one after the other, and tried
      // once more if that fails.
      for (const item of batch) {
        const once = () => store.transaction((repos) => storeResponse(repos, item));
        await once().catch(once).then(item.resolve, item.reject);
      }
      return;
    }
    batch.forEach((item, i) => item.resolve(outcomes[i]));
  }

  return {
    write(submission) {
      return new Promise((resolve, reject) => {
        queue.push({ ...submission, resolve, reject });
        pump();
      });
    },
  };
}
