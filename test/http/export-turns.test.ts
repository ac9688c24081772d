// Exports take turns (SPIEGEL_RESULTS_LIMITS exportsAtOnce, exportsPerUser, exportWaitSeconds):
// a k-anonymous export holds up to 32 MB of row text between reading and writing, so ten at
// once would hold ten times that. Held here by a client that reads nothing of a file larger
// than the sockets' buffers: the export keeps its turn until the file is written or the
// client goes away.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, TestApp, setupAdmin, createWave, createUser, Account } from '../helpers/app';
import { bearer } from '../helpers/csv';
import { quickscanAnswers, seededRandom } from '../helpers/quickscan-stream';
import { t as message } from '../../server/i18n/messages';

const ROWS = 400;
/** 400 rows of 60,000 characters: 24 MB, more than a socket on this machine buffers. */
const LONG_TEXT = 'lang verhaal '.repeat(4615);

describe('exports take turns', function () {
  this.timeout(60_000);
  let t: TestApp;
  let admin: Account;
  let manager: Account;
  let wave: Awaited<ReturnType<typeof createWave>>;
  let server: http.Server;
  let base: string;
  before(async () => {
    t = await createTestApp({ SPIEGEL_RESULTS_LIMITS: JSON.stringify({ exportsAtOnce: 1, exportsPerUser: 1, exportWaitSeconds: 1 }) });
    admin = await setupAdmin(t.app);
    manager = await createUser(t.app, admin, { email: 'manager@opvang.test', role: 'manager' });
    wave = await createWave(t.app, admin);
    const random = seededRandom(7);
    const rows = Array.from({ length: ROWS }, () => ({
      id: crypto.randomUUID(), wave_id: wave.id, submission_id: crypto.randomUUID(), submitted_on: '2026-11-02',
      data: JSON.stringify({ ...quickscanAnswers(random), d_toelichting: LONG_TEXT }),
    }));
    for (let i = 0; i < rows.length; i += 50) await t.testDb.db('responses').insert(rows.slice(i, i + 50));
    server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  /** An export whose client takes its headers and then reads nothing: it holds its turn until destroyed. */
  async function heldExport(account: Account): Promise<http.ClientRequest> {
    const req = http.get(`${base}/api/v1/waves/${wave.id}/export.csv?full=1`, { headers: bearer(account) });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => { req.once('response', resolve); req.once('error', reject); });
    expect(res.statusCode).to.equal(200);
    return req;
  }

  const exported = (account: Account, query = '') => request(t.app).get(`/api/v1/waves/${wave.id}/export.csv${query}`).set(bearer(account));

  it('make an export beyond exportsAtOnce wait, and answer 503 with Retry-After when its turn does not come in time', async () => {
    const held = await heldExport(admin);
    try {
      const started = Date.now();
      const res = await exported(manager);
      expect(res.status).to.equal(503);
      expect(Date.now() - started).to.be.at.least(900); // it waited exportWaitSeconds first
      expect(Number(res.headers['retry-after'])).to.be.above(0);
      expect(res.body.error.message).to.equal(message('csv.export.busy'));
      // The combined export of several waves takes the same turns.
      const combined = await request(t.app).get(`/api/v1/export.csv?waves=${wave.id},${wave.id}`).set(bearer(manager));
      expect(combined.status).to.equal(503);
    } finally {
      held.destroy();
    }
  });

  it('tell a user who already has exportsPerUser exports waiting to come back (429), and give the turn back when a client goes away', async () => {
    const held = await heldExport(admin);
    let waiting: Promise<request.Response>;
    try {
      waiting = exported(admin).then((r) => r); // waits for the admin's turn
      await new Promise((resolve) => setTimeout(resolve, 100));
      const res = await exported(admin);
      expect(res.status).to.equal(429);
      expect(Number(res.headers['retry-after'])).to.be.above(0);
      expect(res.body.error.message).to.equal(message('csv.export.ownBusy'));
    } finally {
      held.destroy();
    }
    // The held export's turn went with its client: the one waiting gets it within its second.
    expect((await waiting).status).to.equal(200);
    const again = await exported(manager);
    expect(again.status).to.equal(200);
    expect(again.text.split('\r\n').length).to.equal(ROWS + 2); // header, rows, and the empty end after the last CRLF
  });
});
