// The columnar copies of one process (wave-columns.ts), per database: built on first use
// from the sealed rows, kept current before every use, dropped when unused.
//
// Current: before each use one primary-key read of the wave's answers_version and
// answers_epoch (migration 20261201080000). Every transaction that adds responses to a
// wave raises the version first and numbers its responses with it, in whichever process
// it runs, so a copy at version v that sees version w loads exactly the responses with
// v < sealed_batch <= w; a raised epoch (answers deleted) rebuilds the copy. Sealed rows
// only: pending responses are not in responses/answers, so they are in no copy.
//
// Bounded: a copy unused for idleMs is dropped, and beyond maxBytes over all copies the
// least recently used go first. One load per wave at a time; other readers wait for it.
import type { Knex } from 'knex';
import { answersVersion, loadSealedAnswers } from './repository';
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
    let bytes = [...entries.values()].reduce((n, e) => n + e.columns.bytes(), 0);
    for (const [waveId, entry] of entries) {
      if (bytes <= maxBytes || entries.size <= 1) break;
      if (entry.refreshing || waveId === keep) continue;
      bytes -= entry.columns.bytes();
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
      // Answers were deleted: start again from nothing.
      entry.columns = new WaveColumns();
      entry.version = 0;
      entry.epoch = now.epoch;
      await loadSealedAnswers(db, waveId, -1, now.version, (page) => entry.columns.addEncoded(page));
    } else if (now.version > entry.version) {
      await loadSealedAnswers(db, waveId, entry.version, now.version, (page) => entry.columns.addEncoded(page));
    }
    entry.version = now.version;
    return true;
  }

  return {
    async current(waveId) {
      let entry = entries.get(waveId);
      if (!entry) {
        // epoch -1: the first refresh loads everything, responses from before the migration (batch 0) included.
        entry = { columns: new WaveColumns(), version: 0, epoch: -1, lastUsed: Date.now(), refreshing: null };
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
      return entry.columns;
    },
    holds: (waveId) => entries.has(waveId),
    stats: () => ({ waves: entries.size, bytes: [...entries.values()].reduce((n, e) => n + e.columns.bytes(), 0) }),
    clear: () => entries.clear(),
  };
}
