// Heavy reads (results, comparisons, summaries, series, texts) run a few at a time: at most
// `perUser` of one user and `overall` in the process, the rest wait in turn. A read's
// counting is JavaScript on the one thread that also validates submissions, and a read that
// builds a wave's columnar copy (columns/) holds it for longer: six dashboards opened at once
// by one viewer used to hold a submission up for seconds. A user with `queuePerUser` reads
// already waiting is told to come back (429 with Retry-After) rather than queue without end.
import { RetryLaterError } from '../http/errors';
import { t } from '../i18n/messages';

export interface ReadLimits {
  perUser: number;
  overall: number;
  queuePerUser: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { perUser: 2, overall: 2, queuePerUser: 20 };

export interface ReadLimiter {
  run<T>(userId: string, work: () => Promise<T>): Promise<T>;
  /** Reads running and waiting now (tests). */
  load(): { running: number; waiting: number };
}

export function createReadLimiter({ perUser, overall, queuePerUser }: ReadLimits = DEFAULT_READ_LIMITS): ReadLimiter {
  let running = 0;
  const runningOf = new Map<string, number>();
  const waitingOf = new Map<string, number>();
  const queue: Array<{ userId: string; start: () => void }> = [];

  const startable = (userId: string) => running < overall && (runningOf.get(userId) ?? 0) < perUser;
  const begin = (userId: string) => {
    running += 1;
    runningOf.set(userId, (runningOf.get(userId) ?? 0) + 1);
  };
  const end = (userId: string) => {
    running -= 1;
    const left = (runningOf.get(userId) ?? 1) - 1;
    if (left === 0) runningOf.delete(userId);
    else runningOf.set(userId, left);
    // The first in line who may start now (another user's read when this user is at their limit).
    for (let i = 0; i < queue.length && running < overall; i++) {
      if (!startable(queue[i].userId)) continue;
      const [next] = queue.splice(i, 1);
      i -= 1;
      next.start();
    }
  };

  return {
    async run(userId, work) {
      if (!startable(userId)) {
        const waiting = waitingOf.get(userId) ?? 0;
        if (waiting >= queuePerUser) throw new RetryLaterError(429, 'too_many_requests', t('errors.busy'), 2);
        waitingOf.set(userId, waiting + 1);
        try {
          await new Promise<void>((resolve) => { queue.push({ userId, start: () => { begin(userId); resolve(); } }); });
        } finally {
          const left = (waitingOf.get(userId) ?? 1) - 1;
          if (left === 0) waitingOf.delete(userId);
          else waitingOf.set(userId, left);
        }
      } else {
        begin(userId);
      }
      try {
        return await work();
      } finally {
        end(userId);
      }
    },
    load: () => ({ running, waiting: queue.length }),
  };
}
