// Folds queued responses into the tallies while the server is quiet, so that the first
// dashboard after a burst of submissions does not have to fold the whole burst itself
// (about half a millisecond per response: 10,000 submissions would keep a manager
// waiting five seconds). Sealing only queues the responses it writes (tallies/repository.ts).
//
// Folding writes, and SQLite has one writer: a fold that ran during a stream of
// submissions would hold every one of them up. So folding starts only after `quietMs`
// without a stored submission, in small transactions, and stops as soon as another
// submission is stored; the results still fold whatever is left before they read.
import { Logger, loggableError, respondentLogger } from '../../log';
import type { Store } from '../../store';

export interface BackgroundFoldOptions {
  /** Quiet time after the last stored submission before folding starts (ms). */
  quietMs?: number;
  /** Responses folded per transaction. */
  chunk?: number;
}

export interface BackgroundFold {
  /** A response of this wave was stored (and queued for the tallies). */
  stored(waveId: string): void;
}

export function createBackgroundFold(store: Store, log: Logger, options: BackgroundFoldOptions = {}): BackgroundFold {
  const quietMs = options.quietMs ?? 1000;
  const chunk = options.chunk ?? 100;
  const waves = new Set<string>();
  let lastStored = 0;
  let timer: NodeJS.Timeout | null = null;
  let folding = false;

  const schedule = (delay: number) => {
    timer = setTimeout(() => void fold(), delay);
    timer.unref(); // never keeps the process alive
  };

  /** Not quiet: a submission was stored less than quietMs ago; fold() is tried again after it. */
  const waitedForQuiet = () => {
    const sinceStored = Date.now() - lastStored;
    if (sinceStored >= quietMs) return false;
    schedule(quietMs - sinceStored);
    return true;
  };

  async function fold(): Promise<void> {
    timer = null;
    if (folding) return;
    folding = true;
    try {
      for (const waveId of waves) {
        let folded: number;
        do {
          if (waitedForQuiet()) return;
          folded = await store.repos.results.foldQueued(waveId, chunk);
        } while (folded === chunk);
        // A response of this wave stored during the last chunk is folded next time.
        if (waitedForQuiet()) return;
        waves.delete(waveId);
      }
    } catch (err) {
      // Nothing is lost: the queue stays, and the next results read folds it. The line has
      // no timestamp and no statement: a fold follows submissions by a second, and the
      // statement names response ids; together they would say when a response arrived.
      respondentLogger(log).warn({ err: loggableError(err) }, 'background tally fold failed');
    } finally {
      folding = false;
    }
  }

  return {
    stored(waveId) {
      waves.add(waveId);
      lastStored = Date.now();
      // One timer at a time; when it fires, fold() waits out whatever is left of the quiet time.
      if (!folding && !timer) schedule(quietMs);
    },
  };
}
