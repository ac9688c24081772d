// `npm run spiegel -- backup FILE` and `restore FILE`: the command-line side of backups.
// Both open the database themselves and never migrate before they have done their work.
import type { Config } from '../config';
import { createDb, migrateToLatest, sqliteFileFor } from '../db/connection';
import { migrationSource } from '../../migrations';
import { BackupError, backupDatabase, restoreDatabase } from './service';

export async function backupCommand(config: Config, args: string[]): Promise<number> {
  if (args.length !== 1) return usage('backup BESTAND');
  const db = createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, timeouts: config.dbTimeouts });
  try {
    const report = await backupDatabase(db, args[0]!, config.dataDir);
    console.log(`Back-up gemaakt: ${report.file} (${report.responses} antwoorden, ${Math.round(report.bytes / 1024)} kB).`);
    return 0;
  } catch (err) {
    return refused(err);
  } finally {
    await db.destroy();
  }
}

export async function restoreCommand(config: Config, args: string[]): Promise<number> {
  if (args.length !== 1) return usage('restore BESTAND');
  if (config.databaseUrl) {
    console.error('Spiegel draait op PostgreSQL: zet een back-up terug met pg_restore (zie README, "Data in and out").');
    return 2;
  }
  const known = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
  try {
    const report = await restoreDatabase(sqliteFileFor(config.dataDir), args[0]!, known);
    // A backup of an older Spiegel is brought up to this version's tables straight away.
    const db = createDb({ databaseUrl: null, dataDir: config.dataDir, timeouts: config.dbTimeouts });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
    console.log(`Teruggezet: ${report.restored} (${report.responses} antwoorden).`);
    if (report.keptAs) console.log(`De vorige database staat nog als ${report.keptAs}.`);
    return 0;
  } catch (err) {
    return refused(err);
  }
}

function refused(err: unknown): number {
  if (!(err instanceof BackupError)) throw err;
  console.error(err.message);
  return 1;
}

function usage(command: string): number {
  console.error(`Gebruik: npm run spiegel -- ${command}`);
  return 2;
}
