// The page a respondent meets while the database cannot serve her (every connection taken:
// the app's own pool held, so a request waits its acquire time and gets the 503): her
// layout, a neutral title, "Snel weg" and the support text, and no serious or critical
// axe violation, on a phone.
import { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import request from 'supertest';
import type { Knex } from 'knex';
import type { Browser } from 'playwright-core';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { createInstrumentCatalogue } from '../../server/instruments/catalogue';
import { createDb } from '../../server/db/connection';
import { ensureSetupCode, readSetupCode } from '../../server/startup/setup-code';
import { createTestDb, onPostgres, TestDb } from '../helpers/db';
import { SURVEYS_DIR, PASSWORD, testInstrumentFiles, login, createWave } from '../helpers/app';
import { launchBrowser, PHONE } from './browser';

const AXE = require.resolve('axe-core/axe.min.js');

describe('the respondent page while the database cannot serve', function () {
  this.timeout(120000);
  let testDb: TestDb;
  let appDb: Knex;
  let server: Server;
  let browser: Browser;
  let baseUrl: string;
  let token: string;
  const held: unknown[] = [];

  before(async () => {
    testDb = await createTestDb();
    const config = loadConfig({
      NODE_ENV: 'test', DATA_DIR: testDb.dataDir, JWT_SECRET: 'test-secret-that-is-long-enough-0123456789', SURVEYS_DIR,
      QUICK_EXIT_URL: 'about:blank', SPIEGEL_DB_TIMEOUTS: JSON.stringify({ acquireMs: 400, writeMs: 1500 }),
    });
    appDb = onPostgres
      ? createDb({ databaseUrl: process.env.DATABASE_URL!, pgSchema: testDb.schema, timeouts: config.dbTimeouts })
      : createDb({ databaseUrl: null, sqliteFile: testDb.file, timeouts: config.dbTimeouts });
    const sink = new Writable({ write(_chunk, _enc, done) { done(); } });
    const app = await createApp({ config, db: appDb, log: createLogger('silent', sink), instruments: await createInstrumentCatalogue(testDb.db, testInstrumentFiles()), sealing: { intervalMs: 0 } });
    ensureSetupCode(config.dataDir);
    const setup = await request(app).post('/api/v1/setup').send({ organisation: 'Opvang Noord', email: 'beheer@opvang.test', password: PASSWORD, setupCode: readSetupCode(config.dataDir) });
    expect(setup.status).to.equal(201);
    token = (await createWave(app, await login(app, 'beheer@opvang.test'))).token;
    server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  after(async () => {
    const client = (appDb as unknown as { client: { releaseConnection(c: unknown): Promise<void> } }).client;
    for (const connection of held.splice(0)) await client.releaseConnection(connection);
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await appDb?.destroy();
    await testDb?.close();
  });

  it('is her page with its way out, a neutral title and no serious or critical violation', async () => {
    // Take every connection of the app's pool, as a database that stopped answering would.
    const client = (appDb as unknown as { client: { acquireConnection(): Promise<unknown> } }).client;
    for (let i = 0; i < 100; i++) {
      try { held.push(await client.acquireConnection()); } catch { break; }
    }
    expect(held.length).to.be.greaterThan(0);
    const context = await browser.newContext({ ...PHONE, bypassCSP: true });
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl}/s/${token}`);
    expect(response!.status()).to.equal(503);
    expect(await page.title()).to.equal('Vragenlijst');
    expect(await page.locator('body').innerText()).to.contain('Probeer het over een paar seconden opnieuw');
    expect(await page.getByText('Veilig Thuis').isVisible()).to.equal(true);
    expect(await page.locator('a[href*="login"]').count()).to.equal(0);
    await page.addScriptTag({ path: AXE });
    const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then(r => r.violations)`)) as Array<{ id: string; impact: string | null }>;
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).to.deep.equal([]);
    await page.getByRole('link', { name: 'Snel weg' }).click();
    await page.waitForURL('about:blank');
    await context.close();
  });
});
