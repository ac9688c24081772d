import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { isUniqueViolation } from '../db/errors';

export interface InstrumentVersion {
  id: string;
  key: string;
  version: number;
  title: string;
  hash: string;
  definition: Record<string, unknown>;
  meta: Record<string, unknown>;
  /** The one organisation that sees this instrument (a manager's upload), or null: everyone. */
  organisationId?: string | null;
}

interface Row {
  id: string; key: string; version: number; title: string; hash: string; definition: string; meta: string; organisation_id?: string | null;
}

const fromRow = (row: Row): InstrumentVersion => ({
  id: row.id,
  key: row.key,
  version: Number(row.version),
  title: row.title,
  hash: row.hash,
  definition: JSON.parse(row.definition),
  meta: JSON.parse(row.meta),
  organisationId: row.organisation_id ?? null,
});

export function createInstrumentRepository(db: Knex) {
  return {
    async findByHash(key: string, hash: string): Promise<InstrumentVersion | null> {
      const row = await db<Row>('instrument_versions').where({ key, hash }).first();
      return row ? fromRow(row) : null;
    },

    /** The organisation a key belongs to: undefined when the key is new, null when it is everyone's. */
    async ownerOfKey(key: string): Promise<string | null | undefined> {
      const row = await db<Row>('instrument_versions').where({ key }).orderBy('version', 'desc').first('organisation_id');
      return row ? (row.organisation_id ?? null) : undefined;
    },

    /** The newest version of every key, for the instruments uploaded through the API. */
    async latestVersions(timeoutMs = 10_000): Promise<InstrumentVersion[]> {
      const newest = db('instrument_versions').select('key').max({ version: 'version' }).groupBy('key').as('newest');
      const rows = await db<Row>('instrument_versions as iv')
        .join(newest, function joinNewest() { this.on('iv.key', '=', 'newest.key').andOn('iv.version', '=', 'newest.version'); })
        .select('iv.*').timeout(timeoutMs);
      return (rows as Row[]).map(fromRow);
    },

    /**
     * What changes when any process publishes a version: rows are only ever added, so their
     * count changes, and the largest id (random) with it whenever a database is swapped for
     * another of the same size (a restored backup).
     */
    async stamp(timeoutMs = 10_000): Promise<string> {
      const row = await db('instrument_versions').count({ n: '*' }).max({ last: 'id' }).first().timeout(timeoutMs);
      return `${Number(row?.n ?? 0)}:${String(row?.last ?? '')}`;
    },

    async findById(id: string): Promise<InstrumentVersion | null> {
      const row = await db<Row>('instrument_versions').where({ id }).first();
      return row ? fromRow(row) : null;
    },

    /**
     * Stores a new version with the next number. Two processes starting at once may race
     * for the same number; the loser re-reads what the winner stored.
     */
    async insertNextVersion(input: Omit<InstrumentVersion, 'id' | 'version'>): Promise<InstrumentVersion> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const existing = await this.findByHash(input.key, input.hash);
        if (existing) return existing;
        const max = await db('instrument_versions').where({ key: input.key }).max({ v: 'version' }).first();
        const row: Row = {
          id: crypto.randomUUID(),
          key: input.key,
          version: Number(max?.v ?? 0) + 1,
          title: input.title,
          hash: input.hash,
          definition: JSON.stringify(input.definition),
          meta: JSON.stringify(input.meta),
          organisation_id: input.organisationId ?? null,
        };
        try {
          await db('instrument_versions').insert(row);
          return fromRow(row);
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
        }
      }
      throw new Error(`Could not store a new version of instrument ${input.key}`);
    },
  };
}
