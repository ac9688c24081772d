// Password hashing (scrypt) and the database driver (sqlite3) share libuv's thread pool.
// A burst of logins with wrong passwords, which anyone can send, must not take the threads
// that respondents' survey pages and submissions need.
import http from 'node:http';
import crypto from 'node:crypto';
import { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave } from '../helpers/app';
import { studentWithoutExperience } from '../helpers/tno';
import { HASH_QUEUE, HASH_SLOTS, passwordHashing } from '../../server/auth/passwords';

describe('password hashing under a burst of logins', () => {
  let t: TestApp;
  let server: http.Server;
  let wave: Awaited<ReturnType<typeof createWave>>;
  before(async () => {
    t = await createTestApp();
    const admin = await setupAdmin(t.app);
    wave = await createWave(t.app, admin);
    server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it('serves the survey page and a submission meanwhile, never runs more hashes at once than its slots, and refuses the overflow with 503 and Retry-After', async () => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // More than the slots and their queue together, fewer than the 50 logins an address may try.
    const attempts = 40;
    expect(HASH_SLOTS + HASH_QUEUE).to.be.below(attempts);
    // libuv has 4 threads unless UV_THREADPOOL_SIZE is raised: some must stay free for sqlite3.
    expect(HASH_SLOTS).to.be.below(4);
    passwordHashing.resetPeak();
    const post = async (path: string, body: unknown) => {
      const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() as { error?: { code: string } } };
    };
    const logins = Array.from({ length: attempts }, (_, i) =>
      post('/api/v1/auth/login', { email: `raden${i}@opvang.test`, password: `fout-wachtwoord-${i}` }));
    const page = fetch(`${base}/s/${wave.token}`).then(async (res) => ({ status: res.status, text: await res.text() }));
    const submission = post(`/s/${wave.token}/responses`, { submissionId: crypto.randomUUID(), data: studentWithoutExperience() });
    const [pageRes, submissionRes, ...loginRes] = await Promise.all([page, submission, ...logins]);

    expect(pageRes.status).to.equal(200);
    expect(submissionRes.status, JSON.stringify(submissionRes.body)).to.equal(201);
    expect(passwordHashing.stats().peak, 'hashes running at once').to.be.at.most(HASH_SLOTS);
    const statuses = loginRes.map((r) => r.status);
    expect(statuses.filter((s) => s !== 401 && s !== 503), 'every login is refused: 401 or 503').to.deep.equal([]);
    const busy = loginRes.filter((r) => r.status === 503);
    expect(busy.length, 'logins beyond the slots and the queue').to.be.at.least(1);
    for (const res of busy) {
      expect(res.retryAfter).to.match(/^\d+$/);
      expect(res.body.error?.code).to.equal('busy');
    }
    expect(passwordHashing.stats()).to.include({ running: 0, waiting: 0 });
    expect(t.logLines.filter((line) => line.includes('request failed')), 'a refusal is not a failure').to.deep.equal([]);
  });

  it('still logs in with the right password once the burst is over', async () => {
    const res = await request(t.app).post('/api/v1/auth/login').send({ email: 'beheer@opvang.test', password: 'correct horse battery' });
    expect(res.status).to.equal(200);
  });
});
