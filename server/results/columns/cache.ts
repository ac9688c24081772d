// The columnar copies of one process (wave-columns.ts), per database: built on first use
// from the sealed rows, kept current before every use, dropped when unused.
//
// Current: before each use one read by primary keys of the wave's change counters and
// answers_epoch (migration 20261202060000). Every transaction that adds responses to a
// wave raises one of 16 counters as it commits, in whichever process it runs. A copy keeps
// each counter's value as of its state. When the counters moved, and every raise since is
// one that this process announced after its commit with the answers it added
// (announcements.ts: the seals, identified submissions), the copy takes those answers in
// without asking the database anything more: under a stream of submissions that is a seal
// every ~50 ms, each a few hundred responses. A raise it was not told of (another process,
// an import, a bulk load, announcements dropped beyond MAX_ANNOUNCED) makes it read the
// wave's response ids (one string) and load the responses whose ids it does not hold
// (held-ids.ts). No order of the responses is stored or used. A raised epoch (answers
// deleted) rebuilds the copy. Sealed rows only: pending responses are not in
// responses/answers, so they are in no copy.
//
// Read your writes: a read waits for a check in flight and then makes its own, so a change
// committed before the read began is in what it counts (test/integration/columns-equal-answers.test.ts).
//
// One read (a request: ../one-read.ts) checks each wave once, at its first use: a summary makes
// some forty counts, and forty checks cost more than the counting (SQLite, 100,000 responses).
//
// Bounded: a copy unused for idleMs is dropped, and beyond maxBytes over all copies the
// least recently used go first. One load per wave at a time; other readers wait for it.
import type { Knex } from 'knex';
import { answersCounters, countersKey, loadAnswersOf, responseIds } from './repository';
import { HeldIds } from './held-ids';
import { markInRead, markedInRead, oncePerRead } from '../one-read';
import { WaveColumns } from './wave-columns';
import { AddedResponse, AnswersAdded, listenForAnswersAdded } from './announcements';
import { databaseKey } from '../../db/after-commit';

/**
 * Most responses announced and not yet taken in, per copy: beyond it they are dropped and
 * the next check finds them by their ids (a copy nobody reads while thousands are sealed).
 */
export const MAX_ANNOUNCED = 5000;

export interface ColumnCacheOptions {
  /** A copy not used for this long is dropped (ms). */
  idleMs: number;
  /** Most bytes of arrays over all copies of the process; the least recently used go first. */
  maxBytes: number;
}

export const DEFAULT_COLUMN_CACHE: ColumnCacheOptions = { idleMs: 10 * 60_000, maxBytes: 256 * 1024 * 1024 };

interface Entry {
  columns: WaveColumns;
  /** The ids of the responses in the copy (as 53-bit keys). */
  held: HeldIds;
  /** Per stripe, the counter as of the copy's state. */
  counters: Map<number, number>;
  /** Changes this process announced and the copy has not taken in yet, by stripeAndN. */
  announced: Map<string, readonly AddedResponse[]>;
  announcedResponses: number;
  epoch: number;
  lastUsed: number;
  /** The load or refresh in flight, which every reader of the wave waits for. */
  refreshing: Promise<void> | null;
}

export interface ColumnCache {
  /** The wave's copy, current as of this call; null when the wave is gone. */
  current(waveId: string): Promise<WaveColumns | null>;
  /** Whether the process holds a copy of the wave now (current or not): then using it costs no load. */
  holds(waveId: string): boolean;
  /** The waves whose copy the process holds now (a series counts the others' respondents in its first statement). */
  heldWaves(): string[];
  /** The wave's copy if this read (../one-read.ts) brought it up to date already, else null: then it costs nothing more to use. */
  checkedInRead(waveId: string): WaveColumns | null;
  /** Copies held now and their bytes (the benchmark; tests). */
  stats(): { waves: number; bytes: number };
  /** How the copies were kept current since the cache was made: loaded whole, by a difference of ids, by announced changes only (tests; the benchmark). */
  checks(): { built: number; diffed: number; announced: number };
  /** Takes in what this process's transactions on `db` (the writers' knex) add: called once per database by columnCacheFor. */
  listenTo(db: Knex): void;
  /** Drops every copy. */
  clear(): void;
}

/** The copy's arrays and its held ids. */
const bytesOf = (entry: Entry) => entry.columns.bytes() + entry.held.bytes();

const caches = new WeakMap<Knex, ColumnCache>();
let options: ColumnCacheOptions = DEFAULT_COLUMN_CACHE;

/** Sets the limits of every cache made from now on (createApp, from the configuration). */
export function configureColumnCache(given: Partial<ColumnCacheOptions>): void {
  options = { ...DEFAULT_COLUMN_CACHE, ...given };
}

const stripeAndN = (stripe: number, n: number) => `${stripe} ${n}`;

/** Whether every counter of `read` is at most the copy's. */
function behindOrEqual(read: ReadonlyMap<number, number>, held: ReadonlyMap<number, number>): boolean {
  for (const [stripe, n] of read) if (n > (held.get(stripe) ?? 0)) return false;
  return true;
}

/** The process's cache for this database (a knex instance, not a transaction). */
export function columnCacheOf(db: Knex): ColumnCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = createColumnCache(db, options)));
  return cache;
}

/**
 * The cache that loads through `reader` (the pool for heavy reads) and takes in what this
 * process's transactions on `writer` add (announcements.ts).
 */
export function columnCacheFor(writer: Knex, reader: Knex): ColumnCache {
  const cache = columnCacheOf(reader);
  cache.listenTo(writer);
  return cache;
}

export function createColumnCache(db: Knex, { idleMs, maxBytes }: ColumnCacheOptions): ColumnCache {
  const entries = new Map<string, Entry>(); // in order of last use, oldest first
  const listening = new WeakSet<Knex>();
  let sweeper: NodeJS.Timeout | null = null;

  /** Drops the copies idle too long, then the least recently used beyond maxBytes; never `keep` (the one being handed out). */
  const sweep = (keep?: string) => {
    const now = Date.now();
    for (const [waveId, entry] of entries) if (waveId !== keep && !entry.refreshing && now - entry.lastUsed >= idleMs) entries.delete(waveId);
    let bytes = [...entries.values()].reduce((n, e) => n + bytesOf(e), 0);
    for (const [waveId, entry] of entries) {
      if (bytes <= maxBytes || entries.size <= 1) break;
      if (entry.refreshing || waveId === keep) continue;
      bytes -= bytesOf(entry);
      entries.delete(waveId);
    }
    if (entries.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  };

  const counted = { built: 0, diffed: 0, announced: 0 };

  const empty = (entry: Entry) => {
    entry.columns = new WaveColumns();
    entry.held = new HeldIds();
    entry.counters = new Map();
  };

  /** After the commit of a change of this process: kept for the copy's next check, if there is a copy. */
  const heard = (change: AnswersAdded) => {
    const entry = entries.get(change.waveId);
    if (!entry || (entry.counters.get(change.stripe) ?? 0) >= change.n) return;
    if (entry.announcedResponses + change.responses.length > MAX_ANNOUNCED) {
      // Too many waiting: the next check reads the ids instead (a gap in the announced raises).
      entry.announced.clear();
      entry.announcedResponses = 0;
      return;
    }
    entry.announced.set(stripeAndN(change.stripe, change.n), change.responses);
    entry.announcedResponses += change.responses.length;
  };

  /** The announced changes that make up every raise from the copy's counters to `now`; null when one was not announced. */
  function announcedUpTo(entry: Entry, now: Map<number, number>): Array<readonly AddedResponse[]> | null {
    const changes: Array<readonly AddedResponse[]> = [];
    for (const [stripe, n] of now) {
      for (let k = (entry.counters.get(stripe) ?? 0) + 1; k <= n; k++) {
        const change = entry.announced.get(stripeAndN(stripe, k));
        if (!change) return null;
        changes.push(change);
      }
    }
    return changes;
  }

  /** Forgets the announced changes the counters `now` include (the copy has them now). */
  function forgetUpTo(entry: Entry, now: Map<number, number>): void {
    for (const key of [...entry.announced.keys()]) {
      const [stripe, n] = key.split(' ').map(Number);
      if (n <= (now.get(stripe) ?? 0)) {
        entry.announcedResponses -= entry.announced.get(key)!.length;
        entry.announced.delete(key);
      }
    }
  }

  async function refresh(waveId: string, entry: Entry): Promise<boolean> {
    // The counters this read found with its wave (one statement), else a read of its own.
    const now = await oncePerRead(countersKey(waveId), () => answersCounters(db, waveId));
    if (!now) return false;
    if (now.epoch < entry.epoch || (now.epoch === entry.epoch && behindOrEqual(now.stripes, entry.counters))) {
      // Counters read before another read brought the copy further: it holds all they say, and more.
      return true;
    }
    if (now.epoch !== entry.epoch) {
      // Answers were deleted (or this is the first load): start again from nothing.
      empty(entry);
      entry.epoch = now.epoch;
    }
    // A copy emptied has no counters: only a wave whose every change this process announced
    // (a new one) is then made of announcements; any other is loaded.
    const changes = announcedUpTo(entry, now.stripes);
    if (changes) {
      // Only this process's own changes: their answers are here. A response the copy holds
      // already (its change committed while the ids were read) is not added twice.
      const ids: string[] = [];
      for (const responses of changes) {
        for (const r of responses) {
          if (entry.held.holds(r.id)) continue;
          entry.columns.addResponse(r.answers);
          ids.push(r.id);
        }
      }
      entry.held.add(ids); // once: each add merges all the held keys
      if (changes.length > 0) counted.announced += 1;
    } else {
      counted[entry.held.size === 0 ? 'built' : 'diffed'] += 1;
      const ids = await responseIds(db, waveId);
      const difference = entry.held.differenceOf(ids);
      let { missing } = difference;
      if (difference.found !== entry.held.size) {
        // Held ids the wave no longer has, or two ids with one key: load it all again rather than be wrong.
        empty(entry);
        missing = ids === '' ? [] : ids.split(',');
      }
      const loaded: string[] = [];
      await loadAnswersOf(db, waveId, missing, (page) => {
        entry.columns.addEncoded(page.map((r) => r.answers));
        for (const r of page) loaded.push(r.id);
      });
      entry.held.add(loaded); // once: each add sorts
    }
    // Never back: a stripe the copy holds further than these counters stays where it is.
    const counters = new Map(entry.counters);
    for (const [stripe, n] of now.stripes) if (n > (counters.get(stripe) ?? 0)) counters.set(stripe, n);
    entry.counters = counters;
    forgetUpTo(entry, counters);
    return true;
  }

  return {
    async current(waveId) {
      let entry = entries.get(waveId);
      if (!entry) {
        // epoch -1: the first refresh loads everything.
        entry = { columns: new WaveColumns(), held: new HeldIds(), counters: new Map(), announced: new Map(), announcedResponses: 0, epoch: -1, lastUsed: Date.now(), refreshing: null };
        entries.set(waveId, entry);
        if (!sweeper) {
          sweeper = setInterval(() => sweep(), Math.max(1000, Math.min(idleMs, 60_000)));
          sweeper.unref();
        }
      }
      // Most recently used last.
      entries.delete(waveId);
      entries.set(waveId, entry);
      entry.lastUsed = Date.now();
      while (entry.refreshing) await entry.refreshing;
      if (markedInRead(entry)) return entry.columns;
      let exists = true;
      const run = refresh(waveId, entry).then((found) => { exists = found; });
      entry.refreshing = run.finally(() => { entry!.refreshing = null; });
      try {
        await entry.refreshing;
      } catch (err) {
        entries.delete(waveId); // half loaded: the next use starts again
        throw err;
      }
      if (!exists) {
        entries.delete(waveId);
        return null;
      }
      sweep(waveId);
      markInRead(entry);
      return entry.columns;
    },
    holds: (waveId) => entries.has(waveId),
    heldWaves: () => [...entries.keys()],
    checkedInRead(waveId) {
      const entry = entries.get(waveId);
      return entry && !entry.refreshing && markedInRead(entry) ? entry.columns : null;
    },
    stats: () => ({ waves: entries.size, bytes: [...entries.values()].reduce((n, e) => n + bytesOf(e), 0) }),
    clear: () => entries.clear(),
    checks: () => ({ ...counted }),
    listenTo(writer) {
      if (listening.has(writer)) return;
      listening.add(writer);
      listenForAnswersAdded(databaseKey(writer), heard);
    },
  };
}
