// The instruments a running Spiegel offers: the latest version of every file in surveys/,
// plus any older version an existing wave still points at (loaded on demand, cached).
import type { Knex } from 'knex';
import { InstrumentFile } from './instrument-file';
import { createInstrumentRepository, InstrumentVersion } from './repository';

export interface InstrumentCatalogue {
  list(): InstrumentVersion[];
  latest(key: string): InstrumentVersion | undefined;
  byVersionId(id: string): Promise<InstrumentVersion | null>;
}

export async function createInstrumentCatalogue(db: Knex, files: InstrumentFile[]): Promise<InstrumentCatalogue> {
  const repository = createInstrumentRepository(db);
  const latest = new Map<string, InstrumentVersion>();
  const byId = new Map<string, InstrumentVersion>();
  for (const file of files) {
    const version = await repository.insertNextVersion({
      key: file.key, title: file.title, hash: file.hash, definition: file.definition, meta: file.meta,
    });
    latest.set(version.key, version);
    byId.set(version.id, version);
  }
  return {
    list: () => [...latest.values()].sort((a, b) => a.key.localeCompare(b.key)),
    latest: (key) => latest.get(key),
    async byVersionId(id) {
      const cached = byId.get(id);
      if (cached) return cached;
      const version = await repository.findById(id);
      if (version) byId.set(id, version);
      return version;
    },
  };
}
