// The SQLite statements behind backup and restore. Each check opens the file on a
// connection of its own, so a copy is judged by what is on disk, never by a cache.
import knex, { Knex } from 'knex';

export function createBackupRepository(db: Knex) {
  return {
    /**
     * A consistent copy while the server keeps writing: VACUUM INTO reads one snapshot in
     * a read transaction, and in WAL mode that blocks no submission.
     */
    async vacuumInto(file: string): Promise<void> {
      await db.raw('VACUUM INTO ?', [file]);
    },
  };
}

export interface SqliteFileFacts {
  integrity: string[];
  tables: string[];
  /** Names in the knex migrations table; null when the table is missing. */
  migrations: string[] | null;
  responses: number | null;
}

/** Reads what a backup holds (writing nothing). Throws when the file is not a SQLite database at all. */
export async function inspectSqliteFile(file: string): Promise<SqliteFileFacts> {
  const db = openFile(file);
  try {
    const integrity = ((await db.raw('PRAGMA integrity_check')) as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    const tables = (await db('sqlite_master').where({ type: 'table' }).pluck('name')) as string[];
    const migrations = tables.includes('knex_migrations') ? (await db('knex_migrations').orderBy('id').pluck('name')) as string[] : null;
    const responses = tables.includes('responses') ? Number((await db('responses').count({ n: '*' }).first())?.n ?? 0) : null;
    return { integrity, tables, migrations, responses };
  } finally {
    await db.destroy();
  }
}

/**
 * True while another process (a running Spiegel) has the database open. Leaving WAL mode
 * needs the database to itself, so the attempt fails with SQLITE_BUSY while anyone else
 * holds a connection; the file is about to be replaced, so its journal mode is no loss.
 */
export async function isInUse(file: string): Promise<boolean> {
  const db = openFile(file);
  try {
    const rows = (await db.raw('PRAGMA journal_mode = DELETE')) as Array<{ journal_mode: string }>;
    return rows[0]?.journal_mode !== 'delete';
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    await db.destroy();
  }
}

/** An existing file only: callers check that it exists, since SQLite would create a missing one. */
function openFile(file: string): Knex {
  // knex adds its own read-write flags to any given, so a read-only open is not possible here.
  return knex({
    client: 'sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: { min: 0, max: 1 },
  });
}
