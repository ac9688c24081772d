// The CSV module's queries: responses page by page for the export, the record of imports,
// and files waiting in the mapping step.
import type { Knex } from 'knex';
import { isUniqueViolation } from '../db/errors';
import { dialectName } from '../db/dialect';

/**
 * Where a response was when it was read: SQLite's rowid, PostgreSQL's ctid. Reading a row
 * at its place skips the search of the primary key, which made the random-order pass of a
 * k-anonymous export three times as slow as reading the wave in order. A place is only a
 * hint: VACUUM or an update can move a row, so a row is always checked against its id.
 */
export type RowPlace = number | string;

/**
 * A response as the export reads it: its data as stored, JSON text (the export writes most
 * answers from the text without parsing it, see text-rows.ts).
 */
export interface StoredText {
  id: string;
  day: string;
  text: string;
}

export interface PlacedText extends StoredText {
  place: RowPlace;
}

export interface ImportRecord {
  id: string;
  waveId: string;
  userId: string | null;
  userEmail: string;
  importedAt: string;
  rows: number;
  fileHash: string;
  fileName: string | null;
}

/** A full (not k-anonymous) export of an anonymous wave's rows: who, when, which wave. */
export interface FullExportRecord {
  id: string;
  waveId: string;
  userId: string | null;
  userEmail: string;
  exportedAt: string;
}

export interface Upload {
  id: string;
  waveId: string;
  userId: string;
  fileName: string | null;
  bytes: Buffer;
  /** The mapping sent through the API (JSON), null until one was. */
  mapping?: string | null;
}

export function createCsvRepository(db: Knex | Knex.Transaction) {
  return {
    /**
     * Responses in (day, id) order, one page after the given position. Keyset paging keeps
     * each query cheap and the process's memory flat however large the wave; the id is
     * random, so the order within a day says nothing about the order of arrival.
     */
    async responsePage(waveId: string, after: { day: string; id: string } | null, limit: number): Promise<PlacedText[]> {
      const query = db('responses').where({ wave_id: waveId }).select('id', 'submitted_on', 'data', db.raw(`${placeColumn(db)} as place`))
        .orderBy([{ column: 'submitted_on' }, { column: 'id' }]).limit(limit);
      // One row-value comparison: responses_by_wave (wave, day, id) then starts right after
      // the last row of the page before. Written as day > … OR (day = … AND id > …), SQLite
      // read the index from the day on: 54 ms a page at 100,000 responses of one day, 2 ms now.
      if (after) query.andWhereRaw('(submitted_on, id) > (?, ?)', [after.day, after.id]);
      const rows = (await query) as Array<{ id: string; submitted_on: string; data: string; place: RowPlace }>;
      return rows.map((r) => ({ id: r.id, day: String(r.submitted_on), text: r.data, place: r.place }));
    },

    /**
     * The given responses of a wave, read at the places a page gave (see RowPlace), in no
     * particular order (the caller puts them in its own). A row no longer at its place is
     * read by its id; one that is gone is left out.
     */
    async responsesAt(waveId: string, wanted: ReadonlyArray<{ id: string; place: RowPlace }>): Promise<StoredText[]> {
      if (wanted.length === 0) return [];
      const places = wanted.map((w) => w.place);
      const atPlace = dialectName(db) === 'postgres'
        ? await db('responses').whereRaw('ctid = any(?::tid[])', [places as string[]]).select('id', 'wave_id', 'submitted_on', 'data')
        : await db('responses').whereIn(db.raw('rowid') as unknown as string, places as number[]).select('id', 'wave_id', 'submitted_on', 'data');
      const found = new Set<string>();
      const out: StoredText[] = [];
      const take = (rows: Array<{ id: string; wave_id: string; submitted_on: string; data: string }>) => {
        for (const r of rows) {
          if (r.wave_id !== waveId || found.has(r.id)) continue;
          found.add(r.id);
          out.push({ id: r.id, day: String(r.submitted_on), text: r.data });
        }
      };
      const ids = new Set(wanted.map((w) => w.id));
      take((atPlace as Array<{ id: string; wave_id: string; submitted_on: string; data: string }>).filter((r) => ids.has(r.id)));
      const moved = wanted.filter((w) => !found.has(w.id)).map((w) => w.id);
      // By primary key only, the wave checked here: with the wave in the WHERE, SQLite read the
      // wave's index from its start for every page (131 ms a page at 100,000, 17 ms then).
      if (moved.length > 0) take(await db('responses').whereIn('id', moved).select('id', 'wave_id', 'submitted_on', 'data'));
      return out;
    },

    async recordFullExport(record: FullExportRecord): Promise<void> {
      await db('full_exports').insert({
        id: record.id, wave_id: record.waveId, user_id: record.userId, user_email: record.userEmail, exported_at: record.exportedAt,
      });
    },

    async listFullExports(waveId: string): Promise<FullExportRecord[]> {
      const rows = await db('full_exports').where({ wave_id: waveId }).orderBy([{ column: 'exported_at', order: 'desc' }, { column: 'id' }]);
      return rows.map((r: Record<string, unknown>) => ({
        id: String(r.id), waveId: String(r.wave_id), userId: r.user_id === null ? null : String(r.user_id),
        userEmail: String(r.user_email), exportedAt: String(r.exported_at),
      }));
    },

    async hasImport(waveId: string, fileHash: string): Promise<boolean> {
      return (await db('csv_imports').where({ wave_id: waveId, file_hash: fileHash }).first('id')) !== undefined;
    },

    /** Removes the record of an import whose rows were taken out again (it failed half way). */
    async forgetImport(id: string): Promise<void> {
      await db('csv_imports').where({ id }).delete();
    },

    /** Records an import; false when this file was imported into the wave before (a race lost). */
    async recordImport(record: ImportRecord): Promise<boolean> {
      try {
        await db('csv_imports').insert({
          id: record.id, wave_id: record.waveId, user_id: record.userId, user_email: record.userEmail, imported_at: record.importedAt,
          rows: record.rows, file_hash: record.fileHash, file_name: record.fileName,
        });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    async listImports(waveId: string): Promise<ImportRecord[]> {
      const rows = await db('csv_imports').where({ wave_id: waveId }).orderBy('imported_at', 'desc');
      return rows.map((r: Record<string, unknown>) => ({
        id: String(r.id), waveId: String(r.wave_id), userId: r.user_id === null ? null : String(r.user_id), userEmail: String(r.user_email),
        importedAt: String(r.imported_at), rows: Number(r.rows), fileHash: String(r.file_hash), fileName: r.file_name === null ? null : String(r.file_name),
      }));
    },

    async saveUpload(upload: Upload, createdAt: string): Promise<void> {
      await db('csv_uploads').insert({
        id: upload.id, wave_id: upload.waveId, user_id: upload.userId, file_name: upload.fileName,
        content: upload.bytes.toString('base64'), created_at: createdAt,
      });
    },

    /** Only the user who uploaded the file sees it in the mapping step. */
    async findUpload(waveId: string, id: string, userId: string): Promise<Upload | null> {
      const row = await db('csv_uploads').where({ id, wave_id: waveId, user_id: userId }).first();
      if (!row) return null;
      return { id: row.id, waveId: row.wave_id, userId: row.user_id, fileName: row.file_name, bytes: Buffer.from(row.content, 'base64'), mapping: row.mapping ?? null };
    },

    /** The wave of an upload, for the API that names the upload alone; only its own user finds it. */
    async uploadWave(id: string, userId: string): Promise<string | null> {
      const row = await db('csv_uploads').where({ id, user_id: userId }).first('wave_id');
      return row ? String(row.wave_id) : null;
    },

    async saveMapping(id: string, mapping: string): Promise<void> {
      await db('csv_uploads').where({ id }).update({ mapping });
    },

    async deleteUpload(id: string): Promise<void> {
      await db('csv_uploads').where({ id }).delete();
    },

    async deleteUploadsBefore(moment: string): Promise<void> {
      await db('csv_uploads').where('created_at', '<', moment).delete();
    },
  };
}

export type CsvRepository = ReturnType<typeof createCsvRepository>;

const placeColumn = (db: Knex | Knex.Transaction) => (dialectName(db) === 'postgres' ? 'ctid::text' : 'rowid');
