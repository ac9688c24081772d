// A backup killed with SIGKILL (or a machine that went down during one) leaves its
// `.partial` copy behind: as large as the database. The next backup and the next start of
// Spiegel remove it. And a backup, like the database, is for Spiegel's user only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { expect } from 'chai';
import { createDb, migrateToLatest, sqliteFileFor } from '../../server/db/connection';
import { startSpiegel } from '../helpers/spiegel-process';
import { onPostgres } from '../helpers/db';

const CLI = path.resolve(__dirname, '..', '..', 'server', 'cli.js');
const env = (dataDir: string): NodeJS.ProcessEnv =>
  ({ ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, DATABASE_URL: '', JWT_SECRET: 'x'.repeat(40) });

const partialsIn = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith('.partial'));

/** Starts a backup into `dir` and kills it (SIGKILL) as soon as its partial copy appears. */
async function killedBackup(dataDir: string, dir: string): Promise<string> {
  const watcher = fs.watch(dir);
  const child = spawn(process.execPath, [CLI, 'backup', path.join(dir, 'spiegel-backup.sqlite3')], { env: env(dataDir), stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve) => {
    watcher.on('change', (_event, name) => {
      if (String(name).endsWith('.partial')) { child.kill('SIGKILL'); resolve(); }
    });
    void exited.then(() => resolve());
  });
  watcher.close();
  await exited;
  const partials = partialsIn(dir);
  expect(partials, 'the backup finished before it could be killed').to.have.length(1);
  return path.join(dir, partials[0]!);
}

(onPostgres ? describe.skip : describe)('backups left half-written by a killed process', function () {
  this.timeout(120_000);
  let dataDir: string;
  let target: string;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-partial-'));
    target = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-partial-target-'));
    // A database large enough (~24 MB) that a copy takes a while to write.
    const db = createDb({ databaseUrl: null, dataDir });
    try {
      await migrateToLatest(db);
      await db.schema.createTable('ballast', (table) => { table.increments('id'); table.binary('bytes'); });
      for (let i = 0; i < 24; i++) await db('ballast').insert({ bytes: crypto.randomBytes(1024 * 1024) });
    } finally {
      await db.destroy();
    }
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(target, { recursive: true, force: true });
  });

  it('are removed by the next backup', async () => {
    const partial = await killedBackup(dataDir, target);
    execFileSync(process.execPath, [CLI, 'backup', path.join(target, 'next.sqlite3')], { env: env(dataDir) });
    expect(fs.existsSync(partial)).to.equal(false);
    expect(partialsIn(target)).to.deep.equal([]);
  });

  it('are removed at the next start of Spiegel', async () => {
    const partial = await killedBackup(dataDir, target);
    const server = await startSpiegel({ dataDir, env: { JWT_SECRET: 'x'.repeat(40) } });
    try {
      expect(fs.existsSync(partial)).to.equal(false);
      expect(server.output()).to.contain(`Onvoltooide back-up verwijderd: ${partial}`);
    } finally {
      await server.stop();
    }
  });

  it('a finished backup and the database are readable by their owner only', () => {
    const file = path.join(target, 'copy.sqlite3');
    execFileSync(process.execPath, [CLI, 'backup', file], { env: env(dataDir) });
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    // The database was made by this test (umask 022); a restore puts the copy back as 0600.
    const restoredDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-restored-'));
    try {
      fs.chmodSync(file, 0o644);
      execFileSync(process.execPath, [CLI, 'restore', file], { env: env(restoredDir) });
      expect(fs.statSync(sqliteFileFor(restoredDir)).mode & 0o777).to.equal(0o600);
    } finally {
      fs.rmSync(restoredDir, { recursive: true, force: true });
    }
  });
});
