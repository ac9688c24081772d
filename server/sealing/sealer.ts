// Seals pending submissions (migration 20261130200000, repository.ts) in the background.
//
// A wave's pending responses are sealed once at least its minimum group size wait, and all
// of them once it no longer accepts responses (closed, or past its closing day). Results
// read sealed rows only, so while a wave is open they change in steps of at least the
// minimum: the difference between two views never isolates one respondent. Sealing
// rewrites the batch in one transaction in random order with fresh keys, then the contact
// details waiting in another, then scrubs what the deleted pending rows left in the files.
// In an anonymous wave the last sealed batch is held back from the results until the next
// one, so that the close, which seals whatever waits however few, adds at least the minimum
// to what was shown (repository.ts, sealResponses; docs/privacy.md, rule 9).
//
// Runs a little after each stored submission (not after a quiet time as the tally fold
// does: under a steady stream the minimum must still be sealed), when a wave is closed
// (before the close is answered: waves/service.ts), a second after midnight for the waves
// whose closing day has passed, every intervalMs as a backstop, and before results are read
// (a read waits for it at most readWaitMs). One run at a time per process (on PostgreSQL an
// advisory lock per wave keeps processes apart); every transaction is
// bounded by timeoutMs, and a batch holds at most `limit` responses, so SQLite's one
// writer is held for milliseconds. A failed run loses nothing: the rows stay pending.
import { Logger, loggableError, respondentLogger } from '../log';
import type { Store } from '../store';
import { withinDeadline } from '../db/errors';
import { dayInNetherlands } from '../util/dates';
import type { WaitingWave } from './repository';

export interface SealerOptions {
  /** Each transaction of a seal is given up after this long. */
  timeoutMs: number;
  /** Delay after a stored submission before a run. */
  delayMs?: number;
  /** How often waves that closed are looked for (0: never; runs after submissions and reads still happen). */
  intervalMs?: number;
  /** Most responses in one sealing transaction. */
  limit?: number;
  /** Told the wave of every sealed batch (the background tally fold). */
  onSealed?: (waveId: string) => void;
  /**
   * Scrubs at most this often (0: after every seal). A scrub truncates SQLite's WAL or
   * VACUUMs PostgreSQL's pending tables; after every seal, under a stream of submissions
   * (a seal every ~50 ms), it cost about a third of the submission rate. Deferring it by up
   * to a second leaves a sealed batch's leftovers in the files that long, beside the rows
   * still pending, which a copy made then can link anyway (docs/privacy.md).
   */
  scrubEveryMs?: number;
  /**
   * How long a results read waits for the seal of its wave (sealForRead). Under a stream of
   * submissions a run is nearly always in flight, with its scrub (PostgreSQL's VACUUM)
   * behind it: readers that waited for the chain got 6 answers in 30 s. Past this wait a
   * read counts what is sealed, a state every reader could have seen a moment before; the
   * run goes on, and the next read shows what it sealed.
   */
  readWaitMs?: number;
}

export interface Sealer {
  /** A submission of this wave was stored (pending). */
  stored(waveId: string): void;
  /** Seals every wave that is due now; resolves with the responses sealed (by the run that does: runs not yet started are shared). */
  sealDue(): Promise<number>;
  /** Seals this wave if it is due (a close: waits for the whole run). Never throws. */
  sealWave(waveId: string): Promise<void>;
  /** For a results read: starts the seal of this wave and waits for it at most readWaitMs. Never throws: what is sealed is shown. */
  sealForRead(waveId: string): Promise<void>;
}

/** Open waves wait for the minimum; a wave that accepts no more responses is sealed whole. */
export function accepting(wave: Pick<WaitingWave, 'status' | 'opensOn' | 'closesOn'>, today: string): boolean {
  if (wave.status !== 'open') return false;
  if (wave.closesOn && today > wave.closesOn) return false;
  return true;
}

/**
 * Whether a run would seal something of the wave now: all that waits once it accepts no
 * more, else a batch once the minimum waits. sealOne and a results read (whether it need
 * ask for a run at all) decide by this one rule.
 */
export function dueForSealing(wave: Pick<WaitingWave, 'status' | 'opensOn' | 'closesOn' | 'minGroupSize' | 'waiting'>, today: string): boolean {
  return !accepting(wave, today) || wave.waiting >= wave.minGroupSize;
}

export function createSealer(store: Store, log: Logger, options: SealerOptions): Sealer {
  const { timeoutMs, delayMs = 50, intervalMs = 60_000, limit = 1000, onSealed, scrubEveryMs = 1000, readWaitMs = 250 } = options;
  let running: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | null = null;
  let lastScrub = 0;
  let scrubTimer: NodeJS.Timeout | null = null;

  async function scrub(): Promise<void> {
    lastScrub = Date.now();
    // The bulk of the copying first, beside the writes; then the emptying, in the write turn.
    const scrubbed = withinDeadline(timeoutMs, store.repos.pending.copyWal().then(() => store.exclusive((repos) => repos.pending.scrub())));
    if (!(await scrubbed)) {
      respondentLogger(log).warn('sealing could not truncate the SQLite WAL now; the next seal tries again');
    }
  }

  /** After a seal: scrub now, or once scrubEveryMs has passed since the last one. */
  async function scrubAfterSeal(): Promise<void> {
    const wait = lastScrub + scrubEveryMs - Date.now();
    if (wait <= 0) return scrub();
    if (scrubTimer) return;
    scrubTimer = setTimeout(() => {
      scrubTimer = null;
      running = running.then(() => scrub().then(() => 0, (err: unknown) => {
        respondentLogger(log).warn({ err: loggableError(err) }, 'scrubbing after a seal failed; the next seal tries again');
        return 0;
      }));
    }, wait);
    scrubTimer.unref();
  }

  async function sealOne(wave: WaitingWave): Promise<number> {
    const today = dayInNetherlands();
    const all = !accepting(wave, today);
    // Below the minimum an open wave's responses wait, and so do contacts: sealed alone,
    // a contact would be as good as dated.
    if (!dueForSealing(wave, today)) return 0;
    let sealed = 0;
    // Each run moves rows or returns 0 (sealResponses), so this ends; an open wave had fewer
    // than `limit` left once a run took fewer.
    for (;;) {
      const n = await store.boundedTransaction(timeoutMs, (repos) => repos.pending.sealResponses(wave.waveId, { min: wave.minGroupSize, all, limit }));
      sealed += n;
      if (n === 0 || (!all && n < limit)) break;
    }
    // A closed wave whose few held rows stay held changes nothing: no contacts to seal, no scrub.
    if (sealed === 0 && !(all && wave.contacts)) return 0;
    await store.boundedTransaction(timeoutMs, (repos) => repos.pending.sealContacts(wave.waveId));
    await scrubAfterSeal();
    if (sealed > 0) onSealed?.(wave.waveId);
    return sealed;
  }

  async function run(only?: string): Promise<number> {
    let sealed = 0;
    try {
      const waves = await withinDeadline(timeoutMs, store.repos.pending.waiting());
      for (const wave of waves) if (only === undefined || wave.waveId === only) sealed += await sealOne(wave);
    } catch (err) {
      // No time and no statement in the line: a seal follows submissions closely.
      respondentLogger(log).warn({ err: loggableError(err) }, 'sealing pending responses failed');
    }
    return sealed;
  }

  /**
   * One run at a time: the next waits for the one in flight. A run that has not started yet
   * covers whatever is asked meanwhile (it reads what waits when it starts): every wave, or
   * the one wave asked for again. Before, each stored submission's timer and each results
   * read appended a run; when runs took longer than they came (PostgreSQL's VACUUM under a
   * stream of submissions) the chain grew, and a read waited for all of it (20 s).
   */
  let queued: { only: string | undefined; run: Promise<number> } | null = null;
  const queue = (only?: string) => {
    if (queued && (queued.only === undefined || queued.only === only)) return queued.run;
    const next = { only, run: running.then(() => {
      if (queued === next) queued = null;
      return run(only);
    }) };
    queued = next;
    running = next.run;
    return running;
  };

  if (intervalMs > 0) {
    setInterval(() => void queue(), intervalMs).unref();
    // A closing day passes at midnight (Europe/Amsterdam): the waves closing then are sealed
    // a second later, not at the next interval. Checked against the day itself, so a timer
    // that fires early (a daylight-saving change) waits again.
    const armDayChange = (day: string) => {
      setTimeout(() => {
        if (dayInNetherlands() === day) return armDayChange(day);
        void queue();
        armDayChange(dayInNetherlands());
      }, msUntilNextDayInNetherlands() + 1000).unref();
    };
    armDayChange(dayInNetherlands());
  }

  return {
    stored() {
      if (timer) return;
      timer = setTimeout(() => { timer = null; void queue(); }, delayMs);
      timer.unref();
    },
    sealDue: () => queue(),
    async sealWave(waveId) { await queue(waveId); },
    async sealForRead(waveId) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => { timer = setTimeout(resolve, readWaitMs); });
      try {
        await Promise.race([queue(waveId), waited]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** Milliseconds from `now` to the next midnight in the Netherlands (by the wall clock there). */
export function msUntilNextDayInNetherlands(now: Date = new Date()): number {
  const [h, m, sec] = clock.format(now).split(':').map(Number);
  const elapsed = ((h * 60 + m) * 60 + sec) * 1000 + now.getMilliseconds();
  return Math.max(1000, 86_400_000 - elapsed);
}
