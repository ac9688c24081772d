// The instruments a running Spiegel offers: the latest version of every file in surveys/ and
// of every instrument uploaded through the API (kept in the database, so they outlive a
// restart), plus any older version an existing wave still points at (loaded on demand,
// cached). An instrument uploaded by a manager is seen by that organisation only.
import type { Knex } from 'knex';
import type { InstrumentFile, InstrumentProblem } from './instrument-file';
import { createInstrumentRepository, InstrumentVersion } from './repository';

export interface InstrumentCatalogue {
  /** Every instrument an organisation sees (undefined or null: every instrument, for admins and the demo). */
  list(organisationId?: string | null): InstrumentVersion[];
  latest(key: string, organisationId?: string | null): InstrumentVersion | undefined;
  byVersionId(id: string): Promise<InstrumentVersion | null>;
  /** Stores an uploaded instrument as its key's next version and offers it at once. */
  publish(file: InstrumentFile, organisationId: string | null): Promise<InstrumentVersion>;
  /** Who owns a key: undefined when it is new, null when everyone's. */
  ownerOfKey(key: string): Promise<string | null | undefined>;
  /** The files in surveys/ that were skipped at the start, with their problems. */
  skippedFiles(): InstrumentProblem[];
}

export async function createInstrumentCatalogue(db: Knex, files: InstrumentFile[], skipped: InstrumentProblem[] = []): Promise<InstrumentCatalogue> {
  const repository = createInstrumentRepository(db);
  const latest = new Map<string, InstrumentVersion>();
  const byId = new Map<string, InstrumentVersion>();
  const offer = (version: InstrumentVersion) => {
    latest.set(version.key, version);
    byId.set(version.id, version);
  };
  // Uploaded instruments first; a file in surveys/ then takes its own key's latest place.
  const fileKeys = new Set(files.map((f) => f.key));
  for (const version of await repository.latestVersions()) if (!fileKeys.has(version.key)) offer(version);
  for (const file of files) {
    offer(await repository.insertNextVersion({ key: file.key, title: file.title, hash: file.hash, definition: file.definition, meta: file.meta }));
  }
  const visibleTo = (organisationId: string | null | undefined) => (v: InstrumentVersion) =>
    organisationId === undefined || organisationId === null || !v.organisationId || v.organisationId === organisationId;
  return {
    list: (organisationId) => [...latest.values()].filter(visibleTo(organisationId)).sort((a, b) => a.key.localeCompare(b.key)),
    latest: (key, organisationId) => {
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
      if ((latest.get(version.key)?.version ?? 0) <= version.version) offer(version);
      return version;
    },
    ownerOfKey: (key) => repository.ownerOfKey(key),
    skippedFiles: () => [...skipped],
  };
}
