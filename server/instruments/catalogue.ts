// The instruments a running Spiegel offers: the latest version of every file in surveys/ and
// of every instrument uploaded through the API (kept in the database, so they outlive a
// restart), plus any older version an existing wave still points at (loaded on demand,
// cached). An instrument uploaded by a manager is seen by that organisation only.
//
// Several processes may share one database, and an instrument is published through one of
// them. So the list is not a start-up snapshot: before it is read, a cheap stamp of
// instrument_versions (count and largest id) is compared with the one the list was built
// from, at most once per `refreshEveryMs`, and always when a wave is about to be created
// or a key is not known; a changed stamp reloads the newest versions. A version row is never
// changed once written, so a version found by id is cached for good.
import type { Knex } from 'knex';
import type { InstrumentFile, InstrumentProblem } from './instrument-file';
import { createInstrumentRepository, InstrumentVersion } from './repository';

export interface LatestOptions {
  /** Check the database now, whatever the throttle (creating a wave pins the version it gets). */
  fresh?: boolean;
}

export interface InstrumentCatalogue {
  /** Every instrument an organisation sees (undefined or null: every instrument, for admins and the demo). */
  list(organisationId?: string | null): Promise<InstrumentVersion[]>;
  latest(key: string, organisationId?: string | null, options?: LatestOptions): Promise<InstrumentVersion | undefined>;
  byVersionId(id: string): Promise<InstrumentVersion | null>;
  /** Stores an uploaded instrument as its key's next version and offers it at once. */
  publish(file: InstrumentFile, organisationId: string | null): Promise<InstrumentVersion>;
  /** Who owns a key: undefined when it is new, null when everyone's. */
  ownerOfKey(key: string): Promise<string | null | undefined>;
  /** Whether a key is one of this process's files in surveys/ (its version follows the file). */
  isFileKey(key: string): boolean;
  /** The files in surveys/ that were skipped at the start, with their problems. */
  skippedFiles(): InstrumentProblem[];
}

export interface CatalogueOptions {
  /** Compare the database's stamp at most this often (ms) for a list or a known key; 0: every time. */
  refreshEveryMs?: number;
  /** Longest wait for the stamp or the reload (ms). */
  timeoutMs?: number;
  now?: () => number;
}

export const DEFAULT_REFRESH_EVERY_MS = 1000;

export async function createInstrumentCatalogue(
  db: Knex, files: InstrumentFile[], skipped: InstrumentProblem[] = [], options: CatalogueOptions = {},
): Promise<InstrumentCatalogue> {
  const { refreshEveryMs = DEFAULT_REFRESH_EVERY_MS, timeoutMs = 10_000, now = Date.now } = options;
  const repository = createInstrumentRepository(db);
  const byId = new Map<string, InstrumentVersion>();
  // A file in surveys/ pins its key to the file's own version: an operator who reverts a file
  // gets the old version back (the database keeps one row per content, so that row is older).
  const pinned = new Map<string, InstrumentVersion>();
  for (const file of files) {
    const version = await repository.insertNextVersion({ key: file.key, title: file.title, hash: file.hash, definition: file.definition, meta: file.meta });
    pinned.set(version.key, version);
    byId.set(version.id, version);
  }

  let latest = new Map<string, InstrumentVersion>();
  let stamp: string | null = null;
  let checkedAt = -Infinity;
  let checking: Promise<void> | null = null;

  const reload = async (): Promise<void> => {
    const seen = await repository.stamp(timeoutMs);
    checkedAt = now();
    if (seen === stamp) return;
    const next = new Map<string, InstrumentVersion>();
    for (const version of await repository.latestVersions(timeoutMs)) if (!pinned.has(version.key)) next.set(version.key, version);
    for (const [key, version] of pinned) next.set(key, version);
    for (const version of next.values()) if (!byId.has(version.id)) byId.set(version.id, version);
    latest = next;
    stamp = seen;
  };
  /** One check at a time; callers arriving meanwhile wait for it. */
  const freshen = async (force: boolean): Promise<void> => {
    if (!force && now() - checkedAt < refreshEveryMs) return;
    checking ??= reload().finally(() => { checking = null; });
    await checking;
  };
  await freshen(true);

  const visibleTo = (organisationId: string | null | undefined) => (v: InstrumentVersion) =>
    organisationId === undefined || organisationId === null || !v.organisationId || v.organisationId === organisationId;
  return {
    async list(organisationId) {
      await freshen(false);
      return [...latest.values()].filter(visibleTo(organisationId)).sort((a, b) => a.key.localeCompare(b.key));
    },
    async latest(key, organisationId, { fresh = false } = {}) {
      await freshen(fresh);
      // A key published through another process since the last check: look once more.
      if (!latest.has(key) && !fresh) await freshen(true);
      const version = latest.get(key);
      return version && visibleTo(organisationId)(version) ? version : undefined;
    },
    async byVersionId(id) {
      const cached = byId.get(id);
      if (cached) return cached;
      const version = await repository.findById(id);
      if (version) byId.set(id, version);
      return version;
    },
    async publish(file, organisationId) {
      const version = await repository.insertNextVersion({
        key: file.key, title: file.title, hash: file.hash, definition: file.definition, meta: file.meta, organisationId,
      });
      byId.set(version.id, version);
      await freshen(true);
      return version;
    },
    ownerOfKey: (key) => repository.ownerOfKey(key),
    isFileKey: (key) => pinned.has(key),
    skippedFiles: () => [...skipped],
  };
}
