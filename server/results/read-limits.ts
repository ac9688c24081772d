// Heavy reads (results, comparisons, summaries, series, texts) run a few at a time: at most
// `perUser` of one user and `overall` in the process, the rest wait in turn. A read's
// counting is JavaScript on the one thread that also validates submissions, and a read that
// builds a wave's columnar copy (columns/) holds it for longer: six dashboards opened at once
// by one viewer used to hold a submission up for seconds. A user with `queuePerUser` reads
// already waiting is told to come back (429 with Retry-After) rather than queue without end.
// Exports take turns of their own the same way (createExportLimiter): a k-anonymous export
// holds up to EXPORT_HOLDS.chars of row text between reading and writing, so the number
// running at once bounds the memory exports can take; one beyond waits at most `waitMs`.
import { RetryLaterError } from '../http/errors';
import { t } from '../i18n/messages';

export interface ReadLimits {
  perUser: number;
  overall: number;
  queuePerUser: number;
  /**
   * A read that has not had its turn after this long is refused (503 with Retry-After) and
   * leaves the line; without it a read waits as long as the reads before it take.
   */
  waitMs?: number;
}

/** What a refused read is told: beyond its user's line (429), and after waiting `waitMs` in vain (503). */
export interface Refusals {
  perUser: string;
  waited: string;
}

/** The seconds a refused read is told to wait before it asks again. */
const RETRY_AFTER_SECONDS = 2;

// A dashboard read waits at most a minute for its turn (then 503 with Retry-After): long
// enough for the first read of a large wave, which builds its copy while holding a turn.
export const DEFAULT_READ_LIMITS: ReadLimits = { perUser: 2, overall: 2, queuePerUser: 20, waitMs: 60_000 };

export interface ReadLimiter {
  run<T>(userId: string, work: () => Promise<T>): Promise<T>;
  /** Reads running and waiting now (tests). */
  load(): { running: number; waiting: number };
}

export function createReadLimiter({ perUser, overall, queuePerUser, waitMs }: ReadLimits = DEFAULT_READ_LIMITS,
  refusals: Refusals = { perUser: t('errors.busy'), waited: t('errors.busy') }): ReadLimiter {
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
        if (waiting >= queuePerUser) throw new RetryLaterError(429, 'too_many_requests', refusals.perUser, RETRY_AFTER_SECONDS);
        waitingOf.set(userId, waiting + 1);
        let timer: NodeJS.Timeout | undefined;
        try {
          await new Promise<void>((resolve, reject) => {
            const entry = { userId, start: () => { clearTimeout(timer); begin(userId); resolve(); } };
            queue.push(entry);
            if (waitMs !== undefined) {
              timer = setTimeout(() => {
                const at = queue.indexOf(entry);
                if (at >= 0) queue.splice(at, 1);
                reject(new RetryLaterError(503, 'busy', refusals.waited, Math.max(RETRY_AFTER_SECONDS, Math.ceil(waitMs / 1000))));
              }, waitMs);
            }
          });
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

export interface ExportLimits {
  /** Exports running at once in the process. */
  overall: number;
  /** Exports one user may have running at once; as many more wait, beyond that 429. */
  perUser: number;
  /** How long an export waits for its turn before it is refused with 503. */
  waitMs: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = { overall: 2, perUser: 1, waitMs: 20_000 };

/** The turns of the CSV exports (one wave's and the combined one): the whole download is one turn. */
export function createExportLimiter({ overall, perUser, waitMs }: ExportLimits = DEFAULT_EXPORT_LIMITS): ReadLimiter {
  return createReadLimiter({ perUser, overall, queuePerUser: perUser, waitMs }, { perUser: t('csv.export.ownBusy'), waited: t('csv.export.busy') });
}
