// Backups of the SQLite database, taken by the real command (a separate process) while the
// app answers a stream of submissions, and put back by the real restore command.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import request from 'supertest';
import knex from 'knex';
import { createTestApp, TestApp, setupAdmin, createWave } from '../helpers/app';
import { onPostgres } from '../helpers/db';
import { studentWithoutExperience } from '../helpers/tno';

const CLI = path.resolve(__dirname, '..', '..', 'server', 'cli.js');

async function spiegel(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: '', JWT_SECRET: 'x'.repeat(40) },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function submissionIds(file: string): Promise<Set<string>> {
  const db = knex({ client: 'sqlite3', connection: { filename: file }, useNullAsDefault: true });
  try {
    // Sealed or still pending (server/sealing/): both are stored, and both are in a backup.
    return new Set([...await db('responses').pluck('submission_id'), ...await db('pending_responses').pluck('submission_id')] as string[]);
  } finally {
    await db.destroy();
  }
}

(onPostgres ? describe.skip : describe)('backup and restore of the SQLite database', function () {
  this.timeout(120000);
  let t: TestApp;
  let scratch: string;
  beforeEach(async () => {
    t = await createTestApp();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'spiegel-backup-'));
  });
  afterEach(async () => {
    await t.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps every response acknowledged before a backup began, taken while submissions stream in, and restores it', async () => {
    const admin = await setupAdmin(t.app);
    const wave = await createWave(t.app, admin);
    const acknowledged: string[] = [];
    let streaming = true;
    const stream = async () => {
      while (streaming) {
        const submissionId = crypto.randomUUID();
        const res = await request(t.app).post(`/s/${wave.token}/responses`).send({ submissionId, data: studentWithoutExperience() });
        if (res.status === 201) acknowledged.push(submissionId);
        else throw new Error(`submission answered ${res.status}`);
      }
    };
    const streams = [stream(), stream(), stream()];
    while (acknowledged.length < 15) await new Promise((resolve) => setTimeout(resolve, 20));

    const before = [...acknowledged];
    const backupFile = path.join(scratch, 'back-up.sqlite3');
    const backup = await spiegel(t.testDb.dataDir, 'backup', backupFile);
    const afterBackup = acknowledged.length;
    while (acknowledged.length < afterBackup + 5) await new Promise((resolve) => setTimeout(resolve, 20));
    streaming = false;
    await Promise.all(streams);
    expect(backup.code, backup.stderr).to.equal(0);
    expect(backup.stdout).to.match(/^Back-up gemaakt: /);
    // Submissions went on while the backup ran and after it.
    expect(acknowledged.length).to.be.above(before.length);

    const restoredDir = path.join(scratch, 'hersteld');
    const restore = await spiegel(restoredDir, 'restore', backupFile);
    expect(restore.code, restore.stderr).to.equal(0);
    const restored = await submissionIds(path.join(restoredDir, 'spiegel.sqlite3'));
    expect(before.filter((id) => !restored.has(id))).to.deep.equal([]);
    // Nothing in the copy that was never acknowledged.
    expect([...restored].filter((id) => !acknowledged.includes(id))).to.deep.equal([]);
  });

  it('refuses to restore while Spiegel has the database open, and keeps the replaced database beside the restored one', async () => {
    const backupFile = path.join(scratch, 'back-up.sqlite3');
    expect((await spiegel(t.testDb.dataDir, 'backup', backupFile)).code).to.equal(0);
    const busy = await spiegel(t.testDb.dataDir, 'restore', backupFile);
    expect(busy.code).to.equal(1);
    expect(busy.stderr).to.contain('De database is in gebruik. Stop Spiegel eerst');

    const stoppedDir = path.join(scratch, 'gestopt');
    fs.mkdirSync(stoppedDir);
    fs.copyFileSync(backupFile, path.join(stoppedDir, 'spiegel.sqlite3'));
    const restore = await spiegel(stoppedDir, 'restore', backupFile);
    expect(restore.code, restore.stderr).to.equal(0);
    expect(restore.stdout).to.contain('De vorige database staat nog als');
    expect(fs.readdirSync(stoppedDir).some((name) => name.startsWith('spiegel.sqlite3.voor-herstel-'))).to.equal(true);
  });

  it('refuses a file that is not a Spiegel backup, changing nothing', async () => {
    const dataDir = path.join(scratch, 'leeg');
    const notSqlite = path.join(scratch, 'notities.txt');
    fs.writeFileSync(notSqlite, 'dit is geen database\n'.repeat(100));
    const text = await spiegel(dataDir, 'restore', notSqlite);
    expect(text.code).to.equal(1);
    expect(text.stderr).to.contain('is geen SQLite-database');

    const otherSqlite = path.join(scratch, 'ander.sqlite3');
    const other = knex({ client: 'sqlite3', connection: { filename: otherSqlite }, useNullAsDefault: true });
    await other.schema.createTable('boodschappen', (table) => table.string('wat'));
    await other.destroy();
    const wrong = await spiegel(dataDir, 'restore', otherSqlite);
    expect(wrong.stderr).to.contain('Tabellen ontbreken: organisations, users');
    expect(fs.existsSync(path.join(dataDir, 'spiegel.sqlite3'))).to.equal(false);
  });

  it('refuses a backup made by a newer Spiegel, one with a migration this version does not know', async () => {
    const backupFile = path.join(scratch, 'back-up.sqlite3');
    expect((await spiegel(t.testDb.dataDir, 'backup', backupFile)).code).to.equal(0);
    const copy = knex({ client: 'sqlite3', connection: { filename: backupFile }, useNullAsDefault: true });
    await copy('knex_migrations').insert({ name: '29991231235959_from_the_future', batch: 99, migration_time: new Date() });
    await copy.destroy();
    const res = await spiegel(path.join(scratch, 'leeg'), 'restore', backupFile);
    expect(res.code).to.equal(1);
    expect(res.stderr).to.contain('nieuwere Spiegel').and.contain('29991231235959_from_the_future');
  });

  it('does not overwrite an existing file with a backup', async () => {
    const existing = path.join(scratch, 'bestaat.sqlite3');
    fs.writeFileSync(existing, 'belangrijk');
    const res = await spiegel(t.testDb.dataDir, 'backup', existing);
    expect(res.code).to.equal(1);
    expect(fs.readFileSync(existing, 'utf8')).to.equal('belangrijk');
  });
});
