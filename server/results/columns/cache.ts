// The columnar copies of one process (wave-columns.ts), per database: built on first use
// from the sealed rows, kept current before every use, dropped when unused.
//
// Current: before each use one read by primary keys of the wave's change counters and
// answers_epoch (migration 20261202060000). Every transaction that adds responses to a
// wave raises a counter as it commits, in whichever process it runs; when their sum is not
// the one the copy saw, the copy reads the wave's response ids (one string) and loads the
// responses whose ids it does not hold (held-ids.ts). No order of the responses is stored
// or used. A raised epoch (answers deleted) rebuilds the copy. Sealed rows only: pending
// responses are not in responses/answers, so they are in no copy.
//
// One read (a request: ../one-read.ts) checks each wave once, at its first use: a summary makes
// some forty counts, and forty checks cost more than the counting (SQLite, 100,000 responses).
//
// Bounded: a copy unused for idleMs is dropped, and beyond maxBytes over all copies the
// least recently used go first. One load per wave at a time; other readers wait for it.
import type { Knex } from 'knex';
import { answersVersion, loadAnswersOf, responseIds } from './repository';
import { HeldIds } from './held-ids';
import { markInRead, markedInRead } from '../one-read';
import { WaveColumns } from './wave-columns';

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
  version: number;
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
  /** Copies held now and their bytes (the benchmark; tests). */
  stats(): { waves: number; bytes: number };
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

/** The process's cache for this database (a knex instance, not a transaction). */
export function columnCacheOf(db: Knex): ColumnCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = createColumnCache(db, options)));
  return cache;
}

export function createColumnCache(db: Knex, { idleMs, maxBytes }: ColumnCacheOptions): ColumnCache {
  const entries = new Map<string, Entry>(); // in order of last use, oldest first
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

  async function refresh(waveId: string, entry: Entry): Promise<boolean> {
    const now = await answersVersion(db, waveId);
    if (!now) return false;
    if (now.epoch !== entry.epoch) {
      // Answers were deleted (or this is the first load): start again from nothing.
      entry.columns = new WaveColumns();
      entry.held = new HeldIds();
      entry.epoch = now.epoch;
      entry.version = -1;
    }
    if (now.version !== entry.version) {
      const ids = await responseIds(db, waveId);
      const difference = entry.held.differenceOf(ids);
      let { missing } = difference;
      if (difference.found !== entry.held.size) {
        // Held ids the wave no longer has, or two ids with one key: load it all again rather than be wrong.
        entry.columns = new WaveColumns();
        entry.held = new HeldIds();
        missing = ids === '' ? [] : ids.split(',');
      }
      const loaded: string[] = [];
      await loadAnswersOf(db, waveId, missing, (page) => {
        entry.columns.addEncoded(page.map((r) => r.answers));
        for (const r of page) loaded.push(r.id);
      });
      entry.held.add(loaded); // once: each add sorts

    }
    entry.version = now.version;
    return true;
  }

  return {
    async current(waveId) {
      let entry = entries.get(waveId);
      if (!entry) {
        // epoch -1: the first refresh loads everything.
        entry = { columns: new WaveColumns(), held: new HeldIds(), version: -1, epoch: -1, lastUsed: Date.now(), refreshing: null };
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
    stats: () => ({ waves: entries.size, bytes: [...entries.values()].reduce((n, e) => n + bytesOf(e), 0) }),
    clear: () => entries.clear(),
  };
}
