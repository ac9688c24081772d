// Backup and restore of the SQLite database. A backup is a consistent copy taken while
// Spiegel runs and answers; a restore (with Spiegel stopped) puts one back only after the
// copy has passed its checks, and keeps the database it replaces beside it.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { dialectName } from '../db/dialect';
import { createBackupRepository, inspectSqliteFile, isInUse } from './repository';

/** Tables every Spiegel database has; a file without them is not a Spiegel backup. */
export const EXPECTED_TABLES = ['organisations', 'users', 'instrument_versions', 'waves', 'responses', 'answers', 'knex_migrations'];

export class BackupError extends Error {}

export interface BackupReport {
  file: string;
  bytes: number;
  responses: number;
}

/**
 * `dataDir` keeps a note of each copy being written, so that one whose process was killed
 * (its `.partial` file can be hundreds of MB, wherever the backup was going) is removed by
 * the next backup or the next start of Spiegel.
 */
export async function backupDatabase(db: Knex, target: string, dataDir: string): Promise<BackupReport> {
  if (dialectName(db) === 'postgres') throw new BackupError('Spiegel draait op PostgreSQL: maak een back-up met pg_dump (zie README, "Data in and out").');
  removeAbandonedBackups(dataDir);
  const file = path.resolve(target);
  if (fs.existsSync(file)) throw new BackupError(`${file} bestaat al; kies een nieuwe bestandsnaam.`);
  // Owner only: a backup holds every answer (the entry points' umask covers files SQLite makes).
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written under a temporary name and renamed when checked, so that a half-written copy
  // never carries the name of a backup.
  const id = crypto.randomBytes(4).toString('hex');
  const partial = `${file}.${id}.partial`;
  const note = path.join(dataDir, `backup-${id}${NOTE_SUFFIX}`);
  fs.writeFileSync(note, JSON.stringify({ pid: process.pid, partial }) + '\n', { mode: 0o600 });
  try {
    await createBackupRepository(db).vacuumInto(partial);
    fs.chmodSync(partial, 0o600);
    const problems = await checkBackup(partial, []);
    if (problems.length > 0) throw new BackupError(`De kopie is niet in orde: ${problems.join(' ')}`);
    fsyncFile(partial);
    fs.renameSync(partial, file);
    const facts = await inspectSqliteFile(file);
    return { file, bytes: fs.statSync(file).size, responses: facts.responses ?? 0 };
  } finally {
    fs.rmSync(partial, { force: true });
    fs.rmSync(note, { force: true });
  }
}

const NOTE_SUFFIX = '.partial-note';

/**
 * Removes the `.partial` copies of backups whose process is gone (killed, or the machine
 * went down), with their notes; a backup still running elsewhere is left alone.
 * Returns the files removed.
 */
export function removeAbandonedBackups(dataDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dataDir).filter((name) => name.startsWith('backup-') && name.endsWith(NOTE_SUFFIX));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of names) {
    const note = path.join(dataDir, name);
    let entry: { pid?: unknown; partial?: unknown };
    try {
      entry = JSON.parse(fs.readFileSync(note, 'utf8')) as typeof entry;
    } catch {
      entry = {}; // a note cut short by the same crash: nothing to remove but the note
    }
    if (typeof entry.pid === 'number' && entry.pid !== process.pid && isRunning(entry.pid)) continue;
    if (typeof entry.partial === 'string' && entry.partial.endsWith('.partial') && fs.existsSync(entry.partial)) {
      fs.rmSync(entry.partial, { force: true });
      removed.push(entry.partial);
    }
    fs.rmSync(note, { force: true });
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What is wrong with a file as a backup of this Spiegel: not SQLite, damaged, missing a
 * table, no migrations table, or made by a newer Spiegel (a migration this version lacks).
 * `knownMigrations` empty skips that last check (a fresh backup of the running version).
 */
export async function checkBackup(file: string, knownMigrations: string[]): Promise<string[]> {
  if (!fs.existsSync(file)) return [`${file} bestaat niet.`];
  let facts;
  try {
    facts = await inspectSqliteFile(file);
  } catch {
    return [`${file} is geen SQLite-database.`];
  }
  const problems: string[] = [];
  if (facts.integrity.join() !== 'ok') problems.push(`De integriteitscontrole meldt: ${facts.integrity.slice(0, 5).join('; ')}.`);
  const missing = EXPECTED_TABLES.filter((name) => !facts.tables.includes(name));
  if (missing.length > 0) problems.push(`Tabellen ontbreken: ${missing.join(', ')}.`);
  if (facts.migrations && knownMigrations.length > 0) {
    const unknown = facts.migrations.filter((name) => !knownMigrations.includes(name));
    if (unknown.length > 0) problems.push(`De back-up komt van een nieuwere Spiegel (onbekende migraties: ${unknown.join(', ')}).`);
  }
  return problems;
}

export interface RestoreReport {
  restored: string;
  keptAs: string | null;
  responses: number;
}

/** Puts a checked backup in place of the SQLite file; refuses while Spiegel has the database open. */
export async function restoreDatabase(sqliteFile: string, source: string, knownMigrations: string[], now = new Date()): Promise<RestoreReport> {
  const backup = path.resolve(source);
  const problems = await checkBackup(backup, knownMigrations);
  if (problems.length > 0) throw new BackupError(`Niet teruggezet: ${problems.join(' ')}`);
  const target = path.resolve(sqliteFile);
  if (backup === target) throw new BackupError('De back-up is de database zelf.');
  fs.mkdirSync(path.dirname(target), { recursive: true });

  let keptAs: string | null = null;
  if (fs.existsSync(target)) {
    if (await isInUse(target)) throw new BackupError('De database is in gebruik. Stop Spiegel eerst en probeer het dan opnieuw.');
    // The database being replaced stays beside it, with its WAL file if a crash left one.
    keptAs = `${target}.voor-herstel-${now.toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(target, keptAs);
    for (const suffix of ['-wal', '-shm']) {
      if (fs.existsSync(target + suffix)) fs.renameSync(target + suffix, keptAs + suffix);
    }
  }
  const incoming = `${target}.herstel`;
  fs.copyFileSync(backup, incoming);
  // copyFile keeps the backup's mode; the database is for Spiegel's user only.
  fs.chmodSync(incoming, 0o600);
  fsyncFile(incoming);
  fs.renameSync(incoming, target);
  const facts = await inspectSqliteFile(target);
  return { restored: target, keptAs, responses: facts.responses ?? 0 };
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
