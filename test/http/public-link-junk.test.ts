// Junk on the public link: one client must not be able to flood a wave with responses,
// and what limits it must not store or log the client's address.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, Account } from '../helpers/app';
import { studentWithoutExperience } from '../helpers/tno';
import { onPostgres } from '../helpers/db';
import { sealPending } from '../helpers/seal';

const FLOODER = '203.0.113.77';
const NEIGHBOUR = '198.51.100.44';

describe('a flood of junk on a public link', () => {
  let t: TestApp;
  let admin: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;

  beforeEach(async () => {
    // The production default (5 a minute), behind a proxy so that X-Forwarded-For is the client.
    t = await createTestApp({ TRUST_PROXY: 'true', PUBLIC_LINK_SUBMISSIONS_PER_MINUTE: '5' });
    admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin);
  });
  afterEach(async () => t.close());

  const submitFrom = (address: string, data: Record<string, unknown> = studentWithoutExperience()) =>
    request(t.app).post(`/s/${wave.token}/responses`).set('X-Forwarded-For', address)
      .send({ submissionId: crypto.randomUUID(), data });

  async function everythingStored(): Promise<string> {
    const tables = onPostgres
      ? (await t.testDb.db.raw('SELECT tablename AS name FROM pg_tables WHERE schemaname = ?', [t.testDb.schema!])).rows
      : await t.testDb.db.raw("SELECT name FROM sqlite_master WHERE type = 'table'");
    const dump: unknown[] = [];
    for (const { name } of tables as Array<{ name: string }>) dump.push(await t.testDb.db(name).select('*'));
    return JSON.stringify(dump);
  }

  it('answers 429 with Retry-After after the limit, stores a bounded number, and still takes another client', async () => {
    const statuses: number[] = [];
    let refused: request.Response | null = null;
    // The attack from the issue: 600 from one client, one after another.
    for (let i = 0; i < 600; i++) {
      const res = await submitFrom(FLOODER);
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
    }
    expect(statuses.slice(0, 5)).to.deep.equal([201, 201, 201, 201, 201]);
    expect(statuses.slice(5).every((s) => s === 429), statuses.join(',')).to.equal(true);
    expect(Number(refused!.headers['retry-after'])).to.be.within(1, 60);
    expect(refused!.body.error.code).to.equal('too_many_requests');
    expect(refused!.body.error.message).to.match(/wacht een minuut/);
    await sealPending(t.testDb.db);
    expect(await t.testDb.db('responses').where({ wave_id: wave.id }).count({ n: '*' }).first().then((r) => Number(r!.n))).to.equal(5);

    expect((await submitFrom(NEIGHBOUR)).status).to.equal(201);
  });

  it('keeps nothing of the address in the database files or the log', async () => {
    for (let i = 0; i < 8; i++) await submitFrom(FLOODER);
    const stored = await everythingStored();
    expect(stored).not.to.contain(FLOODER);
    expect(t.logLines.join('\n')).not.to.contain(FLOODER);
    expect(t.logLines.join('\n')).not.to.contain('203.0.113');
    if (t.testDb.file) {
      await t.testDb.db.raw('PRAGMA wal_checkpoint(FULL)');
      for (const file of fs.readdirSync(path.dirname(t.testDb.file))) {
        const bytes = fs.readFileSync(path.join(path.dirname(t.testDb.file), file));
        expect(bytes.includes(Buffer.from(FLOODER)), `${FLOODER} in ${file}`).to.equal(false);
      }
    }
  });
});
