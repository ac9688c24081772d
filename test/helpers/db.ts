// A fresh, migrated database per suite: a temporary SQLite file, or, when DATABASE_URL is
// set, a schema of its own on that PostgreSQL server (dropped afterwards).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import knex, { Knex } from 'knex';
import { createDb, migrateToLatest } from '../../server/db/connection';

export interface TestDb {
  db: Knex;
  /** The SQLite file (undefined on PostgreSQL). */
  file?: string;
  dataDir: string;
  schema?: string;
  close(): Promise<void>;
}

export const onPostgres = Boolean(process.env.DATABASE_URL);

export async function createTestDb({ migrate = true } = {}): Promise<TestDb> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-test-'));
  if (onPostgres) {
    const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
    const admin = knex({ client: 'pg', connection: process.env.DATABASE_URL });
    await admin.raw('CREATE SCHEMA ??', [schema]);
    await admin.destroy();
    const db = createDb({ databaseUrl: process.env.DATABASE_URL!, pgSchema: schema });
    if (migrate) await migrateToLatest(db);
    return {
      db, dataDir, schema,
      async close() {
        await db.destroy();
        const cleanup = knex({ client: 'pg', connection: process.env.DATABASE_URL });
        await cleanup.raw('DROP SCHEMA ?? CASCADE', [schema]);
        await cleanup.destroy();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const file = path.join(dataDir, 'spiegel.sqlite3');
  const db = createDb({ databaseUrl: null, sqliteFile: file });
  if (migrate) await migrateToLatest(db);
  return {
    db, file, dataDir,
    async close() {
      await db.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
