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

export async function backupDatabase(db: Knex, target: string): Promise<BackupReport> {
  if (dialectName(db) === 'postgres') throw new BackupError('Spiegel draait op PostgreSQL: maak een back-up met pg_dump (zie README, "Data in and out").');
  const file = path.resolve(target);
  if (fs.existsSync(file)) throw new BackupError(`${file} bestaat al; kies een nieuwe bestandsnaam.`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written under a temporary name and renamed when checked, so that a half-written copy
  // never carries the name of a backup.
  const partial = `${file}.${crypto.randomBytes(4).toString('hex')}.partial`;
  try {
    await createBackupRepository(db).vacuumInto(partial);
    const problems = await checkBackup(partial, []);
    if (problems.length > 0) throw new BackupError(`De kopie is niet in orde: ${problems.join(' ')}`);
    fsyncFile(partial);
    fs.renameSync(partial, file);
    const facts = await inspectSqliteFile(file);
    return { file, bytes: fs.statSync(file).size, responses: facts.responses ?? 0 };
  } finally {
    fs.rmSync(partial, { force: true });
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
